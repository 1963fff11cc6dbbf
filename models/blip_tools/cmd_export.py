"""`export`: build or load a BLIP model and write its model folder."""

from __future__ import annotations

import argparse

from .errors import ToolError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `export` subcommand."""
    p = subparsers.add_parser("export", help="export a BLIP model to an OpenVINO model folder")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--hub", metavar="ID", help="Hugging Face model id (needs the hub or a local HF cache)")
    source.add_argument("--checkpoint", metavar="FOLDER", help="local save_pretrained folder")
    source.add_argument("--random-init", metavar="CONFIG", help="named config with seeded random weights")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--precision", choices=["fp16", "fp32"], default="fp16", help="weights of every part")
    p.add_argument("--seed", type=int, default=0, help="seed for --random-init")
    p.add_argument("--caption-prompt", default=None, help="default caption prompt recorded in the manifest")
    p.add_argument("--notes", default=None, help="free text recorded in the manifest")
    p.add_argument("--force", action="store_true", help="replace an existing folder")
    p.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help="tracebacks on errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    """Load the source, then export it atomically."""
    from pathlib import Path

    from .atomic_dir import check_target
    from .configs import get_config
    from .manifest import check_name

    # Cheap checks first, so bad arguments fail before minutes of model building.
    if args.random_init:
        get_config(args.random_init)
    if args.checkpoint and not Path(args.checkpoint).is_dir():
        raise ToolError(f"checkpoint folder {args.checkpoint} does not exist")
    check_name(Path(args.out).resolve().name)
    check_target(Path(args.out).resolve(), args.force)
    if args.hub:
        from .hub_probe import check_hub_source

        check_hub_source(args.hub)

    from .export_model import export_model
    from .sources import load_checkpoint, load_hub, random_init

    if args.random_init:
        loaded = random_init(args.random_init, args.seed)
    elif args.checkpoint:
        loaded = load_checkpoint(args.checkpoint)
    else:
        loaded = load_hub(args.hub)
    prompt = args.caption_prompt if args.caption_prompt is not None else loaded.caption_prompt
    if prompt is not None and loaded.family != "blip-caption":
        raise ToolError("--caption-prompt applies to captioning models only (a VQA model captions with none)")
    export_model(loaded.model, loaded.tokenizer, args.out, args.precision, loaded.source,
                 caption_prompt=prompt, notes=args.notes, force=args.force,
                 seed=args.seed if args.random_init else None, image_text=loaded.image_text)
