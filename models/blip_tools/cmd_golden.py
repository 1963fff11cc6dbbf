"""`golden`: record Hugging Face's outputs for a model folder's model (see models/GOLDEN.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .errors import ToolError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `golden` subcommand."""
    p = subparsers.add_parser("golden", help="write <folder>/golden/golden.json from the PyTorch model")
    p.add_argument("folder", help="model folder made by `export`")
    p.add_argument("--checkpoint", help="save_pretrained folder the model was exported from")
    p.add_argument("--seed", type=int, default=None, help="seed of a random-init folder (default: the manifest's)")
    p.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help="tracebacks on errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    """Rebuild the PyTorch model (checkpoint, or the seeded random-init config the manifest names) and record."""
    from .manifest import read_manifest

    folder = Path(args.folder).resolve()
    manifest = read_manifest(folder)  # before the heavy imports, so a wrong folder fails at once

    from .golden import write_golden
    from .sources import load_checkpoint, random_init

    source = manifest["source"]
    if args.checkpoint:
        loaded, seed = load_checkpoint(args.checkpoint), None
    elif source.startswith("random-init:"):
        seed = args.seed if args.seed is not None else manifest.get("seed", 0)
        loaded = random_init(source.removeprefix("random-init:"), seed)
    else:
        raise ToolError(f"{folder} comes from {source}; pass --checkpoint <save_pretrained folder> to record it")
    print(write_golden(folder, loaded, seed))
