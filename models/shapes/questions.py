"""Questions with unambiguous answers, and the canonical caption, for a shapes-world scene.

Colour, shape and relation questions only ever name an object that the name picks out uniquely in the scene.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from shapes.world import COLOURS, SHAPES, Scene

PLURAL = {"circle": "circles", "square": "squares", "triangle": "triangles"}
NUMBER_WORDS = {1: "a", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
QUESTION_TYPES = (
    "count_total",
    "count_shape",
    "count_colour",
    "count_colour_shape",
    "colour_of_shape",
    "shape_of_colour",
    "exists",
    "relation",
    "describe",
)
# "describe" answers are whole captions, also learnt by the captioning loss: asked less often.
TYPE_WEIGHTS = {t: (0.5 if t == "describe" else 1.0) for t in QUESTION_TYPES}
RELATIONS = ("to the left of", "to the right of", "above", "below")


@dataclass(frozen=True)
class QA:
    """One question about a scene, its one right answer, and its type (for per-type scores)."""

    type: str
    question: str
    answer: str


def caption(scene: Scene) -> str:
    """Canonical caption: groups of equal colour+shape, ordered by shape (circle, square, triangle) then colour."""
    groups = Counter((o.shape, o.colour) for o in scene.objects)
    colour_order = list(COLOURS)
    keys = sorted(groups, key=lambda k: (SHAPES.index(k[0]), colour_order.index(k[1])))
    parts = [_group_phrase(groups[k], k[1], k[0]) for k in keys]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _group_phrase(count: int, colour: str, shape: str) -> str:
    noun = shape if count == 1 else PLURAL[shape]
    return f"{NUMBER_WORDS[count]} {colour} {noun}"


def ask(scene: Scene, qtype: str, rng: np.random.Generator) -> QA | None:
    """A random question of `qtype` about `scene`, or None when the scene allows no unambiguous one."""
    return _ASKERS[qtype](scene, rng)


def random_question(scene: Scene, rng: np.random.Generator, boost: dict[str, float] | None = None) -> QA:
    """A question of a type drawn by TYPE_WEIGHTS (times `boost`, for a training curriculum) among the types
    this scene can answer."""
    weights = np.array([TYPE_WEIGHTS[t] * (boost or {}).get(t, 1.0) for t in QUESTION_TYPES])
    order = rng.choice(len(QUESTION_TYPES), size=len(QUESTION_TYPES), replace=False, p=weights / weights.sum())
    for i in order:
        qa = ask(scene, QUESTION_TYPES[int(i)], rng)
        if qa is not None:
            return qa
    raise AssertionError("count_total is always answerable")


def _pick(rng: np.random.Generator, items):
    return items[int(rng.integers(len(items)))]


def _count_total(scene: Scene, rng: np.random.Generator) -> QA:
    q = _pick(rng, ("how many shapes are there?", "how many objects are in the picture?", "how many shapes are in the picture?"))
    return QA("count_total", q, str(len(scene.objects)))


def _count_shape(scene: Scene, rng: np.random.Generator) -> QA:
    shape = _pick(rng, SHAPES)
    n = sum(o.shape == shape for o in scene.objects)
    return QA("count_shape", f"how many {PLURAL[shape]} are there?", str(n))


def _count_colour(scene: Scene, rng: np.random.Generator) -> QA:
    colour = _pick(rng, list(COLOURS))
    noun = _pick(rng, ("shapes", "objects"))
    n = sum(o.colour == colour for o in scene.objects)
    return QA("count_colour", f"how many {colour} {noun} are there?", str(n))


def _count_colour_shape(scene: Scene, rng: np.random.Generator) -> QA:
    # Half the time ask about a kind that is present, so that answers are not mostly 0.
    if rng.random() < 0.5:
        o = _pick(rng, scene.objects)
        shape, colour = o.shape, o.colour
    else:
        shape, colour = _pick(rng, SHAPES), _pick(rng, list(COLOURS))
    n = sum(o.shape == shape and o.colour == colour for o in scene.objects)
    return QA("count_colour_shape", f"how many {colour} {PLURAL[shape]} are there?", str(n))


def _colour_of_shape(scene: Scene, rng: np.random.Generator) -> QA | None:
    counts = Counter(o.shape for o in scene.objects)
    unique = [o for o in scene.objects if counts[o.shape] == 1]
    if not unique:
        return None
    o = _pick(rng, unique)
    word = _pick(rng, ("color", "colour"))
    return QA("colour_of_shape", f"what {word} is the {o.shape}?", o.colour)


def _shape_of_colour(scene: Scene, rng: np.random.Generator) -> QA | None:
    counts = Counter(o.colour for o in scene.objects)
    unique = [o for o in scene.objects if counts[o.colour] == 1]
    if not unique:
        return None
    o = _pick(rng, unique)
    noun = _pick(rng, ("object", "shape", "one"))
    return QA("shape_of_colour", f"what shape is the {o.colour} {noun}?", o.shape)


def _exists(scene: Scene, rng: np.random.Generator) -> QA | None:
    want_yes = bool(rng.random() < 0.5)
    form = _pick(rng, ("colour_shape", "shape", "colour"))
    if form == "colour_shape":
        kinds = [(c, s) for s in SHAPES for c in COLOURS]
        present = {(o.colour, o.shape) for o in scene.objects}
        template = "is there a {} {}?"
    elif form == "shape":
        kinds = [(s,) for s in SHAPES]
        present = {(o.shape,) for o in scene.objects}
        template = _pick(rng, ("is there a {}?", "are there any {}?"))
    else:
        kinds = [(c,) for c in COLOURS]
        present = {(o.colour,) for o in scene.objects}
        template = _pick(rng, ("is there anything {}?", "are there any {} shapes?"))
    choices = [k for k in kinds if (k in present) == want_yes]
    if not choices:
        return None
    k = _pick(rng, choices)
    words = (PLURAL[k[0]],) if template == "are there any {}?" else k
    return QA("exists", template.format(*words), "yes" if want_yes else "no")


def _relation(scene: Scene, rng: np.random.Generator) -> QA | None:
    counts = Counter((o.colour, o.shape) for o in scene.objects)
    unique = [o for o in scene.objects if counts[(o.colour, o.shape)] == 1]
    if len(unique) < 2:
        return None
    want_yes = bool(rng.random() < 0.5)
    options = [(a, b, r) for a in unique for b in unique if a is not b for r in RELATIONS if _holds(a, b, r) == want_yes]
    if not options:
        return None
    a, b, rel = _pick(rng, options)
    question = f"is the {a.colour} {a.shape} {rel} the {b.colour} {b.shape}?"
    return QA("relation", question, "yes" if want_yes else "no")


def _holds(a, b, relation: str) -> bool:
    """Whether object a stands in `relation` to object b, judged by grid cells (rows grow downwards)."""
    return {
        "to the left of": a.col < b.col,
        "to the right of": a.col > b.col,
        "above": a.row < b.row,
        "below": a.row > b.row,
    }[relation]


def _describe(scene: Scene, rng: np.random.Generator) -> QA:
    q = _pick(rng, ("what is in the picture?", "what do you see?", "what is in the image?"))
    return QA("describe", q, caption(scene))


_ASKERS = {
    "count_total": _count_total,
    "count_shape": _count_shape,
    "count_colour": _count_colour,
    "count_colour_shape": _count_colour_shape,
    "colour_of_shape": _colour_of_shape,
    "shape_of_colour": _shape_of_colour,
    "exists": _exists,
    "relation": _relation,
    "describe": _describe,
}
