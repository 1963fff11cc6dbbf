"""A dozen sample scenes for the UI: PNGs plus samples.json with each one's caption and a few questions and answers.

`python -m shapes.samples [--out models/shapes-demo/samples]`
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from shapes.cli_args import add_samples_arguments
from shapes.phrasing import PREFIXES
from shapes.questions import ask, caption
from shapes.world import random_scene, render

SAMPLES_SEED = 2_024
SAMPLE_COUNT = 12
QA_PER_SAMPLE = 3
# Types shown in the UI's example questions, tried in this order.
SHOWN_TYPES = ("count_shape", "colour_of_shape", "relation", "exists", "shape_of_colour", "count_colour", "count_total")


def pick_scenes(rng: np.random.Generator):
    """Two scenes of each object count 1..6, so the samples range from plain to busy."""
    wanted = {n: 2 for n in range(1, 7)}
    scenes = []
    while len(scenes) < SAMPLE_COUNT:
        s = random_scene(rng)
        if wanted.get(len(s.objects), 0) > 0:
            wanted[len(s.objects)] -= 1
            scenes.append(s)
    return scenes


def tidy_question(scene, qtype: str, rng: np.random.Generator, tries: int = 20):
    """A training-phrasing question without the casual prefixes or missing punctuation training also uses."""
    for _ in range(tries):
        qa = ask(scene, qtype, rng)
        if qa is None:
            return None
        if qa.question[-1] in "?." and not any(p and qa.question.startswith(p) for p in PREFIXES):
            return qa
    return None


def write_samples(out: Path) -> Path:
    """Write sample-NN.png and samples.json (file, caption, qa: [{question, answer}]) into `out`."""
    rng = np.random.default_rng(SAMPLES_SEED)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for i, scene in enumerate(pick_scenes(rng)):
        name = f"sample-{i + 1:02d}.png"
        render(scene).save(out / name)
        qas = [qa for t in SHOWN_TYPES if (qa := tidy_question(scene, t, rng)) is not None][:QA_PER_SAMPLE]
        entries.append({
            "file": name,
            "caption": caption(scene),
            "qa": [{"question": qa.question, "answer": qa.answer, "type": qa.type} for qa in qas],
        })
    path = out / "samples.json"
    path.write_text(json.dumps(entries, indent=2) + "\n")
    return path


def run(args: argparse.Namespace) -> None:
    """Write the samples and say where."""
    print(write_samples(args.out))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="shapes.samples", description=__doc__.splitlines()[0])
    add_samples_arguments(parser)
    run(parser.parse_args())
