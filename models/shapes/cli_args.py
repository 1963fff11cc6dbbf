"""Command-line options of the shapes commands, in a module light enough for `--help` (no torch, no OpenVINO)."""

from __future__ import annotations

import argparse
from pathlib import Path

from shapes.questions import QUESTION_TYPES, RELATIONS

# The recipe's knobs, each an option with this default (the committed model's recipe, models/shapes-demo/README.md,
# except where_weight, inventory_weight and ground_weight (session 9's losses) and relation_weight (session 10's): 0 in
# effect before them).
TRAIN_DEFAULTS = dict(
    steps=12000, batch=64, itm=16, lr=6e-4, warmup=400, min_lr_ratio=0.05, weight_decay=0.05, clip=1.0,
    itc_weight=0.5, itm_weight=0.5, dense_weight=0.5, where_weight=1.0, inventory_weight=1.0, ground_weight=0.5,
    relation_weight=1.0,
    eval_every=1000, checkpoint_minutes=5.0,
)
DEFAULT_RUN = Path("models/work/shapes-run2")
DEFAULT_WEIGHTS = Path("models/shapes/weights/shapes-demo.safetensors")
DEFAULT_MODEL_FOLDER = Path("models/shapes-demo")
# Training draws from --seed (0); held-out sets default to a seed far away from it.
DEFAULT_HELDOUT_SEED = 1_000_003


def add_train_arguments(p: argparse.ArgumentParser) -> None:
    """The recipe's knobs: output folder, seed, threads and TRAIN_DEFAULTS."""
    p.add_argument("--out", type=Path, default=DEFAULT_RUN)
    p.add_argument("--seed", type=int, default=0)
    # 2 threads with OMP_WAIT_POLICY=PASSIVE (set by shapes.train): ~3x faster per step than 1 on the loaded 2-core box.
    p.add_argument("--threads", type=int, default=2)
    # Batches are drawn in a background process; 0 draws them in-process (tests: no fork of a process that has
    # OpenVINO's and torch's thread pools running).
    p.add_argument("--workers", type=int, default=1)
    for name, value in TRAIN_DEFAULTS.items():
        p.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    p.add_argument("--stop-at", type=int, default=0, help="end the run (with a checkpoint) after this step")
    p.add_argument("--weights", type=Path, default=DEFAULT_WEIGHTS, help="where the FP16 weights are kept (committed)")
    p.add_argument("--init-weights", type=Path, default=None,
                   help="without OUT/state.pt: start from these weights at their recorded step (fresh AdamW)")
    p.add_argument("--init-stem", type=Path, default=None,
                   help="with --init-weights or from scratch: the convolutional stem from `shapes.pretrain_stem`")
    p.add_argument("--stem-lr-scale", type=float, default=1.0, help="the stem's learning rate over the rest's")
    p.add_argument("--fit-heads", type=int, default=300,
                   help="with --init-weights that have no dense heads beside them: fit fresh heads alone this many steps")
    p.add_argument("--boost", type=_boost, default=None, help="question-type weights, e.g. relation=3,describe=2,outside=1.5; a relation side "
                   "(left, right, above, below) weighted under 1 keeps that fraction of its questions, e.g. right=0.25")


def add_export_arguments(p: argparse.ArgumentParser) -> None:
    """Where the weights are, where the folder goes, and the confidence calibration to record."""
    p.add_argument("--weights", type=Path, default=DEFAULT_WEIGHTS)
    p.add_argument("--calibration", type=Path, default=None, help="JSON with `threshold` (written by eval --calibrate)")
    p.add_argument("--out", type=Path, default=DEFAULT_MODEL_FOLDER)
    p.add_argument("--rehash", action="store_true", help="only refresh manifest.json's file hashes (and --calibration)")


def add_samples_arguments(p: argparse.ArgumentParser) -> None:
    """Where the samples go."""
    p.add_argument("--out", type=Path, default=DEFAULT_MODEL_FOLDER / "samples")


def _boost(text: str) -> dict[str, float]:
    """Parse `name=factor,...`: types of shapes.questions.QUESTION_TYPES, RELATIONS with factors in (0, 1], or
    `outside` (times how often a scene's question is about something outside the world)."""
    out = {}
    for item in text.split(","):
        name, _, factor = (part.strip() for part in item.partition("="))
        if name not in (*QUESTION_TYPES, *RELATIONS, "outside"):
            raise argparse.ArgumentTypeError(f"{item}: not a question type, a relation side or 'outside'")
        out[name] = float(factor)
        if name in RELATIONS and not 0 < out[name] <= 1:
            raise argparse.ArgumentTypeError(f"{item}: a relation side keeps a fraction in (0, 1] of its questions")
        if out[name] < 0:
            raise argparse.ArgumentTypeError(f"{item}: a weight cannot be negative")
    return out
