"""The command line: argparse subcommands, each in its own module, and one-line errors."""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback

from .errors import ToolError

# Each entry is a module with `register(subparsers)` that sets `func` on its parser.
# Adding a subcommand is one line here.
SUBCOMMANDS = [
    "blip_tools.cmd_export",
    "blip_tools.cmd_fixture_images",
    "blip_tools.cmd_golden",
    "blip_tools.cmd_tiny_models",
    "blip_tools.quantize",
    "shapes.commands",  # shapes-train, shapes-export, shapes-samples, shapes-eval and eval (the demo model)
]

# Exit code for every reported failure (argparse itself uses 2 for usage errors).
EXIT_FAILURE = 1


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every registered subcommand."""
    parser = argparse.ArgumentParser(prog="blip_tools", description="BLIP model toolchain")
    parser.add_argument("--verbose", action="store_true", help="print tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def _quiet_libraries(verbose: bool) -> None:
    """Keep library chatter (deprecation notices, config hints) off stderr unless --verbose."""
    import os
    import warnings

    if not verbose:
        warnings.filterwarnings("ignore")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # transformers' weight-loading bars too


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; every failure becomes one line on stderr and a non-zero exit."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _quiet_libraries(args.verbose)
    try:
        args.func(args)
    except ToolError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # an unexpected failure is still one line unless --verbose
        if args.verbose:
            traceback.print_exc()
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"error: {type(exc).__name__}: {message} (rerun with --verbose for details)", file=sys.stderr)
        return EXIT_FAILURE
    return 0
