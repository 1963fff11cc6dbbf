"""The trainer: the same seed gives the same weights, a stopped run resumes exactly where it stopped, the weights
file loads into Hugging Face's VQA and retrieval classes, and the schedule is the documented one."""

from __future__ import annotations

import argparse
import json
import re

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file

from shapes import batch as batch_module
from shapes.batch import OUTSIDE_QUESTION_FRACTION, make_batch, name_targets, sample, with_unseen_frame_words
from shapes.dense import patch_positions

from shapes.cli_args import _boost, add_train_arguments
from shapes.outside import OUTSIDE_ANSWER
from shapes.pretrain_stem import PREFIX, arguments, pretrain
from shapes.train import (RELATION_SCALE, grounding_loss, lr_at, param_groups, relation_loss, start, train,
                          unseen_word_embeddings)
from shapes.questions import RELATION_MARGIN, Named
from shapes.vocab import build_tokenizer, decoder_start_id, model_vocab_size
from shapes.model import HIDDEN, DemoModel
from shapes.weights import heads_path, load_into, load_model, save_weights, to_retrieval


def args_for(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    add_train_arguments(p)
    return p.parse_args(list(argv))


def test_schedule_warms_up_decays_and_rewarms():
    a = args_for()
    assert lr_at(0, a) < lr_at(a.warmup, a) == max(lr_at(s, a) for s in range(0, a.steps, 50))
    assert abs(lr_at(a.steps - 1, a) - a.lr * a.min_lr_ratio) < 1e-6
    assert lr_at(3000, a, rewarm_from=3000) < lr_at(3050, a, rewarm_from=3000) <= lr_at(3050, a)


def tiny(out, steps: int, *extra: str) -> argparse.Namespace:
    # Tiny on purpose: batches of 3 with 2 image-text pairs, and an evaluation at the last step.
    return args_for("--out", str(out), "--weights", str(out / "w.safetensors"), "--steps", str(steps), "--batch", "3",
                    "--itm", "2", "--warmup", "1", "--eval-every", "100", "--threads", "1", "--workers", "0", *extra)


def small_validation(monkeypatch):
    monkeypatch.setattr("shapes.validate.VALIDATION_QUESTIONS", 4)
    monkeypatch.setattr("shapes.validate.VALIDATION_CAPTIONS", 2)
    monkeypatch.setattr("shapes.validate.VALIDATION_OUTSIDE", 2)
    monkeypatch.setattr("shapes.validate._cache", {})


def test_same_seed_same_weights_and_resume_is_exact(tmp_path, monkeypatch):
    small_validation(monkeypatch)
    train(tiny(tmp_path / "a", 3))
    train(tiny(tmp_path / "b", 3, "--stop-at", "2"))
    train(tiny(tmp_path / "b", 3))  # resumes from b/state.pt at step 2
    first, second = load_file(str(tmp_path / "a/w.safetensors")), load_file(str(tmp_path / "b/w.safetensors"))
    assert all(torch.equal(first[k], second[k]) for k in first)
    info = json.loads((tmp_path / "a/w.json").read_text())
    assert info["step"] == 3 and info["elapsed_s"] > 0
    record = json.loads((tmp_path / "a/log.jsonl").read_text().splitlines()[-1])
    assert record["step"] == 3 and record["per_type"] and 0 <= record["answer_acc"] <= 1 and "itm" in record


def test_weights_load_into_vqa_and_retrieval_models(tmp_path, monkeypatch):
    small_validation(monkeypatch)
    train(tiny(tmp_path, 1))
    model = load_model(tmp_path / "w.safetensors")
    assert model.vqa.config.text_config.vocab_size == model_vocab_size(build_tokenizer())
    retrieval = to_retrieval(model)
    assert torch.equal(retrieval.itm_head.weight, model.itm_head.weight)
    assert torch.equal(retrieval.text_proj.weight, model.text_proj.weight)


def test_a_pretrained_stem_joins_trained_weights(tmp_path, monkeypatch):
    small_validation(monkeypatch)
    train(tiny(tmp_path, 1))
    pretrain(arguments().parse_args(["--out", str(tmp_path / "stem.safetensors"), "--steps", "1", "--batch", "3", "--threads", "1"]))
    a = tiny(tmp_path / "next", 5, "--init-weights", str(tmp_path / "w.safetensors"), "--init-stem",
             str(tmp_path / "stem.safetensors"), "--stem-lr-scale", "3")
    model = DemoModel(build_tokenizer())
    groups = param_groups(model, a.stem_lr_scale)
    assert start(a, model, torch.optim.AdamW(groups))[0] == 1  # the weights' step
    stem, weights = load_file(str(tmp_path / "stem.safetensors")), load_file(str(tmp_path / "w.safetensors"))
    own = model.flat_state()
    assert stem and all(torch.equal(own[k], v) for k, v in stem.items())
    assert all(torch.equal(own[k], v.float()) for k, v in weights.items() if not k.startswith(PREFIX))
    assert [g["scale"] for g in groups] == [1.0, 3.0] and len(groups[1]["params"]) == len(stem)


def test_weights_from_before_the_position_map_load_and_answer_the_same(tmp_path):
    # Weights saved before ConvStem mapped token positions (no `where`) keep their function: it starts at zero.
    model = DemoModel(build_tokenizer()).eval()
    save_weights(model, tmp_path / "w.safetensors", {"step": 7})
    old = {k: v for k, v in load_file(str(tmp_path / "w.safetensors")).items() if not k.endswith("where.weight")}
    save_file(old, str(tmp_path / "w.safetensors"))
    grown = DemoModel(build_tokenizer()).eval()
    load_into(grown, tmp_path / "w.safetensors", resize=True)
    with_zero = DemoModel(build_tokenizer()).eval()
    with_zero.load_flat_state({k: v.float() for k, v in old.items()} | {k: v for k, v in with_zero.flat_state().items() if k.endswith("where.weight")})
    pixels = torch.randn(2, 3, 96, 96)
    with torch.no_grad():
        assert torch.equal(grown.vqa.vision_model(pixel_values=pixels).last_hidden_state,
                           with_zero.vqa.vision_model(pixel_values=pixels).last_hidden_state)
    assert not grown.vqa.vision_model.embeddings.patch_embedding.where.weight.any()


def test_a_restart_from_the_weights_files_keeps_the_dense_heads_or_fits_them_alone(tmp_path, monkeypatch):
    # The heads are saved beside the weights, so a restart without state.pt (a new machine) starts from them.
    small_validation(monkeypatch)
    train(tiny(tmp_path, 1))
    saved = {k: v.float() for k, v in load_file(str(heads_path(tmp_path / "w.safetensors"))).items()}
    a = tiny(tmp_path / "next", 5, "--init-weights", str(tmp_path / "w.safetensors"), "--fit-heads", "2")
    model = DemoModel(build_tokenizer())
    start(a, model, torch.optim.AdamW(model.parameters()))
    assert saved and all(torch.equal(model.dense.state_dict()[k], v) for k, v in saved.items())
    # Weights saved before the heads were kept: fresh heads are fitted alone; the rest of the model stays as loaded.
    heads_path(tmp_path / "w.safetensors").unlink()
    torch.manual_seed(5)
    model = DemoModel(build_tokenizer())
    torch.manual_seed(5)
    fresh = DemoModel(build_tokenizer())  # the heads `model` had before the fit
    start(a, model, torch.optim.AdamW(model.parameters()))
    weights = load_file(str(tmp_path / "w.safetensors"))
    assert all(torch.equal(model.flat_state()[k], v.float()) for k, v in weights.items())
    fitted, initial = model.dense.state_dict(), fresh.dense.state_dict()
    assert all(fitted[k].shape == initial[k].shape for k in fitted)
    assert not torch.equal(fitted["counts.weight"], initial["counts.weight"])


def test_the_words_naming_objects_get_their_centres():
    # The where-loss's targets: every token of "the blue one" and of "circle" (not "the", not "left"), in order.
    tok = build_tokenizer()
    q = "is the blue one to the left of the circle?"
    enc = tok([q], return_offsets_mapping=True)
    named = (Named("blue one", 0.25, 0.5, 1), Named("circle", 0.75, 0.0, 0))
    targets = name_targets(q, named, enc.offset_mapping[0])
    words = [tok.convert_ids_to_tokens(enc.input_ids[0][t]) for t, _ in targets]
    assert words == ["blue", "one", "circle"]
    assert [o.index for _, o in targets] == [1, 1, 0]
    assert name_targets("is the red square above it?", named, tok([q], return_offsets_mapping=True).offset_mapping[0]) == []


def test_an_outside_boost_scales_how_often_a_scene_is_asked_about_something_outside_the_world():
    def outside_rate(boost):
        rng = np.random.default_rng(11)
        scenes = [e for e in (sample(rng, boost) for _ in range(500)) if e.scene is not None]
        return np.mean([e.answer == OUTSIDE_ANSWER for e in scenes])

    assert outside_rate({"outside": 0.0}) == 0
    assert abs(outside_rate(None) - OUTSIDE_QUESTION_FRACTION) < 0.05
    assert abs(outside_rate({"outside": 3.0}) - 3 * OUTSIDE_QUESTION_FRACTION) < 0.07
    for bad in ("describ=2", "outside=-1", "below=0"):  # a typo is an error, not a silently ignored weight
        with pytest.raises(argparse.ArgumentTypeError):
            _boost(bad)


def test_an_unseen_word_embeds_afresh_at_every_training_use_and_as_its_own_row_in_eval():
    tok = build_tokenizer()
    model = DemoModel(tok)
    unseen_word_embeddings(model, tok)
    embed = model.vqa.text_encoder.embeddings.word_embeddings
    ids = tok(["[UNK], how many [UNK] are there?"], return_tensors="pt").input_ids
    unseen = ids[0] == tok.unk_token_id
    assert unseen.sum() == 2
    model.train()
    first, second = embed(ids)[0], embed(ids)[0]
    assert torch.equal(first[~unseen], embed.weight[ids[0][~unseen]])  # every other word is its row
    assert (first[unseen] - second[unseen]).abs().sum(-1).min() > 0.1  # drawn afresh, each use on its own
    assert not torch.equal(first[unseen][0], first[unseen][1])
    model.eval()
    assert torch.equal(embed(ids)[0][unseen], embed.weight[[tok.unk_token_id] * 2])


def test_some_in_world_questions_carry_an_unseen_filler_word_and_keep_their_answer(monkeypatch):
    monkeypatch.setattr(batch_module, "UNSEEN_SWAP_FRACTION", 0.0)  # fillers alone here; swaps below
    rng = np.random.default_rng(12)
    examples = [e for e in (sample(rng, None) for _ in range(1500)) if e.type is not None]
    with_filler = [e for e in examples if "[UNK]" in e.question]
    assert 0.02 < len(with_filler) / len(examples) < 0.12
    assert all(e.answer != OUTSIDE_ANSWER and e.question.count("[UNK]") == 1 for e in with_filler)


def test_some_in_world_questions_have_frame_words_swapped_and_keep_their_meaning(monkeypatch):
    rng = np.random.default_rng(13)
    questions = ["what colour is the red circle?", "is the purple one to the right of the box?", "describe this picture.",
                 "how many circles are there?"]
    swapped = [with_unseen_frame_words(q, rng) for q in questions for _ in range(400)]
    changed = [q for q in swapped if "[UNK]" in q]
    assert 0.1 < len(changed) / len(swapped) < 0.2
    for q in changed:  # the words that name things and sides are all still there, in order
        kept = [w for w in re.findall(r"[a-z']+", q) if w in batch_module.MEANING_WORDS]
        assert any(kept == [w for w in re.findall(r"[a-z']+", o) if w in batch_module.MEANING_WORDS] for o in questions), q
    assert {"what [UNK] is the red circle?", "[UNK] this picture.", "how many circles [UNK] there?"} <= set(swapped)
    # In training they reach in-world questions only, with their own answers, and never "describe" (nothing in it names
    # the world: swapped, it taught that a question of unknown words asks for a description).
    monkeypatch.setattr(batch_module, "UNSEEN_SWAP_FRACTION", 1.0)
    monkeypatch.setattr(batch_module, "UNSEEN_FILLER_FRACTION", 0.0)
    examples = [e for e in (sample(np.random.default_rng(14), {"describe": 4.0}) for _ in range(300)) if e.type is not None]
    assert {e.type for e in examples if "[UNK]" in e.question} == {e.type for e in examples} - {"describe"}
    assert any(e.type == "describe" for e in examples) and not any("[UNK]" in e.question for e in examples if e.type == "describe")


def test_relation_questions_name_both_objects_and_the_batch_marks_their_tokens():
    tok = build_tokenizer()
    batch = make_batch(np.random.default_rng(3), tok, 24, decoder_start_id(tok), boost={"relation": 50.0}, itm=2)
    assert batch.name_mask.shape == batch.question_ids.shape and batch.name_mask.sum(1).gt(1).float().mean() > 0.3
    assert batch.name_where[batch.name_mask].abs().max() <= 1 and not batch.name_where[~batch.name_mask].any()
    # Every named object owns patches, and the centre target is that object's: its patches lie around it.
    rows, tokens = batch.name_mask.nonzero(as_tuple=True)
    for i, t in zip(rows.tolist(), tokens.tolist(), strict=True):
        mine = (batch.patch_owner[i] == batch.name_object[i, t]).nonzero().flatten()
        xy = torch.from_numpy(patch_positions())[mine].mean(0)
        assert mine.numel() > 0 and (xy - batch.name_where[i, t]).abs().max() < 0.3


def test_relation_offsets_mark_relation_questions_and_agree_with_the_answer():
    tok = build_tokenizer()
    b = make_batch(np.random.default_rng(5), tok, 48, decoder_start_id(tok), boost={"relation": 8.0}, itm=2)
    yes, no = tok.convert_tokens_to_ids(["yes", "no"])
    first = b.answer_labels[:, 1]  # the answer's first token after [DEC]
    relation = b.relation_side.ne(0).any(1)
    assert relation.any() and (~relation).any() and not b.relation_offset[~relation].any()
    assert set(first[relation].tolist()) == {yes, no}
    # Both objects' naming words are marked, the first's +1 and the second's -1, and only naming words.
    assert (b.relation_side[relation] > 0).any(1).all() and (b.relation_side[relation] < 0).any(1).all()
    assert not b.relation_side[~b.name_mask].any()
    questions = tok.batch_decode(b.question_ids, skip_special_tokens=True)
    for i in relation.nonzero().flatten().tolist():
        dx, dy = b.relation_offset[i].tolist()
        side = next(w for w in ("left", "right", "above", "over", "higher", "below", "under", "beneath", "lower")
                    if w in questions[i].split())
        holds = {"left": -dx, "right": dx, "above": -dy, "over": -dy, "higher": -dy}.get(side, dy) >= RELATION_MARGIN
        assert holds == (first[i] == yes), questions[i]


def test_the_relation_loss_is_near_zero_when_each_name_holds_its_offset_and_large_when_they_swap():
    tok = build_tokenizer()
    b = make_batch(np.random.default_rng(5), tok, 24, decoder_start_id(tok), boost={"relation": 8.0}, itm=2)
    model = DemoModel(tok)
    head = model.dense.question_relation
    with torch.no_grad():  # the head reads the first two features as they are
        head.weight.zero_()
        head.weight[0, 0] = head.weight[1, 1] = 1.0
        head.bias.zero_()
    offsets = RELATION_SCALE * b.relation_side[:, :, None] * b.relation_offset[:, None, :]  # [B,Tq,2]
    holding = torch.zeros(*b.question_ids.shape, HIDDEN)
    holding[:, :, :2] = offsets
    swapped = holding.clone()
    swapped[:, :, :2] = -offsets
    assert b.relation_side.ne(0).any()
    assert relation_loss(model, holding, b) < 1e-9 < 0.5 < relation_loss(model, swapped, b)


def test_grounding_is_near_zero_when_names_look_at_their_object_and_large_when_they_look_away():
    tok = build_tokenizer()
    b = make_batch(np.random.default_rng(3), tok, 8, decoder_start_id(tok), boost={"relation": 50.0}, itm=2)
    on = (b.patch_owner[:, None, :] == b.name_object[:, :, None]).float()  # [B,Tq,P]
    looking = torch.cat([torch.zeros(*on.shape[:2], 1), on / on.sum(-1, keepdim=True).clamp(min=1)], -1)[:, None]
    away = torch.cat([torch.zeros(*on.shape[:2], 1), (1 - on) / (1 - on).sum(-1, keepdim=True)], -1)[:, None]
    assert b.name_mask.any()
    assert grounding_loss((looking, looking), b) < 1e-4 < 10 < grounding_loss((away,), b)
