"""The dense training targets: every object is on its own centre patch, counts add up, non-scene images are empty."""

from __future__ import annotations

import math

import numpy as np

from shapes.dense import BACKGROUND, GRID, KINDS, kind_counts, patch_targets
from shapes.world import COLOURS, SHAPES, random_scene


def test_every_object_owns_its_centre_patch_and_counts_add_up():
    rng = np.random.default_rng(11)
    for _ in range(200):
        scene = random_scene(rng)
        colour, shape = patch_targets(scene)
        for o in scene.objects:
            i = min(int(o.y * GRID), GRID - 1) * GRID + min(int(o.x * GRID), GRID - 1)
            assert (colour[i], shape[i]) == (COLOURS.index(o.colour) + 1, SHAPES.index(o.shape) + 1)
        counts = kind_counts(scene)
        assert counts.sum() == len(scene.objects) and counts.shape == (len(KINDS),)
        # An object claims no more patches than its bounding box spans (plus one row and column for straddling).
        short = min(scene.width, scene.height)
        boxes = sum((math.ceil(2 * o.radius * short / scene.width * GRID) + 1) * (math.ceil(2 * o.radius * short / scene.height * GRID) + 1)
                    for o in scene.objects)
        assert (colour != BACKGROUND).sum() <= boxes


def test_non_scene_images_have_nothing_on_them():
    colour, shape = patch_targets(None)
    assert (colour == BACKGROUND).all() and (shape == BACKGROUND).all() and not kind_counts(None).any()
