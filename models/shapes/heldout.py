"""Evaluation sets: scenes, questions and captions drawn from seeds the training never uses.

Kinds (`--kind`):
  own        the training generator and its training phrasings (fresh scenes)
  phrasings  fresh scenes asked in the HELD-OUT phrasings (shapes.phrasing), which training never sees
  written    fresh scenes asked in the WRITTEN phrasings (shapes.phrasing): another session's wordings, written apart
  outside    held-out out-of-world questions on scenes, and non-scene images (our texture, UI, noise and blank
             images, and crops of real photographs we did not make) asked in-world questions; every expected answer
             (and caption) is OUTSIDE_ANSWER
  spec       like `own`, but scene specs instead of images, for the independent TypeScript renderer; --canvas WxH and
             --background white|dark|any choose what it draws

`python -m shapes.heldout --out DIR [--kind K] [--seed S] [--questions N] [--captions M]` writes DIR/set.json (and
DIR/images/*.png except for `spec`), which the TypeScript engine's evaluation reads.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image

from shapes.cli_args import DEFAULT_HELDOUT_SEED
from shapes.outside import NONSCENE_KINDS, OUTSIDE_ANSWER, nonscene_image, outside_question, photo_crop
from shapes.questions import QA, caption, random_question
from shapes.world import Scene, random_objects, random_scene, render

KINDS = ("own", "phrasings", "written", "outside", "spec")
PHRASING_SPLITS = {"phrasings": "heldout", "written": "written"}  # the other kinds of scene set ask in training wordings
EVAL_IMAGE_KINDS = (*NONSCENE_KINDS, "photo")  # the outside set's non-scene images, in turn


@dataclass
class Heldout:
    """Images (or scene specs) with their canonical captions, and questions, each pointing at one image by index."""

    images: list[Image.Image]
    captions: list[str]
    questions: list[tuple[int, QA]]
    scenes: list[Scene | None]


def make_heldout(seed: int, n_questions: int, n_captions: int, split: str = "train") -> Heldout:
    """One scene per question (then captions on the first `n_captions` scenes; more scenes if needed)."""
    rng = np.random.default_rng(seed)
    scenes = [random_scene(rng) for _ in range(max(n_questions, n_captions))]
    questions = [(i, random_question(scenes[i], rng, split=split)) for i in range(n_questions)]
    return Heldout([render(s) for s in scenes], [caption(s) for s in scenes], questions, scenes)


def make_outside(seed: int, n: int, split: str = "heldout") -> Heldout:
    """n/2 scenes with out-of-world questions, n/2 non-scene images (kinds in turn) with in-world questions."""
    rng = np.random.default_rng(seed)
    images, captions, questions, scenes = [], [], [], []
    for i in range(n):
        if i % 2 == 0:
            s = random_scene(rng)
            images.append(render(s))
            captions.append(caption(s))
            scenes.append(s)
            questions.append((i, QA("outside_question", outside_question(rng, split), OUTSIDE_ANSWER)))
        else:
            kinds = EVAL_IMAGE_KINDS if split == "heldout" else NONSCENE_KINDS  # photos: evaluation only
            kind = kinds[(i // 2) % len(kinds)]
            images.append(photo_crop(rng) if kind == "photo" else nonscene_image(rng, kind))
            captions.append(OUTSIDE_ANSWER)
            scenes.append(None)
            q = random_question(random_scene(rng), rng, split=split).question
            questions.append((i, QA(f"outside_image_{kind}", q, OUTSIDE_ANSWER)))
    return Heldout(images, captions, questions, scenes)


def make_spec(seed: int, n_questions: int, n_captions: int, canvas: tuple[int, int] | None, background: str) -> Heldout:
    """Scene specs for another renderer: the own generator's objects on the asked canvas; answers from the specs."""
    rng = np.random.default_rng(seed)
    scenes = []
    for _ in range(max(n_questions, n_captions)):
        s = random_scene(rng)
        if canvas:
            s = replace(s, width=canvas[0], height=canvas[1], objects=random_objects(rng, *canvas))
        scenes.append(s)
    questions = [(i, random_question(scenes[i], rng)) for i in range(n_questions)]
    return Heldout([], [caption(s) for s in scenes], questions, scenes)


def normalise(text: str) -> str:
    """The exact-match form of an answer: lower case, single spaces, no space before punctuation."""
    text = " ".join(text.lower().split())
    return re.sub(r" ([,.?!])", r"\1", text)


def spec_of(scene: Scene, background: str, rng: np.random.Generator) -> dict:
    """What the TypeScript renderer needs: canvas, background wish, objects (normalised centre and radius)."""
    objects = [dict(shape=o.shape, colour=o.colour, x=round(o.x, 4), y=round(o.y, 4), radius=round(o.radius, 4)) for o in scene.objects]
    return {"width": scene.width, "height": scene.height, "background": background, "style_seed": int(rng.integers(2**31)), "objects": objects}


def write_heldout(out: Path, kind: str, seed: int, n_questions: int, n_captions: int,
                  canvas: tuple[int, int] | None = None, background: str = "any") -> Path:
    """Write the set (PNGs, or scene specs for `spec`) plus set.json; return the json path."""
    if kind == "outside":
        data = make_outside(seed, n_questions)
    elif kind == "spec":
        data = make_spec(seed, n_questions, n_captions, canvas, background)
    else:
        data = make_heldout(seed, n_questions, n_captions, PHRASING_SPLITS.get(kind, "train"))
    names = [f"images/{i:05d}.png" for i in range(len(data.captions))]
    doc: dict = {"seed": seed, "kind": kind}
    if kind == "spec":
        rng = np.random.default_rng([seed, 1])
        doc["scenes"] = {names[i]: spec_of(s, background, rng) for i, s in enumerate(data.scenes)}
    else:
        (out / "images").mkdir(parents=True, exist_ok=True)
        for name, img in zip(names, data.images, strict=True):
            img.save(out / name)
    # The outside set captions only its non-scene images (its scenes' captions are in-world, scored elsewhere).
    captioned = [i for i, s in enumerate(data.scenes) if s is None] if kind == "outside" else range(len(names))
    doc["captions"] = [{"image": names[i], "caption": data.captions[i]} for i in list(captioned)[:n_captions]]
    doc["questions"] = [{"image": names[i], **asdict(qa)} for i, qa in data.questions]
    out.mkdir(parents=True, exist_ok=True)
    path = out / "set.json"
    path.write_text(json.dumps(doc, indent=1))
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line: write an evaluation set to --out."""
    p = argparse.ArgumentParser(prog="shapes.heldout", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--kind", choices=KINDS, default="own")
    p.add_argument("--seed", type=int, default=DEFAULT_HELDOUT_SEED)
    p.add_argument("--questions", type=int, default=1000)
    p.add_argument("--captions", type=int, default=300)
    p.add_argument("--canvas", type=lambda t: tuple(int(v) for v in t.split("x")), default=None, help="WxH (spec only)")
    p.add_argument("--background", choices=("any", "white", "dark"), default="any", help="spec only")
    args = p.parse_args(argv)
    print(write_heldout(args.out, args.kind, args.seed, args.questions, args.captions, args.canvas, args.background))


if __name__ == "__main__":
    main()
