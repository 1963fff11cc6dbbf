"""The trainer: the same seed gives the same weights (the recipe is reproducible), and the schedule is the documented one."""

from __future__ import annotations

import argparse
import json

import torch
from transformers import BlipForQuestionAnswering

from shapes.cli_args import add_train_arguments
from shapes.train import end_step, lr_at, train


def args_for(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    add_train_arguments(p)
    return p.parse_args(list(argv))


def test_schedule_warms_up_decays_and_anneals():
    a = args_for()
    assert lr_at(0, a) < lr_at(a.warmup, a) == max(lr_at(s, a) for s in range(0, a.steps, 50))
    assert abs(lr_at(a.steps - 1, a) - a.lr * a.min_lr_ratio) < 1e-6
    b = args_for("--start-step", "1500", "--anneal-steps", "600")
    assert end_step(b) == 2100 and lr_at(1500, b) < lr_at(1560, b)
    assert abs(lr_at(2099, b) - b.lr * b.min_lr_ratio) < 1e-5
    assert end_step(args_for("--stop-at", "1500")) == 1500


def run_tiny(out) -> dict:
    # Tiny on purpose: 2 steps of batch 4, with the step count forcing an evaluation at the end.
    train(args_for("--out", str(out), "--steps", "2", "--batch", "4", "--warmup", "1"))
    return BlipForQuestionAnswering.from_pretrained(out / "checkpoint").state_dict()


def test_same_seed_same_weights(tmp_path, monkeypatch):
    monkeypatch.setattr("shapes.train.VALIDATION_QUESTIONS", 4)
    monkeypatch.setattr("shapes.train.VALIDATION_CAPTIONS", 2)
    first, second = run_tiny(tmp_path / "a"), run_tiny(tmp_path / "b")
    assert all(torch.equal(first[k], second[k]) for k in first)
    fresh = BlipForQuestionAnswering.from_pretrained(tmp_path / "a" / "checkpoint")
    assert fresh.config.text_config.vocab_size == 66
    record = json.loads((tmp_path / "a" / "log.jsonl").read_text().splitlines()[-1])
    assert record["step"] == 2 and record["per_type"] and 0 <= record["answer_acc"] <= 1
