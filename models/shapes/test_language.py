"""Questions, phrasings, descriptions and the vocabulary: answers that agree with the scene (recomputed here from the
objects, independently of the generator's code path), held-out phrasings that training never produces, and a
tokenizer that splits unknown words into pieces."""

from __future__ import annotations

import re

import numpy as np
import pytest

from shapes import phrasing as ph
from shapes.descriptions import full_description, matches, partial_description, perturbed
from shapes.heldout import make_heldout, normalise
from shapes.outside import OPEN_FRAMES, OUTSIDE_NOUNS, OUTSIDE_QUESTIONS
from shapes.questions import QUESTION_TYPES, RELATION_MARGIN, ask, caption, random_question
from shapes.vocab import SPECIAL_TOKENS, build_tokenizer, decoder_start_id
from shapes.world import COLOURS, SHAPES, Obj, Scene, random_scene

SYNONYMS = {w: shape for shape, forms in ph.SHAPE_WORDS.items() for pair in forms for w in pair}
COLOUR_SYNONYMS = {w: c for c, ws in ph.COLOUR_WORDS.items() for w in ws}


def scenes(seed: int, n: int = 300) -> list[Scene]:
    rng = np.random.default_rng(seed)
    return [random_scene(rng) for _ in range(n)]


def mentioned(question: str) -> tuple[list[str], list[str]]:
    """(canonical shapes, canonical colours) named in the question, in order."""
    tokens = re.findall(r"[a-z]+", question.lower())
    return [SYNONYMS[t] for t in tokens if t in SYNONYMS], [COLOUR_SYNONYMS[t] for t in tokens if t in COLOUR_SYNONYMS]


def check_answer(s: Scene, qtype: str, question: str, answer: str) -> None:
    objs = s.objects
    shapes, colours = mentioned(question)
    if qtype.startswith("count"):
        match = [o for o in objs if all(sh == o.shape for sh in shapes) and all(c == o.colour for c in colours)]
        assert answer == str(len(match)), question
    elif qtype == "colour_of_shape":
        named = [o for o in objs if o.shape == shapes[0]]
        assert len(named) == 1 and named[0].colour == answer, question
    elif qtype == "shape_of_colour":
        named = [o for o in objs if o.colour == colours[0]]
        assert len(named) == 1 and named[0].shape == answer, question
    elif qtype == "describe":
        assert answer == caption(s)
    elif qtype == "exists":
        present = [o for o in objs if all(sh == o.shape for sh in shapes) and all(c == o.colour for c in colours)]
        assert (answer == "yes") == bool(present), question
    else:
        assert answer in ("yes", "no")


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_every_type_is_asked_and_answers_match_the_objects(split):
    rng = np.random.default_rng(3)
    seen = set()
    for s in scenes(3):
        for t in QUESTION_TYPES:
            qa = ask(s, t, rng, split)
            if qa is not None:
                seen.add(t)
                check_answer(s, qa.type, qa.question, qa.answer)
    assert seen == set(QUESTION_TYPES)


def test_relations_are_asked_only_with_a_clear_margin():
    a = Obj("circle", "red", 0.30, 0.5, 0.1, (200, 0, 0))
    b = Obj("square", "blue", 0.35, 0.2, 0.1, (0, 0, 200))
    scene = Scene(96, 96, (a, b), None)
    rng = np.random.default_rng(0)
    asked = [qa.question for _ in range(200) if (qa := ask(scene, "relation", rng))]
    assert asked, "above/below is clear (0.3 apart)"
    assert not any("left" in q or "right" in q for q in asked), "0.05 apart horizontally is under the margin"
    assert RELATION_MARGIN > 0.05


def test_yes_and_no_are_balanced():
    rng = np.random.default_rng(4)
    answers = [qa.answer for s in scenes(4) for t in ("exists", "relation") if (qa := ask(s, t, rng))]
    assert 0.4 < answers.count("yes") / len(answers) < 0.6


def test_relation_side_weights_keep_that_fraction_and_balance_yes_and_no():
    def relations(boost):
        rng = np.random.default_rng(8)
        return [qa for s in scenes(8) if (qa := random_question(s, rng, boost)).type == "relation"]

    plain = relations({"relation": 50.0})
    fewer = relations({"relation": 50.0, "right": 0.25, "below": 0.0})
    share = lambda qas, side: sum(qa.relation == side for qa in qas) / len(qas)  # noqa: E731
    assert 0.15 < share(plain, "right") < 0.35 and share(plain, "below") > 0.15
    assert 0.03 < share(fewer, "right") < share(plain, "right") / 2 and share(fewer, "below") == 0
    assert 0.4 < sum(qa.answer == "yes" for qa in fewer) / len(fewer) < 0.6
    # No side weight, no extra draw: the questions of a seed are the ones they always were.
    rng_a, rng_b = np.random.default_rng(9), np.random.default_rng(9)
    assert [random_question(s, rng_a, {"relation": 2.0, "describe": 1.5}) for s in scenes(9, 50)] == \
           [random_question(s, rng_b, {"relation": 2.0, "describe": 1.5, "left": 1.0}) for s in scenes(9, 50)]


def test_canonical_caption():
    o = lambda shape, colour, x: Obj(shape, colour, x, 0.5, 0.05, (0, 0, 0))  # noqa: E731
    objs = (o("triangle", "green", 0.1), o("square", "blue", 0.3), o("circle", "red", 0.5), o("square", "blue", 0.7))
    assert caption(Scene(96, 96, objs, None)) == "a red circle, two blue squares and a green triangle"
    assert caption(Scene(96, 96, objs[:1], None)) == "a green triangle"


def test_heldout_phrasings_are_never_training_phrasings():
    tables = (ph.COUNT, ph.COLOUR_OF_SHAPE, ph.SHAPE_OF_COLOUR, ph.EXISTS, ph.EXISTS_COLOUR, ph.DESCRIBE, OUTSIDE_QUESTIONS)
    for table in tables:
        assert not set(table["train"]) & set(table["heldout"])
    for rel in ph.RELATION["train"]:
        assert not set(ph.RELATION["train"][rel]) & set(ph.RELATION["heldout"][rel])
    assert not set(OUTSIDE_NOUNS["train"]) & set(OUTSIDE_NOUNS["heldout"])
    heldout_nouns = {w for pair in OUTSIDE_NOUNS["heldout"] for w in pair}
    for text in (*OUTSIDE_QUESTIONS["train"], *OPEN_FRAMES):  # training never names a held-out outside noun
        assert not heldout_nouns & set(re.findall(r"[a-z]+", text)), text
    rng = np.random.default_rng(8)
    train_questions = {normalise(random_question(s, rng).question) for s in scenes(9, 400)}
    heldout_questions = {normalise(random_question(s, rng, split="heldout").question) for s in scenes(10, 400)}
    assert not train_questions & heldout_questions


def test_every_written_apart_phrasing_asks_its_type_with_the_slots_its_asker_gives():
    templates = {t for table in (ph.COUNT, ph.COLOUR_OF_SHAPE, ph.SHAPE_OF_COLOUR, ph.EXISTS, ph.EXISTS_COLOUR, ph.DESCRIBE)
                 for t in table["written"]} | {t for side in ph.RELATION["written"].values() for t in side}
    assert len(templates) > 90
    data = make_heldout(15, 3000, 0, split="written")  # a template whose slot its asker lacks raises KeyError here
    assert {qa.type for _, qa in data.questions} == set(QUESTION_TYPES)
    assert not any("{" in qa.question or "}" in qa.question for _, qa in data.questions)


def test_descriptions_match_their_scene_and_hard_negatives_do_not():
    rng = np.random.default_rng(11)
    negatives = 0
    for s in scenes(11, 200):
        for d in (full_description(s), partial_description(s, rng)):
            assert matches(s, d), d
            neg = perturbed(s, d, rng)
            if neg is not None:
                negatives += 1
                assert not matches(s, neg), neg
    assert negatives > 300


def test_vocabulary_covers_every_generated_text_and_splits_unknown_words():
    tok = build_tokenizer()
    assert tok.convert_ids_to_tokens(list(range(len(SPECIAL_TOKENS)))) == list(SPECIAL_TOKENS) and decoder_start_id(tok) == len(tok)
    rng = np.random.default_rng(5)
    for s in scenes(5, 200):
        for split in ("train", "heldout"):
            qa = random_question(s, rng, split=split)
            for text in (qa.question, qa.answer, caption(s), partial_description(s, rng).text):
                assert tok.unk_token_id not in tok(text).input_ids, text
            for text in (qa.answer, caption(s)):  # what the decoder writes must decode back to itself
                assert normalise(tok.decode(tok(text).input_ids, skip_special_tokens=True)) == normalise(text)
    pieces = tok.tokenize("enumerate the rhombuses")
    assert "[UNK]" not in pieces and any(p.startswith("##") for p in pieces)
    assert set(COLOURS) | set(SHAPES) <= set(tok.get_vocab())
