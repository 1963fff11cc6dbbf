"""Train the shapes demo BLIP on fresh scenes: answering (vision -> text encoder -> decoder) and captioning
(decoder cross-attending straight to the image embeddings), the same three parts the engine runs.

`python -m shapes.train --out models/work/shapes-run [--steps N] [--seed S]`; writes OUT/checkpoint (save_pretrained
model + tokenizer, refreshed at every evaluation) and OUT/log.jsonl (loss, learning rate, accuracy, elapsed time).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from transformers import BlipForQuestionAnswering

from shapes.batch import Batch, make_batch
from shapes.cli_args import add_train_arguments
from shapes.evaluate_torch import answer_accuracy, caption_accuracy, overall
from shapes.heldout import make_heldout
from shapes.model import new_model
from shapes.vocab import build_tokenizer, decoder_start_id

EVAL_EVERY = 750
PROGRESS_EVERY = 100
REWARMUP_STEPS = 50
VALIDATION_SEED = 7_777  # a small validation set for the log; the reported held-out set uses another seed
VALIDATION_QUESTIONS = 300
VALIDATION_CAPTIONS = 100


def lr_at(step: int, args) -> float:
    """The learning rate at `step`: the cosine schedule, or in a continuation (--anneal-steps) a short re-warm-up
    then a linear decay from where the cosine stood at --start-step down to min_lr_ratio * lr."""
    if args.anneal_steps and step >= args.start_step:
        k = step - args.start_step
        warm = min(1.0, (k + 1) / REWARMUP_STEPS)  # the optimizer's moments start afresh
        frac = k / args.anneal_steps
        return warm * (cosine_lr(args.start_step, args) * (1 - frac) + args.lr * args.min_lr_ratio * frac)
    return cosine_lr(step, args)


def cosine_lr(step: int, args) -> float:
    """Linear warm-up, then cosine decay to min_lr_ratio * lr at --steps (calibration: 2e-3 diverges)."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def end_step(args) -> int:
    """Where the run stops: after the anneal, at --stop-at, or at --steps."""
    if args.anneal_steps:
        return args.start_step + args.anneal_steps
    return args.stop_at or args.steps


def losses(model, b: Batch) -> tuple[torch.Tensor, torch.Tensor]:
    """(answer loss, caption loss) of one batch; one vision pass serves both tasks."""
    image_embeds = model.vision_model(pixel_values=b.pixel_values).last_hidden_state
    image_mask = torch.ones(image_embeds.shape[:2], dtype=torch.long)
    question_embeds = model.text_encoder(
        input_ids=b.question_ids,
        attention_mask=b.question_mask,
        encoder_hidden_states=image_embeds,
        encoder_attention_mask=image_mask,
    ).last_hidden_state
    answer = model.text_decoder(
        input_ids=b.answer_ids,
        attention_mask=b.answer_mask,
        encoder_hidden_states=question_embeds,
        encoder_attention_mask=b.question_mask,  # at inference one unpadded question: all ones, as HF generate()
        labels=b.answer_labels,
        use_cache=False,
    )
    cap = model.text_decoder(
        input_ids=b.caption_ids,
        attention_mask=b.caption_mask,
        encoder_hidden_states=image_embeds,
        encoder_attention_mask=image_mask,
        labels=b.caption_labels,
        use_cache=False,
    )
    return answer.loss, cap.loss


def evaluate(model, tok, validation, step: int, started: float, train_log: dict) -> dict:
    """Validation answer accuracy (per type) and caption accuracy, merged into one log record."""
    model.eval()
    scores = answer_accuracy(model, tok, validation)
    cap_right, cap_total = caption_accuracy(model, tok, validation, VALIDATION_CAPTIONS)
    model.train()
    return {
        "step": step,
        "elapsed_s": round(time.time() - started, 1),
        **train_log,
        "answer_acc": round(overall(scores), 4),
        "caption_acc": round(cap_right / cap_total, 4),
        "per_type": {k: round(r / t, 3) for k, (r, t) in scores.items()},
    }


def train(args) -> None:
    """The training loop: a fresh batch every step, AdamW, periodic validation and checkpoint."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    # A continuation draws scenes from its own stream, so it never replays the first phase's batches.
    rng = np.random.default_rng([args.seed, args.start_step] if args.start_step else args.seed)
    tok = build_tokenizer()
    model = new_model(tok)
    if args.init_from:
        model.load_state_dict(BlipForQuestionAnswering.from_pretrained(args.init_from).state_dict())
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    validation = make_heldout(VALIDATION_SEED, VALIDATION_QUESTIONS, VALIDATION_CAPTIONS)
    args.out.mkdir(parents=True, exist_ok=True)
    # Written first, so that a checkpoint taken before the end still says how it was made.
    recipe = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "func"}
    (args.out / "recipe.json").write_text(json.dumps(recipe, indent=1))
    log = (args.out / "log.jsonl").open("a")
    n_params = sum(p.numel() for p in model.parameters())
    last_step = end_step(args)
    print(f"[1/3] model: {n_params:,} parameters; steps {args.start_step}..{last_step} of batch {args.batch}", flush=True)
    started, window = time.time(), []
    for step in range(args.start_step, last_step):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args)
        a_loss, c_loss = losses(model, make_batch(rng, tok, args.batch, decoder_start_id(tok), args.boost))
        opt.zero_grad(set_to_none=True)
        (a_loss + c_loss).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        window.append((a_loss.item(), c_loss.item()))
        last = step + 1 == last_step
        if (step + 1) % PROGRESS_EVERY == 0:
            print(f"      step {step + 1} loss {np.mean(window[-PROGRESS_EVERY:], axis=0).round(3).tolist()} {time.time() - started:.0f} s", flush=True)
        if (step + 1) % EVAL_EVERY == 0 or last:
            means = np.mean(window, axis=0)
            window = []
            train_log = {"answer_loss": round(float(means[0]), 4), "caption_loss": round(float(means[1]), 4), "lr": lr_at(step, args)}
            record = evaluate(model, tok, validation, step + 1, started, train_log)
            log.write(json.dumps(record) + "\n")
            log.flush()
            print(f"[2/3] {json.dumps(record)}", flush=True)
            model.save_pretrained(args.out / "checkpoint")
            tok.save_pretrained(args.out / "checkpoint")
    print(f"[3/3] done in {time.time() - started:.0f} s; checkpoint in {args.out / 'checkpoint'}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="shapes.train", description=__doc__.splitlines()[0])
    add_train_arguments(parser)
    train(parser.parse_args())
