"""The shapes world: determinism by seed, scenes that follow the world's rules, images that show what the scene says
(checked from the pixels), and pixels exactly as BLIP's processor makes them."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest
from transformers import BlipImageProcessor

from shapes.batch import IMAGE_SIZE, make_batch, pixels
from shapes.heldout import make_heldout
from shapes.outside import NONSCENE_KINDS, nonscene_image
from shapes.vocab import build_tokenizer, decoder_start_id
from shapes.world import CANVAS_RANGE, COLOUR_HSV, MIN_GAP, Scene, random_scene, render

N_SCENES = 200


def scenes(seed: int, n: int = N_SCENES) -> list[Scene]:
    rng = np.random.default_rng(seed)
    return [random_scene(rng) for _ in range(n)]


def test_same_seed_same_scenes_images_and_questions():
    a, b = make_heldout(5, 20, 5), make_heldout(5, 20, 5)
    assert a.questions == b.questions and a.captions == b.captions
    assert all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(a.images, b.images, strict=True))
    c = make_heldout(6, 20, 5)
    assert [q for _, q in c.questions] != [q for _, q in a.questions]


def test_scenes_vary_in_size_and_never_overlap():
    all_scenes = scenes(1)
    sizes = {(s.width, s.height) for s in all_scenes}
    assert len(sizes) > 50 and any(s.width > s.height for s in all_scenes) and any(s.width < s.height for s in all_scenes)
    for s in all_scenes:
        assert 1 <= len(s.objects) <= 6 and CANVAS_RANGE[0] <= min(s.width, s.height) <= CANVAS_RANGE[1]
        short = min(s.width, s.height)
        for i, a in enumerate(s.objects):
            assert 0 < a.x < 1 and 0 < a.y < 1
            for b in s.objects[i + 1 :]:
                d = np.hypot((a.x - b.x) * s.width, (a.y - b.y) * s.height) / short
                assert d > a.radius + b.radius + MIN_GAP * 0.99
    assert {s.look.background for s in all_scenes} == {"white", "black", "grey", "colour", "gradient", "texture"}


def hue_name(rgb: np.ndarray) -> str:
    """The colour name whose hue range is nearest to the pixel's hue."""
    h = colorsys.rgb_to_hsv(*(rgb / 255))[0] * 360

    def distance(name: str) -> float:
        lo, hi = COLOUR_HSV[name][0]
        centre = (lo + hi) / 2
        return min(abs(h - centre), 360 - abs(h - centre))

    return min(COLOUR_HSV, key=distance)


def test_filled_objects_are_drawn_at_their_centre_in_their_colour():
    checked = 0
    for s in scenes(2, 100):
        img = np.asarray(render(s), dtype=np.float32)
        assert img.shape == (s.height, s.width, 3)
        for o in s.objects:
            if o.fill == "outlined" or o.radius * min(s.width, s.height) < 6:
                continue
            y, x = int(o.y * s.height), int(o.x * s.width)
            assert hue_name(img[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3).mean(axis=0)) == o.colour
            checked += 1
    assert checked > 150


def test_nonscene_images_of_every_kind():
    rng = np.random.default_rng(3)
    for kind in NONSCENE_KINDS:
        img = nonscene_image(rng, kind)
        assert img.mode == "RGB" and min(img.size) >= 64


def test_pixels_equal_blip_image_processor_at_any_size():
    processor = BlipImageProcessor(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    images = [render(s) for s in scenes(6, 6)]
    assert len({im.size for im in images}) > 1
    ours = pixels(images).numpy()
    theirs = np.stack([np.asarray(processor(images=im, return_tensors="np")["pixel_values"])[0] for im in images])
    assert ours.shape == theirs.shape == (6, 3, IMAGE_SIZE, IMAGE_SIZE)
    assert np.abs(ours - theirs).max() < 0.05  # the processor's resize path may differ from Pillow's by a level or two


@pytest.mark.parametrize("size", [2, 9])
def test_batches_start_decoder_inputs_with_dec_and_mask_padding(size):
    tok = build_tokenizer()
    b = make_batch(np.random.default_rng(7), tok, size, decoder_start_id(tok), itm=4)
    assert b.pixel_values.shape == (size, 3, IMAGE_SIZE, IMAGE_SIZE)
    assert (b.answer_ids[:, 0] == decoder_start_id(tok)).all() and (b.caption_ids[:, 0] == decoder_start_id(tok)).all()
    assert ((b.caption_labels == -100) == (b.caption_mask == 0)).all()
    k = len(b.itc_images)
    assert b.itc_targets.shape == (k, k) and bool((b.itc_targets.diagonal() == 1).all())
    assert set(b.itm_labels.tolist()) <= {0, 1} and len(b.itm_images) == len(b.itm_labels)
