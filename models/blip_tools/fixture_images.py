"""The fixed test images (models/fixtures/images/): several sizes and aspect ratios, greyscale, RGBA with real
alpha, a palette PNG and a photo-like JPEG. Pure numpy arithmetic, no randomness, so rerunning gives the same
pixels; the files are committed, so the engine's tests never depend on this script's Pillow version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "images"
JPEG_QUALITY = 90


def _grid(width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates in [0, 1), shaped [H, W]."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    return (xs + 0.5) / width, (ys + 0.5) / height


def _to_u8(channels: list[np.ndarray]) -> np.ndarray:
    """Stack [0,1] float channels into an [H, W, C] uint8 array."""
    return (np.clip(np.stack(channels, axis=-1), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def photo_gradient(width: int, height: int) -> Image.Image:
    """A sky-to-ground gradient with a soft sun and ripples: smooth, photo-like content for JPEG."""
    x, y = _grid(width, height)
    sun = np.exp(-(((x - 0.7) ** 2) + ((y - 0.3) ** 2)) / 0.02)
    ripple = 0.05 * np.sin(40.0 * x + 10.0 * y)
    r = 0.3 + 0.6 * y + 0.6 * sun + ripple
    g = 0.5 + 0.3 * (1 - y) + 0.4 * sun
    b = 0.9 - 0.6 * y + ripple
    return Image.fromarray(_to_u8([r, g, b]), "RGB")


def shapes_scene(width: int, height: int) -> Image.Image:
    """Flat background with a red disc, a blue square and a green band: hard edges for the resampler."""
    x, y = _grid(width, height)
    aspect = width / height
    disc = ((x - 0.3) * aspect) ** 2 + (y - 0.4) ** 2 < 0.04
    square = (np.abs(x - 0.7) < 0.12) & (np.abs(y - 0.6) < 0.12 * aspect)
    band = np.abs(y - 0.85) < 0.05
    r = np.where(disc, 0.9, 0.95) * ~square * ~band
    g = np.where(disc, 0.1, 0.93) * ~square + band * 0.7
    b = np.where(disc, 0.1, 0.85) * ~band + square * 0.8
    return Image.fromarray(_to_u8([r, g, b]), "RGB")


def greyscale(width: int, height: int) -> Image.Image:
    """A diagonal ramp with rings, mode L."""
    x, y = _grid(width, height)
    value = 0.5 * (x + y) + 0.2 * np.sin(30.0 * np.hypot(x - 0.5, y - 0.5))
    return Image.fromarray(_to_u8([value])[..., 0], "L")


def rgba_alpha(width: int, height: int) -> Image.Image:
    """Colours under a radial alpha ramp (opaque centre, transparent corners): real partial transparency."""
    x, y = _grid(width, height)
    alpha = np.clip(1.2 - 1.6 * np.hypot(x - 0.5, y - 0.5), 0.0, 1.0)
    return Image.fromarray(_to_u8([x, 1 - y, 0.5 + 0.5 * np.sin(12 * x), alpha]), "RGBA")


def palette(width: int, height: int) -> Image.Image:
    """Eight-colour stripes as a palette (mode P) PNG."""
    x, _ = _grid(width, height)
    index = np.floor(x * 8).astype(np.uint8)
    image = Image.fromarray(index, "P")
    colours = [(0, 0, 0), (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255),
               (255, 255, 255)]
    image.putpalette([c for rgb in colours for c in rgb])
    return image


# name -> (builder, width, height); the golden fixtures refer to these file names.
IMAGES: dict[str, tuple[Callable[[int, int], Image.Image], int, int]] = {
    "photo-640x480.jpg": (photo_gradient, 640, 480),
    "shapes-640x480.png": (shapes_scene, 640, 480),
    "tall-300x800.png": (shapes_scene, 300, 800),
    "tiny-33x17.png": (shapes_scene, 33, 17),
    "pixel-1x1.png": (photo_gradient, 1, 1),
    "grey-96x64.png": (greyscale, 96, 64),
    "alpha-120x120.png": (rgba_alpha, 120, 120),
    "palette-80x40.png": (palette, 80, 40),
}


def write_fixture_images(folder: Path = FIXTURES_DIR) -> list[Path]:
    """Write every fixture image; returns their paths in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (build, width, height) in sorted(IMAGES.items()):
        path = folder / name
        image = build(width, height)
        if name.endswith(".jpg"):
            image.save(path, quality=JPEG_QUALITY, optimize=False)
        else:
            image.save(path, optimize=False)
        paths.append(path)
    return paths
