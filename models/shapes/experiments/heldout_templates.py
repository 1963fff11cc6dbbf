"""Exact-match accuracy per held-out phrasing template, for one or more weights files: which unseen wordings a model
answers, and whether a gain comes from wordings with a close training sibling or from wordings it has really not seen.

`python -m shapes.experiments.heldout_templates SEED N WEIGHTS [WEIGHTS ...]` from models/ (N held-out questions).
Session 12 (seed 6,006,001, N 1,500), steps 20,697 -> 22,293 after more training phrasings: all 66.7 -> 76.3 %; the 7
templates with a close new training sibling ("could you count the {X} for me?" beside "can you count the {X}?") 79.3 ->
87.0 %, 3 with a looser one 43.9 -> 81.2 %, the 26 with none 67.0 -> 70.6 %.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import torch

from shapes import phrasing as ph
from shapes.evaluate_torch import answer_accuracy
from shapes.heldout import Heldout, make_heldout
from shapes.vocab import build_tokenizer
from shapes.weights import load_model


def heldout_templates() -> list[str]:
    tables = (ph.COUNT, ph.COLOUR_OF_SHAPE, ph.SHAPE_OF_COLOUR, ph.EXISTS, ph.EXISTS_COLOUR, ph.DESCRIBE)
    return [t for table in tables for t in table["heldout"]] + [t for ts in ph.RELATION["heldout"].values() for t in ts]


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"(\{[A-Za-z]+\})", template)
    return re.compile("^" + "".join(".+?" if p.startswith("{") else re.escape(p) for p in parts) + "$")


def by_template(data: Heldout) -> Heldout:
    """The same questions with each one's type replaced by the (longest) held-out template it matches."""
    patterns = [(t, _pattern(t)) for t in heldout_templates()]

    def template(q: str) -> str:
        return max((t for t, p in patterns if p.match(q)), key=len, default="?")

    questions = [(i, dataclasses.replace(qa, type=template(qa.question))) for i, qa in data.questions]
    return dataclasses.replace(data, questions=questions)


def main(seed: int, n: int, weights: list[Path]) -> None:
    tok = build_tokenizer()
    data = by_template(make_heldout(seed, n, 0, split="heldout"))
    scores = []
    for path in weights:
        model = load_model(path)
        model.eval()
        scores.append(answer_accuracy(model.vqa, tok, data))
    print("template | " + " | ".join(p.name for p in weights))
    for t in [*heldout_templates(), "?"]:
        print(t, "|", " | ".join("{}/{}".format(*s.get(t, (0, 0))) for s in scores))


if __name__ == "__main__":
    torch.set_num_threads(1)
    main(int(sys.argv[1]), int(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
