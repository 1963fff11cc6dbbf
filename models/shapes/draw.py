"""Pillow drawing of a shapes scene (the training renderer): background, shapes, then noise, JPEG and blur.

Anti-aliased scenes draw their shapes on a supersampled transparent layer that is shrunk and composited; the rest
draw straight onto the canvas (hard pixel edges).
"""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from shapes.looks import Look
from shapes.world import Obj, Scene

# Shape geometry, in units of the object's radius, chosen so every shape fits in its bounding disc.
SQUARE_HALF = 0.72
RECTANGLE_HALVES = (0.82, 0.5)
TRIANGLE_POINTS_UP = ((0.0, -1.0), (-0.82, 0.58), (0.82, 0.58))
DIRECTION_ANGLE = {"up": 0.0, "right": 90.0, "down": 180.0, "left": 270.0}


def background(look: Look, width: int, height: int) -> Image.Image:
    """The background: a solid colour, a linear gradient or a light low-frequency texture."""
    a, b = np.array(look.colour_a, np.float32), np.array(look.colour_b, np.float32)
    if look.background in ("white", "black", "grey", "colour"):
        return Image.new("RGB", (width, height), look.colour_a)
    if look.background == "gradient":
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        t = math.radians(look.gradient_angle)
        proj = (xs / width - 0.5) * math.cos(t) + (ys / height - 0.5) * math.sin(t)
        mix = (proj - proj.min()) / max(float(proj.max() - proj.min()), 1e-6)
    else:
        rng = np.random.default_rng(look.seed)
        coarse = rng.random((int(rng.integers(3, 9)), int(rng.integers(3, 9)))).astype(np.float32)
        mix = np.asarray(Image.fromarray(coarse, "F").resize((width, height), Image.BICUBIC)).clip(0, 1)
    arr = a * (1 - mix[..., None]) + b * mix[..., None]
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8), "RGB")


def shape_outline(obj: Obj, cx: float, cy: float, r: float, variant: float) -> list[tuple[float, float]] | None:
    """Polygon vertices for squares and triangles (None for circles); `variant` in [0,1) picks orientation/tilt."""
    if obj.shape == "circle":
        return None
    if obj.shape == "triangle":
        angle, pts = DIRECTION_ANGLE[obj.form or "up"], TRIANGLE_POINTS_UP
    elif obj.form == "rectangle":
        hw, hh = RECTANGLE_HALVES if variant < 0.5 else RECTANGLE_HALVES[::-1]
        angle, pts = 0.0, ((-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh))
    else:
        h = SQUARE_HALF
        angle = (10 + 25 * variant) * (1 if variant < 0.5 else -1) if obj.form == "tilted" else 0.0
        pts = ((-h, -h), (h, -h), (h, h), (-h, h))
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return [(cx + r * (px * c - py * s), cy + r * (px * s + py * c)) for px, py in pts]


def draw_object(draw: ImageDraw.ImageDraw, obj: Obj, look: Look, cx: float, cy: float, r: float, variant: float):
    """One object with its fill style: filled, filled with an outline in the look's outline colour, or outline only."""
    fill = obj.rgb + (255,) if obj.fill != "outlined" else None
    if obj.fill == "outlined":
        outline, width = obj.rgb + (255,), max(2, round(max(look.stroke, 0.22) * r))
    elif obj.fill == "filled_outlined":
        outline, width = look.outline_rgb + (255,), max(1, round(look.stroke * r * 0.6))
    else:
        outline, width = None, 0
    poly = shape_outline(obj, cx, cy, r, variant)
    if poly is None:
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=outline, width=width)
    else:
        draw.polygon(poly, fill=fill, outline=outline, width=width)


def draw_scene(scene: Scene) -> Image.Image:
    """The scene at its canvas size, RGB."""
    look: Look = scene.look
    w, h = scene.width, scene.height
    img = background(look, w, h)
    factor = 2 if look.antialias else 1
    layer = Image.new("RGBA", (w * factor, h * factor), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    variants = np.random.default_rng(look.seed + 1).random(len(scene.objects))
    for obj, v in zip(scene.objects, variants, strict=True):
        r = obj.radius * min(w, h) * factor
        draw_object(draw, obj, look, obj.x * w * factor, obj.y * h * factor, r, float(v))
    if factor > 1:
        layer = layer.resize((w, h), Image.LANCZOS)
    img = Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")
    return degrade(img, look)


def degrade(img: Image.Image, look: Look) -> Image.Image:
    """Noise, then blur, then a JPEG round trip, as the look says."""
    if look.noise_sigma > 0:
        noise = np.random.default_rng(look.seed + 2).normal(0, look.noise_sigma, (img.height, img.width, 3))
        img = Image.fromarray(np.clip(np.asarray(img, np.float32) + noise, 0, 255).round().astype(np.uint8), "RGB")
    if look.blur > 0:
        img = img.filter(ImageFilter.GaussianBlur(look.blur * min(img.size) / 96))
    if look.jpeg_quality:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=look.jpeg_quality)
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return img
