"""The one error type the command line turns into a one-line message."""


class ToolError(Exception):
    """A user-facing failure: the message is one line that says what went wrong and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def first_line(exc: BaseException) -> str:
    """The first non-empty line of an exception's text, so wrapped library errors stay one line."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__
