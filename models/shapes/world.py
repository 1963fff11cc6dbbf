"""The shapes world: random scenes of coloured circles, squares and triangles on a 3x3 grid, rendered to 96-px images.

Objects sit in the cells of a 3x3 grid (with a little jitter) so that each 32-px ViT patch sees at most one object;
backgrounds, colour shades, sizes and noise vary so that the model has to look rather than memorise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

IMAGE_SIZE = 96
GRID = 3
CELL = IMAGE_SIZE // GRID
MAX_OBJECTS = 6
JITTER = 3
SHAPES = ("circle", "square", "triangle")
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (215, 35, 35),
    "green": (35, 165, 55),
    "blue": (45, 85, 225),
    "yellow": (240, 215, 30),
    "purple": (145, 50, 185),
}
SIZES = {"big": 12.5, "small": 7.0}  # radius in pixels
SHADE_JITTER = 18  # max per-channel deviation from the nominal colour
NOISE_SIGMA_MAX = 7.0


@dataclass(frozen=True)
class Obj:
    """One object of a scene: what it is and which grid cell (row 0 = top, col 0 = left) it occupies."""

    shape: str
    colour: str
    size: str
    row: int
    col: int


@dataclass(frozen=True)
class Scene:
    """A scene: its objects plus the rendering choices (background, jitter, noise) drawn for it."""

    objects: tuple[Obj, ...]
    background: tuple[int, int, int]
    offsets: tuple[tuple[int, int], ...]
    shades: tuple[tuple[int, int, int], ...]
    noise_sigma: float
    noise_seed: int


def random_scene(rng: np.random.Generator) -> Scene:
    """Draw a scene of 1..MAX_OBJECTS objects in distinct grid cells, every attribute from `rng`."""
    n = int(rng.integers(1, MAX_OBJECTS + 1))
    cells = rng.choice(GRID * GRID, size=n, replace=False)
    objects = tuple(
        Obj(
            shape=SHAPES[int(rng.integers(len(SHAPES)))],
            colour=list(COLOURS)[int(rng.integers(len(COLOURS)))],
            size=list(SIZES)[int(rng.integers(len(SIZES)))],
            row=int(c) // GRID,
            col=int(c) % GRID,
        )
        for c in cells
    )
    grey = int(rng.integers(70, 191))
    background = tuple(int(np.clip(grey + rng.integers(-22, 23), 0, 255)) for _ in range(3))
    offsets = tuple((int(rng.integers(-JITTER, JITTER + 1)), int(rng.integers(-JITTER, JITTER + 1))) for _ in objects)
    shades = tuple(_shade(COLOURS[o.colour], rng) for o in objects)
    return Scene(objects, background, offsets, shades, float(rng.uniform(0, NOISE_SIGMA_MAX)), int(rng.integers(2**31)))


def _shade(rgb: tuple[int, int, int], rng: np.random.Generator) -> tuple[int, int, int]:
    return tuple(int(np.clip(v + rng.integers(-SHADE_JITTER, SHADE_JITTER + 1), 0, 255)) for v in rgb)


def render(scene: Scene) -> Image.Image:
    """Draw the scene as a 96x96 RGB image (objects, then mild Gaussian noise seeded by the scene)."""
    img = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), scene.background)
    draw = ImageDraw.Draw(img)
    for obj, (dx, dy), shade in zip(scene.objects, scene.offsets, scene.shades, strict=True):
        cx = obj.col * CELL + CELL / 2 + dx
        cy = obj.row * CELL + CELL / 2 + dy
        _draw_shape(draw, obj.shape, cx, cy, SIZES[obj.size], shade)
    if scene.noise_sigma <= 0:
        return img
    noise = np.random.default_rng(scene.noise_seed).normal(0, scene.noise_sigma, (IMAGE_SIZE, IMAGE_SIZE, 3))
    pixels = np.clip(np.asarray(img, dtype=np.float32) + noise, 0, 255).round().astype(np.uint8)
    return Image.fromarray(pixels, "RGB")


def _draw_shape(draw: ImageDraw.ImageDraw, shape: str, cx: float, cy: float, r: float, fill: tuple[int, int, int]):
    if shape == "circle":
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
    elif shape == "square":
        h = r * 0.85  # a square of the circle's width looks bigger; this keeps the areas comparable
        draw.rectangle((cx - h, cy - h, cx + h, cy + h), fill=fill)
    elif shape == "triangle":
        draw.polygon([(cx, cy - r), (cx - r, cy + r * 0.8), (cx + r, cy + r * 0.8)], fill=fill)
    else:
        raise ValueError(f"unknown shape {shape!r}")
