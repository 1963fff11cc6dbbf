"""How a scene looks, apart from what is in it: background, anti-aliasing, outlines, noise, JPEG and blur.

Backgrounds are white, black, grey, any colour, two-colour gradients or a light texture; any background colour
must stay at least MIN_CONTRAST (RGB distance) from every object's shade, so that every object stays visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_CONTRAST = 110.0
BACKGROUND_KINDS = ("white", "black", "grey", "colour", "gradient", "texture")
BACKGROUND_WEIGHTS = (0.22, 0.12, 0.16, 0.2, 0.15, 0.15)


@dataclass(frozen=True)
class Look:
    """Rendering choices of one scene (all drawn from the scene's rng; `seed` drives texture and noise)."""

    background: str  # one of BACKGROUND_KINDS
    colour_a: tuple[int, int, int]
    colour_b: tuple[int, int, int]  # gradient end / texture contrast colour
    gradient_angle: float
    antialias: bool
    outline_rgb: tuple[int, int, int]
    stroke: float  # outline width as a fraction of the object's radius
    noise_sigma: float
    jpeg_quality: int  # 0 = no JPEG round trip
    blur: float  # Gaussian blur radius in pixels at 96 px (scaled to the canvas)
    seed: int


def _grey(v: int) -> tuple[int, int, int]:
    return (v, v, v)


def _background_colours(kind: str, rng: np.random.Generator) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    if kind == "white":
        c = _grey(int(rng.integers(238, 256)))
        return c, c
    if kind == "black":
        c = _grey(int(rng.integers(0, 30)))
        return c, c
    if kind == "grey":
        c = tuple(int(np.clip(v, 0, 255)) for v in int(rng.integers(60, 220)) + rng.integers(-15, 16, 3))
        return c, c
    a = tuple(int(v) for v in rng.integers(0, 256, 3))
    b = tuple(int(v) for v in rng.integers(0, 256, 3))
    if kind == "texture":  # a light texture: two close colours
        b = tuple(int(np.clip(v + rng.integers(-40, 41), 0, 255)) for v in a)
    return a, b


def _contrast_ok(colours, objects_rgb) -> bool:
    return all(np.linalg.norm(np.subtract(c, o)) >= MIN_CONTRAST for c in colours for o in objects_rgb)


def random_look(rng: np.random.Generator, objects_rgb: list[tuple[int, int, int]]) -> Look:
    """A look whose background keeps every object visible (redrawn until it does)."""
    for _ in range(200):
        kind = BACKGROUND_KINDS[int(rng.choice(len(BACKGROUND_KINDS), p=BACKGROUND_WEIGHTS))]
        a, b = _background_colours(kind, rng)
        if _contrast_ok((a, b), objects_rgb):
            break
    else:  # nothing fits (e.g. yellow and blue and black objects at once): plain white or black always works
        a = b = _grey(255) if _contrast_ok((_grey(255),), objects_rgb) else _grey(0)
        kind = "white" if a == _grey(255) else "black"
    light = sum(a) / 3 > 110  # outlines contrast with the background: dark on light, light on dark
    outline = _grey(int(rng.integers(0, 50))) if light else _grey(int(rng.integers(205, 256)))
    return Look(
        background=kind,
        colour_a=a,
        colour_b=b,
        gradient_angle=float(rng.uniform(0, 360)),
        antialias=bool(rng.random() < 0.6),
        outline_rgb=outline,
        stroke=float(rng.uniform(0.12, 0.3)),
        noise_sigma=float(rng.uniform(0, 8)) if rng.random() < 0.5 else 0.0,
        jpeg_quality=int(rng.integers(25, 95)) if rng.random() < 0.35 else 0,
        blur=float(rng.uniform(0.3, 1.2)) if rng.random() < 0.25 else 0.0,
        seed=int(rng.integers(2**31)),
    )
