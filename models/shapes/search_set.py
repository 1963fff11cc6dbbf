"""A text-to-image search set (issue 20's Show list): fresh scenes for an owner's library and the queries to search it
with — each scene's full caption and one partial everyday description — with, for every query, every scene it is true
of (`shapes.descriptions.matches`), so a partial description that fits several scenes counts any of them as right.

`python -m shapes.search_set --out DIR [--seed S] [--scenes N] [--kind own|spec] [--background any|white|dark]`
writes DIR/set.json and, for `own`, DIR/images/*.png from this package's renderer; for `spec` the scene specs, which
the independent TypeScript SVG renderer (packages/blip-engine/eval/render-svg.ts) draws.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from shapes.descriptions import full_description, matches, partial_description
from shapes.heldout import spec_of
from shapes.world import random_scene, render

# Far from the trainer's seeds (its batches use (seed, step) with seed 0) and from the eval sets' 1,000,003.
DEFAULT_SEED = 2_000_003
DEFAULT_SCENES = 200


def make_search_set(seed: int, n: int) -> tuple[list, list[dict]]:
    """n fresh scenes, and two queries per scene (full caption, partial description) with the scenes each fits."""
    rng = np.random.default_rng(seed)
    scenes = [random_scene(rng) for _ in range(n)]
    queries = []
    for index, scene in enumerate(scenes):
        for kind, description in (("full", full_description(scene)), ("partial", partial_description(scene, rng))):
            relevant = [j for j, other in enumerate(scenes) if matches(other, description)]
            assert index in relevant, f"{description.text!r} is not true of its own scene"
            queries.append({"text": description.text, "kind": kind, "target": index, "relevant": relevant})
    return scenes, queries


def write_search_set(out: Path, seed: int, n: int, kind: str, background: str) -> Path:
    scenes, queries = make_search_set(seed, n)
    names = [f"images/{i:05d}.png" for i in range(n)]
    doc: dict = {"seed": seed, "kind": kind, "images": names, "queries": queries}
    out.mkdir(parents=True, exist_ok=True)
    if kind == "spec":
        rng = np.random.default_rng([seed, 1])
        doc["scenes"] = {name: spec_of(s, background, rng) for name, s in zip(names, scenes, strict=True)}
    else:
        (out / "images").mkdir(exist_ok=True)
        for name, scene in zip(names, scenes, strict=True):
            render(scene).save(out / name)
    path = out / "set.json"
    path.write_text(json.dumps(doc, indent=1))
    return path


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="shapes.search_set", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--scenes", type=int, default=DEFAULT_SCENES)
    p.add_argument("--kind", choices=("own", "spec"), default="own")
    p.add_argument("--background", choices=("any", "white", "dark"), default="any", help="spec only")
    args = p.parse_args(argv)
    print(write_search_set(args.out, args.seed, args.scenes, args.kind, args.background))


if __name__ == "__main__":
    main()
