"""`tiny-models`: rebuild the committed tiny test models (FP32 export + golden fixtures) from their seeded configs."""

from __future__ import annotations

import argparse
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent.parent
# name -> seed. Seeds are chosen so that no recorded greedy step has a near-tie (the golden step checks it).
TINY_MODELS = {"tiny-vqa": 0, "tiny-caption": 0}
NOTES = (
    "Tiny random-init BLIP test model (hidden 64, 2 layers per part, 4 heads, 64 px images, 17 image tokens, "
    "init std 0.1). Exported FP32 so that OpenVINO reproduces Hugging Face's generated token ids exactly: FP16 "
    "weights could flip near-tied tokens. Rebuild with `npm run models -- tiny-models`."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `tiny-models` subcommand."""
    p = subparsers.add_parser("tiny-models", help="rebuild models/tiny-vqa and models/tiny-caption with goldens")
    p.add_argument("--out", default=str(MODELS_DIR), help="parent folder (default: models/)")
    p.add_argument("--only", choices=sorted(TINY_MODELS), help="rebuild just this one")
    p.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help="tracebacks on errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    """Export each tiny model FP32 (replacing the old folder) and record its golden fixtures."""
    from .export_model import export_model
    from .golden import write_golden
    from .sources import random_init

    for name, seed in TINY_MODELS.items():
        if args.only and name != args.only:
            continue
        loaded = random_init(name, seed)
        folder = Path(args.out) / name
        export_model(loaded.model, loaded.tokenizer, folder, "fp32", loaded.source,
                     caption_prompt=loaded.caption_prompt, notes=NOTES, seed=seed, force=True,
                     image_text=loaded.image_text)
        print(write_golden(folder.resolve(), loaded, seed))
