"""Questions with unambiguous answers, and the canonical caption, for a shapes-world scene.

Colour, shape and relation questions only ever name an object that the name picks out uniquely in the scene.
Relations use centres in the model's (squashed, normalised) coordinates with a margin: "A is left of B" is asked only
when the centres differ horizontally by at least RELATION_MARGIN (yes when A's centre is that much further left,
no when it is that much further right); above/below likewise vertically. Pairs closer than the margin are never asked.
Phrasings come from shapes.phrasing: `split` "train" (training and the own-generator set) or "heldout".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from shapes import phrasing as ph
from shapes.phrasing import pick
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
TYPE_WEIGHTS = {t: {"relation": 2.0, "describe": 1.5}.get(t, 1.0) for t in QUESTION_TYPES}
RELATION_MARGIN = 0.1  # normalised units (~10 px of the model's 96)
RELATIONS = ("left", "right", "above", "below")


@dataclass(frozen=True)
class Named:
    """An object a question names: the words that name it, its centre (normalised) and its index in the scene, for
    training's where- and grounding losses."""

    words: str
    x: float
    y: float
    index: int


def named(scene: Scene, words: str, o) -> Named:
    return Named(words, o.x, o.y, next(i for i, p in enumerate(scene.objects) if p is o))


@dataclass(frozen=True)
class QA:
    """One question about a scene, its one right answer, its type (for per-type scores) and the objects it names, in
    the order the question names them; a relation question also its relation ("left", "right", "above", "below")."""

    type: str
    question: str
    answer: str
    named: tuple[Named, ...] = ()
    relation: str | None = None


def caption(scene: Scene) -> str:
    """Canonical caption: groups of equal colour+shape, ordered by shape (circle, square, triangle) then colour."""
    groups = Counter((o.shape, o.colour) for o in scene.objects)
    keys = sorted(groups, key=lambda k: (SHAPES.index(k[0]), COLOURS.index(k[1])))
    return join_groups([group_phrase(groups[k], k[1], k[0]) for k in keys])


def join_groups(parts: list[str]) -> str:
    """'x', 'x and y', 'x, y and z'."""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def group_phrase(count: int, colour: str, shape: str) -> str:
    noun = shape if count == 1 else PLURAL[shape]
    return f"{NUMBER_WORDS[count]} {colour} {noun}"


def ask(scene: Scene, qtype: str, rng: np.random.Generator, split: str = "train") -> QA | None:
    """A random question of `qtype` about `scene`, or None when the scene allows no unambiguous one."""
    return _ASKERS[qtype](scene, rng, split)


def random_question(scene: Scene, rng: np.random.Generator, boost: dict[str, float] | None = None, split: str = "train") -> QA:
    """A question of a type drawn by TYPE_WEIGHTS (times `boost`) among the types this scene can answer; a relation
    whose side has a weight in `boost` is kept that often, else redrawn (a training curriculum: "left" and "above"
    before their mirrors)."""
    boost = boost or {}
    weights = np.array([TYPE_WEIGHTS[t] * boost.get(t, 1.0) for t in QUESTION_TYPES])
    order = rng.choice(len(QUESTION_TYPES), size=len(QUESTION_TYPES), replace=False, p=weights / weights.sum())
    for i in order:
        qa = ask(scene, QUESTION_TYPES[int(i)], rng, split)
        while qa is not None and boost.get(qa.relation, 1.0) < 1 and rng.random() >= boost[qa.relation]:
            qa = ask(scene, qa.type, rng, split)  # ends: each side's mirror is always askable, the objects swapped
        if qa is not None:
            return qa
    raise AssertionError("count_total is always answerable")


def _count(qtype: str, n: int, phrase: str, rng, split: str) -> QA:
    return QA(qtype, ph.fill(pick(rng, ph.COUNT[split]), rng, split, X=phrase), str(n))


def _count_total(scene: Scene, rng, split: str) -> QA:
    return _count("count_total", len(scene.objects), pick(rng, ph.THING_WORDS)[1], rng, split)


def _count_shape(scene: Scene, rng, split: str) -> QA:
    shape = pick(rng, SHAPES)
    n = sum(o.shape == shape for o in scene.objects)
    return _count("count_shape", n, ph.shape_word(rng, shape, True), rng, split)


def _count_colour(scene: Scene, rng, split: str) -> QA:
    colour = pick(rng, COLOURS)
    n = sum(o.colour == colour for o in scene.objects)
    return _count("count_colour", n, f"{ph.colour_word(rng, colour)} {pick(rng, ph.THING_WORDS)[1]}", rng, split)


def _count_colour_shape(scene: Scene, rng, split: str) -> QA:
    # Half the time ask about a kind that is present, so that answers are not mostly 0.
    if rng.random() < 0.5:
        o = pick(rng, scene.objects)
        shape, colour = o.shape, o.colour
    else:
        shape, colour = pick(rng, SHAPES), pick(rng, COLOURS)
    n = sum(o.shape == shape and o.colour == colour for o in scene.objects)
    phrase = f"{ph.colour_word(rng, colour)} {ph.shape_word(rng, shape, True)}"
    return _count("count_colour_shape", n, phrase, rng, split)


def _colour_of_shape(scene: Scene, rng, split: str) -> QA | None:
    counts = Counter(o.shape for o in scene.objects)
    unique = [o for o in scene.objects if counts[o.shape] == 1]
    if not unique:
        return None
    o = pick(rng, unique)
    template = pick(rng, ph.COLOUR_OF_SHAPE[split])  # drawn before the shape word, as always: the sets stay the same
    name = ph.shape_word(rng, o.shape, False)
    q = ph.fill(template, rng, split, S=name)
    return QA("colour_of_shape", q, o.colour, (named(scene, name, o),))


def _shape_of_colour(scene: Scene, rng, split: str) -> QA | None:
    counts = Counter(o.colour for o in scene.objects)
    unique = [o for o in scene.objects if counts[o.colour] == 1]
    if not unique:
        return None
    o = pick(rng, unique)
    slots = dict(C=ph.colour_word(rng, o.colour), T=pick(rng, (*[t[0] for t in ph.THING_WORDS], "one")))
    q = ph.fill(pick(rng, ph.SHAPE_OF_COLOUR[split]), rng, split, **slots)
    return QA("shape_of_colour", q, o.shape, (named(scene, slots["C"], o),))


def _exists(scene: Scene, rng, split: str) -> QA | None:
    want_yes = bool(rng.random() < 0.5)
    form = pick(rng, ("colour_shape", "shape", "colour"))
    if form == "colour_shape":
        kinds = [(c, s) for s in SHAPES for c in COLOURS]
        present = {(o.colour, o.shape) for o in scene.objects}
    elif form == "shape":
        kinds = [(s,) for s in SHAPES]
        present = {(o.shape,) for o in scene.objects}
    else:
        kinds = [(c,) for c in COLOURS]
        present = {(o.colour,) for o in scene.objects}
    choices = [k for k in kinds if (k in present) == want_yes]
    if not choices:
        return None
    k = pick(rng, choices)
    answer = "yes" if want_yes else "no"
    if form == "colour":
        template, colour, thing = pick(rng, ph.EXISTS_COLOUR[split]), ph.colour_word(rng, k[0]), pick(rng, ph.THING_WORDS)
        q = ph.fill(template, rng, split, C=colour, X=thing[1], T=thing[0])
        return QA("exists", q, answer)
    colour = f"{ph.colour_word(rng, k[0])} " if form == "colour_shape" else ""
    shape = k[-1]
    singular, plural = colour + ph.shape_word(rng, shape, False), colour + ph.shape_word(rng, shape, True)
    q = ph.fill(pick(rng, ph.EXISTS[split]), rng, split, aX=ph.article(singular), X=plural)
    return QA("exists", q, answer)


def object_name(scene: Scene, o, rng) -> str | None:
    """A name that picks out `o` alone: its shape, its colour + a thing word, or colour + shape; None if none does."""
    names = []
    if sum(p.shape == o.shape for p in scene.objects) == 1:
        names.append(ph.shape_word(rng, o.shape, False))
    if sum(p.colour == o.colour for p in scene.objects) == 1:
        names.append(f"{ph.colour_word(rng, o.colour)} {pick(rng, (*[t[0] for t in ph.THING_WORDS], 'one'))}")
    if sum(p.colour == o.colour and p.shape == o.shape for p in scene.objects) == 1:
        names += [f"{ph.colour_word(rng, o.colour)} {ph.shape_word(rng, o.shape, False)}"] * 2
    return pick(rng, names) if names else None


def relation_holds(a, b, relation: str) -> bool | None:
    """True/False when the centres differ by RELATION_MARGIN along the relation's axis, None when too close to say."""
    d = {"left": b.x - a.x, "right": a.x - b.x, "above": b.y - a.y, "below": a.y - b.y}[relation]
    if abs(d) < RELATION_MARGIN:
        return None
    return d > 0


def _relation(scene: Scene, rng, split: str) -> QA | None:
    want_yes = bool(rng.random() < 0.5)
    objs = scene.objects
    options = [(a, b, r) for a in objs for b in objs if a is not b for r in RELATIONS if relation_holds(a, b, r) is want_yes]
    rng.shuffle(options)
    for a, b, rel in options[:8]:
        name_a, name_b = object_name(scene, a, rng), object_name(scene, b, rng)
        if name_a and name_b and name_a != name_b:
            q = ph.fill(pick(rng, ph.RELATION[split][rel]), rng, split, A=name_a, B=name_b)
            return QA("relation", q, "yes" if want_yes else "no", (named(scene, name_a, a), named(scene, name_b, b)), rel)
    return None


def _describe(scene: Scene, rng, split: str) -> QA:
    return QA("describe", ph.fill(pick(rng, ph.DESCRIBE[split]), rng, split), caption(scene))


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
