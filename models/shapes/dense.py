"""Training-only targets that tell the vision tower what is where: for every image patch, the colour and the shape of
the object on it, and for the whole image, how many objects of each colour+shape kind it holds.

Why: answers and captions reach the vision tower only through the text encoder and decoder, a weak and late signal;
after 5,800 steps a from-scratch ViT still could not count (48-56 %) or name shapes across drawing styles. Predicting
these targets from the patch tokens and the CLS token (heads in `shapes.model.DenseHeads`, never exported) gives every
patch a direct lesson. A patch belongs to the object whose (elliptical, in the squashed 96 x 96 view) disc covers the
patch centre; every object also claims the patch holding its centre, so small objects are never missed.
"""

from __future__ import annotations

import numpy as np

from shapes.model import IMAGE_SIZE, PATCH
from shapes.world import COLOURS, MAX_OBJECTS, SHAPES, Scene

GRID = IMAGE_SIZE // PATCH
KINDS = [(c, s) for c in COLOURS for s in SHAPES]
BACKGROUND = 0  # class 0 of the colour and shape targets; colour i+1 is COLOURS[i], shape j+1 is SHAPES[j]
COUNT_CLASSES = MAX_OBJECTS + 1


def patch_positions() -> np.ndarray:
    """Every patch's centre (x, y) in -1..1, row-major [GRID*GRID, 2] f32: the vision tower's position target."""
    centres = (np.arange(GRID, dtype=np.float32) + 0.5) / GRID * 2 - 1
    px, py = np.meshgrid(centres, centres)
    return np.stack([px.ravel(), py.ravel()], axis=1)


def patch_owners(scene: Scene | None) -> np.ndarray:
    """The index of the object each patch belongs to, -1 for background, row-major [GRID*GRID] int64."""
    owner = np.full(GRID * GRID, -1, dtype=np.int64)
    if scene is None:
        return owner
    centres = (np.arange(GRID) + 0.5) / GRID
    px, py = np.meshgrid(centres, centres)  # py varies along rows: patch index = row * GRID + column
    short = min(scene.width, scene.height)
    best = np.full((GRID, GRID), 1.0)  # the nearest claim so far, in units of the object's radius
    for i, o in enumerate(scene.objects):
        rx, ry = o.radius * short / scene.width, o.radius * short / scene.height
        d = np.hypot((px - o.x) / rx, (py - o.y) / ry)
        row, col = min(int(o.y * GRID), GRID - 1), min(int(o.x * GRID), GRID - 1)
        d[row, col] = 0.0  # the object's own centre patch
        owner[(d <= best).ravel()] = i
        best = np.minimum(best, d)
    return owner


def patch_targets(scene: Scene | None) -> tuple[np.ndarray, np.ndarray]:
    """(colour class, shape class) per patch, row-major [GRID*GRID] int64; all background for a non-scene image."""
    owner = patch_owners(scene)
    colour = np.full(GRID * GRID, BACKGROUND, dtype=np.int64)
    shape = np.full(GRID * GRID, BACKGROUND, dtype=np.int64)
    for i, o in enumerate(scene.objects if scene is not None else ()):
        colour[owner == i] = COLOURS.index(o.colour) + 1
        shape[owner == i] = SHAPES.index(o.shape) + 1
    return colour, shape


def kind_counts(scene: Scene | None) -> np.ndarray:
    """How many objects of each (colour, shape) in KINDS, 0..MAX_OBJECTS, int64 [len(KINDS)]."""
    counts = np.zeros(len(KINDS), dtype=np.int64)
    for o in scene.objects if scene is not None else ():
        counts[KINDS.index((o.colour, o.shape))] += 1
    return counts

