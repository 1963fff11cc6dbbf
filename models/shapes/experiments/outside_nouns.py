"""How often in-world question shapes about nouns the world lacks get the honest answer, for nouns that are not the
held-out list's: English nouns outside the vocabulary (they become letter pieces) and vocabulary words that training
uses, but never as an outside noun. The outside set's held-out nouns are vocabulary words no training text uses
(untrained embedding rows), which session 13 trained for with `shapes.outside.UNSEEN_WORD`; this checks that the honest
answer is about nouns in general, not about untrained rows.

`python -m shapes.experiments.outside_nouns SEED N WEIGHTS [WEIGHTS ...]` from models/ (N questions per noun set and
split). Session 13 (seed 9,090, N 240), step 22,293 -> 23,602: not in the vocabulary 99.6 -> 100 % (training wordings)
and 98.3 -> 100 % (held-out wordings); trained, never as a noun 82.9 -> 98.3 % and 85.4 -> 99.2 %.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import torch

from shapes.evaluate_torch import answer_accuracy
from shapes.heldout import Heldout
from shapes.outside import OUTSIDE_ANSWER, OUTSIDE_NOUNS, OUTSIDE_QUESTIONS, noun_question
from shapes.questions import QA
from shapes.vocab import VOCAB_FILE, build_tokenizer
from shapes.weights import load_model
from shapes.world import random_scene, render

NOUNS = {
    "not in the vocabulary": "giraffe elephant umbrella guitar pizza rocket spoon candle tiger lamp banana camera kite robot apple",
    "trained, never as a noun": "weather music price money temperature water sea rain time",
}


def check_nouns() -> None:
    """Each set is what its name says: out of the vocabulary, or in training text but not in the outside noun list."""
    vocab = set(VOCAB_FILE.read_text().split())
    trained = {w for q in OUTSIDE_QUESTIONS["train"] for w in re.findall(r"[a-z]+", q)}
    listed = {w for pair in (*OUTSIDE_NOUNS["train"], *OUTSIDE_NOUNS["heldout"]) for w in pair}
    for word in NOUNS["not in the vocabulary"].split():
        assert word not in vocab, word
    for word in NOUNS["trained, never as a noun"].split():
        assert word in trained and word not in listed, word


def noun_set(seed: int, nouns: list[str], split: str, n: int) -> Heldout:
    rng = np.random.default_rng(seed)
    images, questions = [], []
    for i in range(n):
        images.append(render(random_scene(rng)))
        word = nouns[i % len(nouns)]
        question = noun_question(rng, split, word, word + ("es" if word.endswith(("ch", "sh", "s")) else "s"))
        questions.append((i, QA(split, question, OUTSIDE_ANSWER)))
    return Heldout(images, [""] * n, questions, [None] * n)


def main(seed: int, n: int, weights: list[Path]) -> None:
    check_nouns()
    tok = build_tokenizer()
    sets = {(name, split): noun_set(seed, words.split(), split, n) for name, words in NOUNS.items() for split in ("train", "heldout")}
    print("nouns | wordings | " + " | ".join(p.name for p in weights))
    models = [load_model(p).eval() for p in weights]
    for (name, split), data in sets.items():
        cells = ["{}/{}".format(*answer_accuracy(m.vqa, tok, data)[split]) for m in models]
        print(name, "|", split, "|", " | ".join(cells), flush=True)


if __name__ == "__main__":
    torch.set_num_threads(2)
    main(int(sys.argv[1]), int(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
