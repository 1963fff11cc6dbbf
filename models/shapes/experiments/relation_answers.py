"""Scratch diagnostic (session 7): what the model answers to relation questions, by axis and true answer.
`../scripts/py shapes/experiments/relation_answers.py WEIGHTS` from models/ (240 training-phrasing questions, seed 4242).
Run 6's weights at step ~13,000 answered "yes" to 232 of 240 (a first version of this script, other questions); the
committed step 14,456 answers "no" to 228 of 240 (123 right): a bias that flipped, still no signal."""

import collections
import sys
from pathlib import Path

import numpy as np
import torch

from shapes.batch import pixels
from shapes.draw import draw_scene
from shapes.evaluate_torch import answers
from shapes.questions import ask
from shapes.vocab import build_tokenizer
from shapes.weights import load_model
from shapes.world import random_scene

torch.set_num_threads(1)
tok, model = build_tokenizer(), load_model(Path(sys.argv[1]))
rng = np.random.default_rng(4242)
counts: collections.Counter = collections.Counter()
asked = 0
with torch.no_grad():
    while asked < 240:
        scene = random_scene(rng)
        qa = ask(scene, "relation", rng, "train")
        if qa is None:
            continue
        enc = tok([qa.question], return_tensors="pt")
        out = answers(model.vqa, enc.input_ids, enc.attention_mask, pixels([draw_scene(scene)]))
        got = tok.batch_decode(out, skip_special_tokens=True)[0].strip()
        axis = "left/right" if ("left" in qa.question or "right" in qa.question) else "above/below"
        counts[(axis, f"true {qa.answer}", f"said {got}")] += 1
        asked += 1
for key in sorted(counts):
    print(*key, counts[key])
