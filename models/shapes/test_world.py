"""The shapes world: determinism by seed, answers that agree with the scene (checked from the pixels), captions,
and a vocabulary that covers every word the generator can produce."""

from __future__ import annotations

import numpy as np
import pytest
from transformers import BlipImageProcessor

from shapes.batch import make_batch, pixels
from shapes.heldout import make_heldout, normalise
from shapes.questions import QUESTION_TYPES, ask, caption, random_question
from shapes.vocab import build_tokenizer, decoder_start_id
from shapes.world import CELL, COLOURS, IMAGE_SIZE, Obj, Scene, random_scene, render

N_SCENES = 300


def scenes(seed: int, n: int = N_SCENES) -> list[Scene]:
    rng = np.random.default_rng(seed)
    return [random_scene(rng) for _ in range(n)]


def test_same_seed_same_scenes_images_and_questions():
    a, b = make_heldout(5, 20, 5), make_heldout(5, 20, 5)
    assert a.questions == b.questions and a.captions == b.captions
    assert all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(a.images, b.images, strict=True))
    c = make_heldout(6, 20, 5)
    assert [q for _, q in c.questions] != [q for _, q in a.questions]


def test_scenes_respect_the_world_rules():
    for s in scenes(1):
        assert 1 <= len(s.objects) <= 6
        cells = [(o.row, o.col) for o in s.objects]
        assert len(set(cells)) == len(cells), "one object per grid cell"


def test_objects_are_drawn_in_their_cell_in_their_colour():
    # The centre pixel of each object's cell is (nearly) the object's colour: the image shows what the scene says.
    for s in scenes(2, 100):
        img = np.asarray(render(s), dtype=np.int32)
        for o, (dx, dy) in zip(s.objects, s.offsets, strict=True):
            y, x = o.row * CELL + CELL // 2 + dy, o.col * CELL + CELL // 2 + dx
            patch = img[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3).mean(axis=0)
            nearest = min(COLOURS, key=lambda c: np.abs(np.array(COLOURS[c]) - patch).sum())
            assert nearest == o.colour


def test_every_type_is_asked_and_answers_match_the_objects():
    rng = np.random.default_rng(3)
    seen = set()
    for s in scenes(3):
        for t in QUESTION_TYPES:
            qa = ask(s, t, rng)
            if qa is None:
                continue
            seen.add(t)
            check_answer(s, qa.type, qa.question, qa.answer)
    assert seen == set(QUESTION_TYPES)


def check_answer(s: Scene, qtype: str, question: str, answer: str) -> None:
    """Recompute the answer from the objects, independently of the generator's code path."""
    objs = s.objects
    words = question.rstrip("?").split()
    if qtype.startswith("count"):
        kind = [w for w in words if w not in {"how", "many", "are", "there", "in", "the", "picture", "objects", "shapes"}]
        match = [o for o in objs if all(w in (o.colour, o.shape + "s") for w in kind)]
        assert answer == str(len(match)), question
    elif qtype == "colour_of_shape":
        named = [o for o in objs if o.shape == words[-1]]
        assert len(named) == 1 and named[0].colour == answer
    elif qtype == "shape_of_colour":
        named = [o for o in objs if o.colour == words[-2]]
        assert len(named) == 1 and named[0].shape == answer
    elif qtype == "describe":
        assert answer == caption(s)
    else:
        assert answer in ("yes", "no")
        if qtype == "relation":
            check_relation(objs, words, answer)


def check_relation(objs: tuple[Obj, ...], words: list[str], answer: str) -> None:
    a = [o for o in objs if (o.colour, o.shape) == (words[2], words[3])]
    b = [o for o in objs if (o.colour, o.shape) == (words[-2], words[-1])]
    assert len(a) == 1 and len(b) == 1, "relations name unique objects only"
    a0, b0 = a[0], b[0]
    holds = {"left": a0.col < b0.col, "right": a0.col > b0.col, "above": a0.row < b0.row, "below": a0.row > b0.row}
    rel = next(w for w in words if w in holds)
    assert holds[rel] == (answer == "yes")


def test_yes_and_no_are_balanced():
    rng = np.random.default_rng(4)
    answers = [qa.answer for s in scenes(4) for t in ("exists", "relation") if (qa := ask(s, t, rng))]
    share = answers.count("yes") / len(answers)
    assert 0.4 < share < 0.6


def test_canonical_caption():
    objs = (
        Obj("triangle", "green", "big", 0, 0),
        Obj("square", "blue", "small", 0, 1),
        Obj("circle", "red", "big", 1, 1),
        Obj("square", "blue", "big", 2, 2),
    )
    s = Scene(objs, (100, 100, 100), ((0, 0),) * 4, ((0, 0, 0),) * 4, 0.0, 0)
    assert caption(s) == "a red circle, two blue squares and a green triangle"
    assert caption(Scene(objs[:1], (0, 0, 0), ((0, 0),), ((0, 0, 0),), 0.0, 0)) == "a green triangle"


def test_vocabulary_covers_everything_and_round_trips():
    tok = build_tokenizer()
    rng = np.random.default_rng(5)
    for s in scenes(5):
        qa = random_question(s, rng)
        for text in (qa.question, qa.answer, caption(s)):
            ids = tok(text).input_ids
            assert tok.unk_token_id not in ids, text
            assert normalise(tok.decode(ids, skip_special_tokens=True)) == normalise(text)
    assert decoder_start_id(tok) == len(tok)


def test_pixels_equal_blip_image_processor():
    processor = BlipImageProcessor(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    images = [render(s) for s in scenes(6, 4)]
    ours = pixels(images).numpy()
    theirs = np.asarray(processor(images=images, return_tensors="np")["pixel_values"])
    assert ours.shape == theirs.shape == (4, 3, IMAGE_SIZE, IMAGE_SIZE)
    assert np.abs(ours - theirs).max() < 1e-5


@pytest.mark.parametrize("size", [1, 7])
def test_batches_start_decoder_inputs_with_dec_and_mask_padding(size):
    tok = build_tokenizer()
    b = make_batch(np.random.default_rng(7), tok, size, decoder_start_id(tok))
    assert b.pixel_values.shape == (size, 3, IMAGE_SIZE, IMAGE_SIZE)
    assert (b.answer_ids[:, 0] == decoder_start_id(tok)).all() and (b.caption_ids[:, 0] == decoder_start_id(tok)).all()
    assert ((b.caption_labels == -100) == (b.caption_mask == 0)).all()
