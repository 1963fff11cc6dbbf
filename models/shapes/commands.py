"""The shapes demo model's subcommands of the toolchain CLI (`npm run models -- <subcommand>`):

  shapes-train    train (same knobs as `python -m shapes.train`)
  shapes-export   export a checkpoint into models/shapes-demo (FP16) with its sample images
  shapes-samples  write the sample images + samples.json
  shapes-eval     the evaluation sets through the TypeScript engine on a model folder, one line per set (default),
                  or the own-generator set with PyTorch on the weights file (--torch); `eval` is the same command
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
from pathlib import Path

from shapes import cli_args

REPO_ROOT = Path(__file__).resolve().parents[2]
TS_EVAL = REPO_ROOT / "packages/blip-engine/eval/shapes.ts"
DEFAULT_CAPTIONS_PER_QUESTION = 0.3  # the acceptance run: 300 captions per 1,000 questions


def register(subparsers) -> None:
    """Add the shapes subcommands to the toolchain's parser."""
    own = {
        "shapes-train": ("train the shapes demo BLIP", cli_args.add_train_arguments, _lazy("shapes.train", "train")),
        "shapes-export": ("export a checkpoint to a model folder", cli_args.add_export_arguments, _lazy("shapes.export", "run")),
        "shapes-samples": ("write the shapes sample images", cli_args.add_samples_arguments, _lazy("shapes.samples", "run")),
    }
    for name, (text, add_arguments, func) in own.items():
        p = subparsers.add_parser(name, help=text, description=text)
        add_arguments(p)
        p.set_defaults(func=func)
    for name in ("shapes-eval", "eval"):
        p = subparsers.add_parser(name, help="shapes demo model through the engine: one line per evaluation set (answers last)")
        p.add_argument("folder", nargs="?", default=str(cli_args.DEFAULT_MODEL_FOLDER), help="model folder, or weights with --torch")
        p.add_argument("--n", type=int, default=1000, help="questions per set")
        p.add_argument("--captions", type=int, default=None, help="captioned images per set (default 0.3 n)")
        p.add_argument("--seed", type=int, default=cli_args.DEFAULT_HELDOUT_SEED, help="base seed (set i uses seed + 7919 i)")
        p.add_argument("--sets", default="all", help="comma-separated: own, independent-96, independent-white, independent-dark, phrasings, outside")
        p.add_argument("--detail", action="store_true", help="also print each set's per-type table and some mistakes")
        p.add_argument("--calibrate", default=None, help="measure the confidence threshold on these sets and write it to this JSON")
        p.add_argument("--torch", action="store_true", help="evaluate PyTorch weights (own generator only) instead of the engine")
        p.set_defaults(func=run_eval)


def _lazy(module: str, name: str):
    """A func that imports its module (torch, OpenVINO) only when the subcommand runs, so --help stays fast."""

    def run(args: argparse.Namespace) -> None:
        getattr(importlib.import_module(module), name)(args)

    return run


def run_eval(args: argparse.Namespace) -> None:
    """Print the per-type table; the overall answer accuracy is the last line."""
    captions = args.captions if args.captions is not None else round(args.n * DEFAULT_CAPTIONS_PER_QUESTION)
    if args.torch:
        _torch_eval(Path(args.folder), args.n, captions, args.seed)
        return
    cmd = ["npx", "tsx", str(TS_EVAL), "--model", str(Path(args.folder).resolve())]
    cmd += ["--n", str(args.n), "--captions", str(captions), "--seed", str(args.seed), "--sets", args.sets]
    cmd += ["--detail"] if args.detail else []
    cmd += ["--calibrate", str(Path(args.calibrate).resolve())] if args.calibrate else []
    raise SystemExit(subprocess.run(cmd, cwd=REPO_ROOT).returncode)


def _torch_eval(weights: Path, n: int, captions: int, seed: int) -> None:
    from shapes.evaluate_torch import answer_accuracy, caption_accuracy, overall
    from shapes.heldout import make_heldout
    from shapes.vocab import build_tokenizer
    from shapes.weights import load_model

    model, tok = load_model(weights).vqa, build_tokenizer()
    data = make_heldout(seed, n, captions)
    scores = answer_accuracy(model, tok, data)
    print("| question type | right / asked | exact match |\n|---|---:|---:|")
    for t, (r, total) in scores.items():
        print(f"| {t} | {r} / {total} | {100 * r / total:.1f}% |")
    if captions:
        right, total = caption_accuracy(model, tok, data, captions)
        print(f"caption exact match: {100 * right / total:.1f}% of {total}")
    print(f"overall answer accuracy: {100 * overall(scores):.1f}% of {n}")

