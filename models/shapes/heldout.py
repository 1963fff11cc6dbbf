"""Held-out sets: scenes, questions and captions drawn from a seed the training never uses.

`python -m shapes.heldout --out DIR [--seed S] [--questions N] [--captions M]` writes DIR/set.json and DIR/images/*.png,
which the TypeScript engine's evaluation reads.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from shapes.cli_args import DEFAULT_HELDOUT_SEED
from shapes.questions import QA, caption, random_question
from shapes.world import random_scene, render



@dataclass
class Heldout:
    """Images with their canonical captions, and questions, each pointing at one image by index."""

    images: list[Image.Image]
    captions: list[str]
    questions: list[tuple[int, QA]]


def make_heldout(seed: int, n_questions: int, n_captions: int) -> Heldout:
    """One scene per question (then captions on the first `n_captions` scenes; more scenes if needed)."""
    rng = np.random.default_rng(seed)
    scenes = [random_scene(rng) for _ in range(max(n_questions, n_captions))]
    questions = [(i, random_question(scenes[i], rng)) for i in range(n_questions)]
    return Heldout([render(s) for s in scenes], [caption(s) for s in scenes], questions)


def normalise(text: str) -> str:
    """The exact-match form of an answer: lower case, single spaces, no space before punctuation."""
    text = " ".join(text.lower().split())
    return re.sub(r" ([,.?!])", r"\1", text)


def write_heldout(out: Path, seed: int, n_questions: int, n_captions: int) -> Path:
    """Write the set as PNGs plus set.json (captions for the first n_captions images); return the json path."""
    data = make_heldout(seed, n_questions, n_captions)
    (out / "images").mkdir(parents=True, exist_ok=True)
    names = []
    for i, img in enumerate(data.images):
        names.append(f"images/{i:05d}.png")
        img.save(out / names[-1])
    doc = {
        "seed": seed,
        "captions": [{"image": names[i], "caption": data.captions[i]} for i in range(n_captions)],
        "questions": [{"image": names[i], **asdict(qa)} for i, qa in data.questions],
    }
    path = out / "set.json"
    path.write_text(json.dumps(doc, indent=2))
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line: write a held-out set to --out."""
    p = argparse.ArgumentParser(prog="shapes.heldout", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=DEFAULT_HELDOUT_SEED)
    p.add_argument("--questions", type=int, default=1000)
    p.add_argument("--captions", type=int, default=300)
    args = p.parse_args(argv)
    print(write_heldout(args.out, args.seed, args.questions, args.captions))


if __name__ == "__main__":
    main()
