"""Texts for image-text matching (issue 20's heads): full captions and partial everyday descriptions, with the rule
that says whether a text matches a scene.

A description is a set of groups (colour or None, shape or None, count or None) plus `full`. A full description
(the caption) matches a scene whose groups are exactly those; a partial one ("a picture with a purple triangle",
"two red circles", "something green") matches when every mentioned group is present (with exactly that count when it
gives one; "a" counts as one only in full captions, partial "a purple triangle" means at least one).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from shapes.phrasing import colour_word, pick, shape_word
from shapes.questions import NUMBER_WORDS, PLURAL, caption, group_phrase, join_groups
from shapes.world import COLOURS, SHAPES, Scene

PARTIAL_FRAMES = ("{}", "a picture with {}", "an image of {}", "a photo with {}", "{} in a picture", "shapes including {}",
                  "a drawing with {}", "a scene with {}")


@dataclass(frozen=True)
class Description:
    text: str
    groups: tuple[tuple[str | None, str | None, int | None], ...]
    full: bool


def full_description(scene: Scene) -> Description:
    """The canonical caption as a description."""
    groups = Counter((o.colour, o.shape) for o in scene.objects)
    return Description(caption(scene), tuple((c, s, n) for (c, s), n in groups.items()), True)


def matches(scene: Scene, d: Description) -> bool:
    """Whether the description is true of the scene."""
    have = Counter((o.colour, o.shape) for o in scene.objects)
    if d.full:
        return have == Counter({(c, s): n for c, s, n in d.groups})
    for c, s, n in d.groups:
        k = sum(v for (cc, ss), v in have.items() if c in (None, cc) and s in (None, ss))
        if (n is None and k == 0) or (n is not None and k != n):
            return False
    return True


def _partial_phrase(rng: np.random.Generator, c: str | None, s: str | None, n: int | None) -> str:
    if s is None:
        return f"something {colour_word(rng, c)}"
    noun = shape_word(rng, s, plural=n is not None and n > 1)
    colour = f"{colour_word(rng, c)} " if c else ""
    if n is None:
        return ("a " if noun[0] not in "aeiou" else "an ") + colour + noun if rng.random() < 0.6 else colour + PLURAL.get(s, noun)
    return f"{NUMBER_WORDS[n] if n > 1 else 'one'} {colour}{noun}"


def partial_description(scene: Scene, rng: np.random.Generator) -> Description:
    """1-2 groups that are true of the scene, in everyday words."""
    groups = Counter((o.colour, o.shape) for o in scene.objects)
    keys = list(groups)
    rng.shuffle(keys)
    chosen = []
    for c, s in keys[: int(rng.integers(1, 3))]:
        style = rng.integers(4)
        if style == 0:  # colour and shape with the exact count
            chosen.append((c, s, groups[(c, s)]))
        elif style == 1:  # colour and shape, no count
            chosen.append((c, s, None))
        elif style == 2:  # shape only
            chosen.append((None, s, None))
        else:  # colour only
            chosen.append((c, None, None))
    text = pick(rng, PARTIAL_FRAMES).format(join_groups([_partial_phrase(rng, *g) for g in chosen]))
    return Description(text, tuple(chosen), False)


def perturbed(scene: Scene, d: Description, rng: np.random.Generator) -> Description | None:
    """A hard negative: the description with one group's colour, shape or count changed, if that makes it false."""
    for _ in range(6):
        groups = list(d.groups)
        i = int(rng.integers(len(groups)))
        c, s, n = groups[i]
        what = rng.integers(3)
        if what == 0 and c is not None:
            c = pick(rng, [x for x in COLOURS if x != c])
        elif what == 1 and s is not None:
            s = pick(rng, [x for x in SHAPES if x != s])
        elif n is not None:
            n = int(pick(rng, [x for x in range(1, 7) if x != n]))
        else:
            continue
        groups[i] = (c, s, n)
        if d.full:
            merged = Counter()
            for gc, gs, gn in groups:
                merged[(gc, gs)] += gn
            if max(merged.values()) > max(NUMBER_WORDS):
                continue
            ordered = sorted(merged, key=lambda k: (SHAPES.index(k[1]), COLOURS.index(k[0])))
            cand = Description(join_groups([group_phrase(merged[k], k[0], k[1]) for k in ordered]),
                               tuple((k[0], k[1], merged[k]) for k in ordered), True)
        else:
            cand = Description(pick(rng, PARTIAL_FRAMES).format(join_groups([_partial_phrase(rng, *g) for g in groups])),
                               tuple(groups), False)
        if not matches(scene, cand):
            return cand
    return None
