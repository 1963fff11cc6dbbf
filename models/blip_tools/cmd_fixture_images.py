"""`fixture-images`: (re)write the fixed test images that the golden fixtures are made from."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `fixture-images` subcommand."""
    from .fixture_images import FIXTURES_DIR

    p = subparsers.add_parser("fixture-images", help="write the fixed test images")
    p.add_argument("--out", default=str(FIXTURES_DIR), help=f"folder (default {FIXTURES_DIR})")
    p.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help="tracebacks on errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    """Write the images and list them."""
    from .fixture_images import write_fixture_images

    for path in write_fixture_images(Path(args.out)):
        print(path)
