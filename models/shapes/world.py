"""The shapes world: random scenes of coloured circles, squares and triangles, drawn at many sizes and aspect ratios.

A scene is a list of objects with continuous centres and radii in normalised coordinates (0..1 of the width and of
the height), on a canvas of any size from 48 to 320 px per side (aspect 1:1.8 to 1.8:1). The model sees every image the
way BLIP's processor shows it: squashed to 96 x 96 (`shapes.batch.pixels`), so normalised coordinates are the
model's coordinates. Objects never overlap (a gap of `MIN_GAP` between their discs), so counts are always well
defined; relations are defined with a margin (`shapes.questions.RELATION_MARGIN`).

How a scene looks is drawn from `Look` (`shapes.looks`): background, anti-aliasing, outlines, shape style, JPEG and
blur. `render` draws with Pillow; an independent TypeScript renderer (packages/blip-engine/eval/render-svg.ts) draws
the same scene specs for evaluation only.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import numpy as np

MAX_OBJECTS = 6
SHAPES = ("circle", "square", "triangle")
# Hue (degrees), saturation and value ranges of each colour name; every object draws its own shade.
COLOUR_HSV: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "red": ((-12, 10), (0.65, 1.0), (0.6, 1.0)),
    "green": ((95, 150), (0.5, 1.0), (0.4, 0.9)),
    "blue": ((200, 245), (0.55, 1.0), (0.55, 1.0)),
    "yellow": ((45, 62), (0.7, 1.0), (0.85, 1.0)),
    "purple": ((262, 305), (0.45, 1.0), (0.4, 0.9)),
}
COLOURS = tuple(COLOUR_HSV)
# Object radius as a fraction of the canvas's shorter side.
RADIUS_RANGE = (0.075, 0.14)
MIN_GAP = 0.03  # normalised gap between objects' bounding discs
EDGE_MARGIN = 0.02
CANVAS_RANGE = (48, 320)
ASPECT_RANGE = (0.55, 1.8)
TRIANGLE_POINTS = ("up", "down", "left", "right")
SQUARE_FORMS = ("square", "rectangle", "tilted")
FILLS = ("filled", "filled_outlined", "outlined")


@dataclass(frozen=True)
class Obj:
    """One object: what it is (shape, colour name), where (normalised centre, radius as a fraction of the shorter
    canvas side) and how it is drawn (its own shade, style and form)."""

    shape: str
    colour: str
    x: float
    y: float
    radius: float
    rgb: tuple[int, int, int]
    fill: str = "filled"
    form: str = ""  # triangle: up/down/left/right; square: square/rectangle/tilted; circle: ""


@dataclass(frozen=True)
class Scene:
    """A scene: canvas size in pixels, its objects, and how it looks (a `shapes.looks.Look`)."""

    width: int
    height: int
    objects: tuple[Obj, ...]
    look: object


def colour_shade(colour: str, rng: np.random.Generator) -> tuple[int, int, int]:
    """A random shade of a colour name, within its hue/saturation/value ranges."""
    (h0, h1), (s0, s1), (v0, v1) = COLOUR_HSV[colour]
    h = (rng.uniform(h0, h1) % 360) / 360
    r, g, b = colorsys.hsv_to_rgb(h, rng.uniform(s0, s1), rng.uniform(v0, v1))
    return int(r * 255), int(g * 255), int(b * 255)


def random_canvas(rng: np.random.Generator) -> tuple[int, int]:
    """Width, height: the shorter side log-uniform in CANVAS_RANGE, aspect log-uniform in ASPECT_RANGE; a third
    of the canvases are the model's own 96 x 96."""
    if rng.random() < 1 / 3:
        return 96, 96
    aspect = float(np.exp(rng.uniform(np.log(ASPECT_RANGE[0]), np.log(ASPECT_RANGE[1]))))
    side = float(np.exp(rng.uniform(np.log(CANVAS_RANGE[0]), np.log(CANVAS_RANGE[1] / max(aspect, 1 / aspect)))))
    w, h = (side * aspect, side) if aspect >= 1 else (side, side / aspect)
    return max(CANVAS_RANGE[0], round(w)), max(CANVAS_RANGE[0], round(h))


def place(rng: np.random.Generator, n: int, width: int, height: int) -> list[tuple[float, float, float]] | None:
    """n non-overlapping (x, y, radius) in normalised units, or None when rejection sampling gives up."""
    short = min(width, height)
    placed: list[tuple[float, float, float]] = []
    for _ in range(n):
        for _attempt in range(60):
            r = rng.uniform(*RADIUS_RANGE)
            rx, ry = r * short / width, r * short / height  # the radius along each normalised axis
            x = rng.uniform(rx + EDGE_MARGIN, 1 - rx - EDGE_MARGIN)
            y = rng.uniform(ry + EDGE_MARGIN, 1 - ry - EDGE_MARGIN)
            if all(_apart((x, y, rx, ry), p, width, height) for p in placed):
                placed.append((x, y, r))
                break
        else:
            return None
    return placed


def _apart(a, p, width: int, height: int) -> bool:
    """Whether a new object (x, y, rx, ry) keeps MIN_GAP (in shorter-side units) from a placed (x, y, r)."""
    short = min(width, height)
    dx = (a[0] - p[0]) * width / short
    dy = (a[1] - p[1]) * height / short
    ra = a[2] * width / short
    return float(np.hypot(dx, dy)) > ra + p[2] + MIN_GAP


def random_objects(rng: np.random.Generator, width: int, height: int) -> tuple[Obj, ...]:
    """1..MAX_OBJECTS objects, placed without overlap (fewer objects if the canvas is too crowded)."""
    n = int(rng.integers(1, MAX_OBJECTS + 1))
    spots = None
    while spots is None:
        spots = place(rng, n, width, height)
        n = max(1, n - 1) if spots is None else n
    objects = []
    for x, y, r in spots:
        shape = SHAPES[int(rng.integers(len(SHAPES)))]
        colour = COLOURS[int(rng.integers(len(COLOURS)))]
        form = ""
        if shape == "triangle":
            form = TRIANGLE_POINTS[int(rng.choice(4, p=[0.55, 0.15, 0.15, 0.15]))]
        elif shape == "square":
            form = SQUARE_FORMS[int(rng.choice(3, p=[0.6, 0.25, 0.15]))]
        fill = FILLS[int(rng.choice(3, p=[0.6, 0.2, 0.2]))]
        objects.append(Obj(shape, colour, float(x), float(y), float(r), colour_shade(colour, rng), fill, form))
    return tuple(objects)


def random_scene(rng: np.random.Generator) -> Scene:
    """A scene with every attribute drawn from `rng` (its look from shapes.looks)."""
    from shapes.looks import random_look

    width, height = random_canvas(rng)
    objects = random_objects(rng, width, height)
    return Scene(width, height, objects, random_look(rng, [o.rgb for o in objects]))


def render(scene: Scene):
    """The scene as an RGB PIL image of its canvas size (shapes.draw does the drawing)."""
    from shapes.draw import draw_scene

    return draw_scene(scene)
