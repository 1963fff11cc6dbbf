"""What the model answers to held-out relation questions of one side, by true answer: tells a bias (one answer to
everything) from noise (errors both ways).

`python -m shapes.experiments.heldout_relation_answers SEED N SIDE WEIGHTS [WEIGHTS ...]` from models/ (the relation
questions among N held-out questions whose text names SIDE). Session 13 (seed 6,006,001, N 1,500, "right"), step
22,293 -> 23,602: `no` to 31 -> 51 of 55 (30 true): the held-out "right of" wordings became a bias to `no`.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import torch

from shapes.batch import pixels
from shapes.evaluate_torch import answers
from shapes.heldout import make_heldout, normalise
from shapes.vocab import build_tokenizer
from shapes.weights import load_model


@torch.no_grad()
def main(seed: int, n: int, side: str, weights: list[Path]) -> None:
    tok = build_tokenizer()
    data = make_heldout(seed, n, 0, split="heldout")
    asked = [(i, qa) for i, qa in data.questions if qa.type == "relation" and side in qa.question.split()]
    for path in weights:
        model = load_model(path).eval()
        tally: collections.Counter = collections.Counter()
        for i, qa in asked:
            enc = tok([qa.question], return_tensors="pt")
            out = answers(model.vqa, enc.input_ids, enc.attention_mask, pixels([data.images[i]]))
            tally[(normalise(qa.answer), normalise(tok.decode(out[0], skip_special_tokens=True)))] += 1
        print(path.name, len(asked), "questions; (true, answered):", dict(sorted(tally.items())), flush=True)


if __name__ == "__main__":
    torch.set_num_threads(2)
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], [Path(p) for p in sys.argv[4:]])
