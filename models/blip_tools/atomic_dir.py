"""Write a whole folder atomically: build it in a temp dir beside the target, then rename it into place."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import ToolError


def check_target(target: Path, force: bool) -> None:
    """Refuse an existing target without --force, and a parent we cannot write, before any work starts."""
    if target.exists() and not force:
        raise ToolError(f"{target} already exists; pass --force to replace it")
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolError(f"cannot create output folder {parent}: {exc.strerror}") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ToolError(f"output folder {parent} is not writable")


@contextlib.contextmanager
def atomic_folder(target: Path, force: bool) -> Iterator[Path]:
    """Yield a temp folder beside `target`; on success it replaces `target`, on failure it is removed."""
    check_target(target, force)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise ToolError(f"output folder {target.parent} is not writable: {exc.strerror}") from None
    try:
        yield staging
        staging.chmod(0o755)  # mkdtemp makes it 0700; a model folder is meant to be read by others
        _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _replace(staging: Path, target: Path) -> None:
    """Move the finished folder into place; an old folder is moved aside first and removed after."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
