"""Train the shapes demo model on fresh examples: answering (vision -> text encoder -> decoder), captioning (decoder
cross-attending straight to the image embeddings), and issue 20's image-text heads (contrastive + matching losses).

`python -m shapes.train [--out models/work/shapes-run2] [--steps N]`. Resumable: every --checkpoint-minutes it writes
OUT/state.pt (weights, AdamW moments, step, random-generator states, wall time so far; running the same command again
continues exactly where it stopped) and the FP16 weights to --weights (committed, outside the served folder).
OUT/log.jsonl records losses, learning rate, validation accuracy per type and the cumulative wall time.
"""

from __future__ import annotations

import os

# Idle OpenMP threads sleep instead of spinning: on a loaded shared 2-core box two passive threads measured ~3x
# faster per step than one (and two spinning threads ~3x slower). Must be set before torch loads OpenMP.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from shapes.batch import Batch, batch_stream
from shapes.cli_args import add_train_arguments
from shapes.dense import BACKGROUND, patch_positions
from shapes.model import DemoModel, answer_memory
from shapes.outside import UNSEEN_WORD
from shapes.validate import validate
from shapes.vocab import build_tokenizer
from safetensors.torch import load_file

from shapes.pretrain_stem import PREFIX as STEM_PREFIX
from shapes.weights import load_heads, load_into, save_weights

PROGRESS_EVERY = 50
REWARMUP_STEPS = 100
FIT_HEADS_LR = 3e-3  # linear heads on fixed features: a larger step than the model's
FIT_HEADS_SEED = 1_000_003  # the heads' fit draws batches apart from the training steps' (seed, k)
PATCH_XY = torch.from_numpy(patch_positions())[None]  # [1,P,2] every patch's centre, -1..1
RELATION_SCALE = 3.0  # offsets are fractions of the canvas: x3 gives the target about unit spread
ITC_TEMPERATURE = 0.07  # fixed, as CLIP/BLIP start; Hugging Face's retrieval head scores cosine similarity only


def lr_at(step: int, args, rewarm_from: int | None = None) -> float:
    """Linear warm-up, then cosine decay to min_lr_ratio * lr at --steps (calibration: 2e-3 diverges); after a
    restart from the committed weights (fresh AdamW) a short linear re-warm-up to the cosine's value."""
    if step < args.warmup:
        base = args.lr * (step + 1) / args.warmup
    else:
        progress = min(1.0, (step - args.warmup) / max(1, args.steps - args.warmup))
        base = args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))
    if rewarm_from is not None and step - rewarm_from < REWARMUP_STEPS:
        base *= (step - rewarm_from + 1) / REWARMUP_STEPS
    return base


def losses(model: DemoModel, b: Batch) -> dict[str, torch.Tensor]:
    """Answer, caption, contrastive and matching losses of one batch; one vision pass serves all four."""
    vqa = model.vqa
    image_embeds = vqa.vision_model(pixel_values=b.pixel_values).last_hidden_state
    image_mask = torch.ones(image_embeds.shape[:2], dtype=torch.long)
    question = vqa.text_encoder(
        input_ids=b.question_ids, attention_mask=b.question_mask,
        encoder_hidden_states=image_embeds, encoder_attention_mask=image_mask, output_attentions=True,
    )
    question_embeds = question.last_hidden_state
    memory, memory_mask = answer_memory(question_embeds, b.question_mask, image_embeds)
    answer = vqa.text_decoder(
        input_ids=b.answer_ids, attention_mask=b.answer_mask, encoder_hidden_states=memory,
        encoder_attention_mask=memory_mask, labels=b.answer_labels, use_cache=False,
    )
    cap = vqa.text_decoder(
        input_ids=b.caption_ids, attention_mask=b.caption_mask, encoder_hidden_states=image_embeds,
        encoder_attention_mask=image_mask, labels=b.caption_labels, use_cache=False,
    )
    return {"answer": answer.loss, "caption": cap.loss, **image_text_losses(model, image_embeds, b),
            "dense": dense_loss(model, image_embeds, b), **question_losses(model, question_embeds, b),
            "ground": grounding_loss(question.cross_attentions, b)}


UNSEEN_STD = (0.012, 0.02)  # the spread of never-trained embedding rows: 0.02 at init, ~0.015 after weight decay
UNSEEN_DRAWS_KEY = 2  # the unseen-word rows of step k come from (seed, k, this): apart from the batch draws


def unseen_word_embeddings(model: DemoModel, tok, draws: torch.Generator | None = None) -> torch.utils.hooks.RemovableHandle:
    """While training, every UNSEEN_WORD in a question embeds as a fresh random row, like a vocabulary word no
    training text uses (shapes.outside.UNSEEN_WORD); in eval mode (and in the exported graphs) the row is the model's.
    The rows come from `draws` (train() seeds it per step, so a resumed run draws what an uninterrupted one would)."""
    unseen_id = tok.convert_tokens_to_ids(UNSEEN_WORD)

    def hook(module: torch.nn.Embedding, args: tuple, out: torch.Tensor) -> torch.Tensor:
        where = args[0] == unseen_id
        count = int(where.sum())
        if not module.training or count == 0:
            return out
        std = torch.empty(count, 1).uniform_(*UNSEEN_STD, generator=draws)
        return out.masked_scatter(where[..., None], torch.randn(count, out.shape[-1], generator=draws) * std)

    return model.vqa.text_encoder.embeddings.word_embeddings.register_forward_hook(hook)


def grounding_loss(cross_attentions: tuple[torch.Tensor, ...], b: Batch) -> torch.Tensor:
    """A name's tokens look at the object they name: -log of the cross-attention mass (mean over layers and heads) on
    that object's patches. The `where` loss on names stayed at the mean's error through run 9's 800 steps while the
    patches got their positions back (probe R^2 0.61): the text encoder had not found which patches to read."""
    if not b.name_mask.any():
        return b.pixel_values.sum() * 0.0
    attention = torch.stack(cross_attentions).mean((0, 2))[:, :, 1:]  # [B,Tq,P]: layers and heads averaged, CLS dropped
    on_object = b.patch_owner[:, None, :] == b.name_object[:, :, None]
    mass = (attention * on_object).sum(-1)[b.name_mask]
    return -torch.log(mass + 1e-6).mean()


def question_losses(model: DemoModel, question_embeds: torch.Tensor, b: Batch) -> dict[str, torch.Tensor]:
    """What the question's embeddings (all the answer decoder sees) must carry. "where": the words naming an object
    ("the red circle") hold where it is; relations stayed at chance from the answer loss alone (the model said "yes",
    later "no", to nearly all): a comparison cannot be learnt before the positions it compares are there to read.
    "inventory": the first token holds how many of each kind the picture has, which fixes the caption that "describe"
    must answer (36 % right while captions from the image were 94-98 %) and every count."""
    heads = model.dense
    if b.name_mask.any():
        where = F.mse_loss(heads.name_where(question_embeds[b.name_mask]), b.name_where[b.name_mask])
    else:
        where = question_embeds.sum() * 0.0
    counts = heads.question_counts(question_embeds[:, 0, :]).view(-1, heads.kinds, heads.count_classes)
    return {"where": where, "inventory": F.cross_entropy(counts.flatten(0, 1), b.kind_counts.flatten()),
            "relation": relation_loss(model, question_embeds, b)}


def relation_loss(model: DemoModel, question_embeds: torch.Tensor, b: Batch) -> torch.Tensor:
    """The words naming a relation's objects hold their object's centre minus the other's. With the names' positions
    learnt (run 10: `where` 0.21 -> 0.01) the answers stayed at chance (relation_probe: AUC 0.44-0.48): "yes" is the
    product of the side asked and the offset, and with left and right (above and below) asked equally neither factor
    alone says anything, so the answer loss gave no gradient towards either. "Mine minus the other's" is linear in the
    names' positions and the same rule for both names; the decoder is left the sign. Tried before it, each flat at
    its variance for 250-300 steps: the first token holding the signed distance on the asked side (that same
    product), then the first token holding first-minus-second (which needs telling the names apart)."""
    on_names = b.relation_side != 0
    if not on_names.any():
        return question_embeds.sum() * 0.0
    target = b.relation_side[:, :, None] * b.relation_offset[:, None, :]  # [B,Tq,2]
    predicted = model.dense.question_relation(question_embeds[on_names])
    return F.mse_loss(predicted, RELATION_SCALE * target[on_names])


def dense_loss(model: DemoModel, image_embeds: torch.Tensor, b: Batch) -> torch.Tensor:
    """What is on every patch, where the patch is, and how many of each kind (shapes.dense): a direct lesson for the
    vision tower. Nothing else asks it to keep positions, and it dropped them: a linear probe reads a patch's (x, y)
    from the embeddings with R^2 0.4, after two layers 0.01, at the output none (session 9, step 14,456)."""
    colour, shape, counts, where = model.dense(image_embeds)
    on_object = b.patch_colour.flatten() != BACKGROUND
    patch = (F.cross_entropy(colour.flatten(0, 1), b.patch_colour.flatten(), reduction="none")
             + F.cross_entropy(shape.flatten(0, 1), b.patch_shape.flatten(), reduction="none"))
    # Objects cover a few patches of 144: averaged alone, "all background" would be a cheap minimum.
    balanced = patch[on_object].mean() + patch[~on_object].mean() if on_object.any() else patch.mean()
    position = F.mse_loss(where, PATCH_XY.expand_as(where))
    return balanced + F.cross_entropy(counts.flatten(0, 1), b.kind_counts.flatten()) + position


def image_text_losses(model: DemoModel, image_embeds: torch.Tensor, b: Batch) -> dict[str, torch.Tensor]:
    """Contrastive loss (soft targets: a partial description can be true of several images) and matching loss."""
    vqa = model.vqa
    img = F.normalize(model.vision_proj(image_embeds[b.itc_images, 0, :]), dim=-1)
    text = vqa.text_encoder(input_ids=b.itc_ids, attention_mask=b.itc_mask).last_hidden_state[:, 0, :]
    txt = F.normalize(model.text_proj(text), dim=-1)
    sim = img @ txt.T / ITC_TEMPERATURE
    t = b.itc_targets
    i2t = -(F.log_softmax(sim, dim=1) * (t / t.sum(1, keepdim=True))).sum(1).mean()
    t2i = -(F.log_softmax(sim, dim=0) * (t / t.sum(0, keepdim=True))).sum(0).mean()
    pair_images = image_embeds[b.itm_images]
    joint = vqa.text_encoder(
        input_ids=b.itm_ids, attention_mask=b.itm_mask, encoder_hidden_states=pair_images,
        encoder_attention_mask=torch.ones(pair_images.shape[:2], dtype=torch.long),
    ).last_hidden_state[:, 0, :]
    return {"itc": (i2t + t2i) / 2, "itm": F.cross_entropy(model.itm_head(joint), b.itm_labels)}


def save_state(path: Path, model, opt, step: int, elapsed: float) -> None:
    """Everything needed to continue exactly: written to a temp file, then renamed (a kill never leaves half a file)."""
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "torch_rng": torch.get_rng_state(), "elapsed": elapsed}, tmp)
    tmp.replace(path)


def start(args, model, opt) -> tuple[int, float, int | None]:
    """(step, wall seconds so far, re-warm-up step or None): resume OUT/state.pt if present, else start from
    --init-weights (fresh AdamW) or from scratch. Step k's batch is drawn from the rng seeded (seed, k), so a
    resumed run sees exactly the batches an uninterrupted one would."""
    state_file = args.out / "state.pt"
    if state_file.exists():
        state = torch.load(state_file, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        torch.set_rng_state(state["torch_rng"])
        print(f"[0/3] resumed {state_file} at step {state['step']} ({state['elapsed']:.0f} s of training so far)", flush=True)
        return state["step"], state["elapsed"], None
    if args.init_stem:
        stem = model.vqa.vision_model.embeddings.patch_embedding
        stem.load_state_dict({k.removeprefix(STEM_PREFIX): v for k, v in load_file(str(args.init_stem)).items()})
        print(f"[0/3] stem from {args.init_stem}", flush=True)
    if args.init_weights:
        info = load_into(model, args.init_weights, resize=True, keep=STEM_PREFIX if args.init_stem else None)
        step = int(info["step"])
        print(f"[0/3] weights from {args.init_weights} (step {step}); fresh AdamW with a {REWARMUP_STEPS}-step re-warm-up", flush=True)
        if not load_heads(model, args.init_weights):
            fit_heads(model, args)
        return step, float(info.get("elapsed_s", 0.0)), step
    return 0, 0.0, None


def fit_heads(model: DemoModel, args) -> None:
    """Weights saved without their dense heads: fit the fresh heads alone on the frozen model (--fit-heads steps, on
    batches of their own seed) before training goes on. Fresh heads' first gradients shook the vision tower (session
    7: dense loss 0.35 -> 9.5, validation answers 71.7 -> 67.7 % in 100 steps)."""
    opt = torch.optim.AdamW(model.dense.parameters(), lr=FIT_HEADS_LR)
    first = last = float("nan")
    for i, b in enumerate(batch_stream(args.seed + FIT_HEADS_SEED, 0, args.fit_heads, args.batch, args.boost, args.itm,
                                       args.workers)):
        with torch.no_grad():
            image_embeds = model.vqa.vision_model(pixel_values=b.pixel_values).last_hidden_state
        loss = dense_loss(model, image_embeds, b)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        first, last = (loss.item() if i == 0 else first), loss.item()
    print(f"[0/3] no dense heads beside the weights: fitted alone for {args.fit_heads} steps, loss {first:.2f} -> {last:.2f}", flush=True)


def param_groups(model: DemoModel, stem_scale: float) -> list[dict]:
    """The stem in its own group, its learning rate `stem_scale` times the rest's (train() applies `scale`)."""
    stem = list(model.vqa.vision_model.embeddings.patch_embedding.parameters())
    ids = {id(p) for p in stem}
    rest = [p for p in model.parameters() if id(p) not in ids]
    return [{"params": rest, "scale": 1.0}, {"params": stem, "scale": stem_scale}]


def train(args) -> None:
    """The training loop: a fresh batch every step, AdamW, periodic validation, checkpoints every few minutes."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tok = build_tokenizer()
    model = DemoModel(tok)
    model.train()
    draws = torch.Generator()
    unseen_word_embeddings(model, tok, draws)
    opt = torch.optim.AdamW(param_groups(model, args.stem_lr_scale), lr=args.lr, weight_decay=args.weight_decay)
    args.out.mkdir(parents=True, exist_ok=True)
    step, elapsed, rewarm = start(args, model, opt)
    recipe = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "func"}
    (args.out / "recipe.json").write_text(json.dumps(recipe, indent=1))
    log = (args.out / "log.jsonl").open("a")
    last_step = args.stop_at or args.steps
    print(f"[1/3] {sum(p.numel() for p in model.parameters()):,} parameters; steps {step}..{last_step}, batch {args.batch}", flush=True)
    window: list[list[float]] = []
    session_start, last_save = time.time(), time.time()
    weights_info = lambda s, e: {"step": s, "elapsed_s": round(e, 1), "recipe": recipe}  # noqa: E731
    batches = batch_stream(args.seed, step, last_step, args.batch, args.boost, args.itm, args.workers)
    for batch in batches:
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args, rewarm) * group["scale"]
        draws.manual_seed(int(np.random.SeedSequence([args.seed, step, UNSEEN_DRAWS_KEY]).generate_state(1)[0]))
        parts = losses(model, batch)
        loss = (parts["answer"] + parts["caption"] + args.itc_weight * parts["itc"] + args.itm_weight * parts["itm"]
                + args.dense_weight * parts["dense"] + args.where_weight * parts["where"]
                + args.inventory_weight * parts["inventory"] + args.ground_weight * parts["ground"]
                + args.relation_weight * parts["relation"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        step += 1
        window.append([v.item() for v in parts.values()])
        now_elapsed = elapsed + time.time() - session_start
        if step % PROGRESS_EVERY == 0:
            print(f"      step {step} loss {np.mean(window[-PROGRESS_EVERY:], axis=0).round(3).tolist()} {now_elapsed:.0f} s", flush=True)
        if step % args.eval_every == 0 or step == last_step:
            model.eval()
            record = {"step": step, "elapsed_s": round(now_elapsed, 1), "lr": lr_at(step - 1, args, rewarm),
                      **{k: round(float(v), 4) for k, v in zip(parts, np.mean(window, axis=0), strict=True)},
                      **validate(model, tok)}
            model.train()
            window = []
            log.write(json.dumps(record) + "\n")
            log.flush()
            print(f"[2/3] {json.dumps(record)}", flush=True)
        if time.time() - last_save > 60 * args.checkpoint_minutes or step == last_step:
            now_elapsed = elapsed + time.time() - session_start
            save_state(args.out / "state.pt", model, opt, step, now_elapsed)
            save_weights(model, args.weights, weights_info(step, now_elapsed))
            last_save = time.time()
    print(f"[3/3] done at step {step}: {elapsed + time.time() - session_start:.0f} s of training; weights {args.weights}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="shapes.train", description=__doc__.splitlines()[0])
    add_train_arguments(parser)
    train(parser.parse_args())
