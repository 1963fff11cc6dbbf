"""The trainer's quick validation (own generator, training phrasings, seed VALIDATION_SEED; never the held-out
phrasings): answer accuracy per type, captions, the outside answer rate, and image-text retrieval recall@1."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from shapes.batch import pixels
from shapes.evaluate_torch import answer_accuracy, caption_accuracy, overall
from shapes.heldout import make_heldout, make_outside

VALIDATION_SEED = 7_777
VALIDATION_QUESTIONS = 300
VALIDATION_CAPTIONS = 100
VALIDATION_OUTSIDE = 60
_cache: dict = {}


def _sets():
    if not _cache:
        _cache["own"] = make_heldout(VALIDATION_SEED, VALIDATION_QUESTIONS, VALIDATION_CAPTIONS)
        _cache["outside"] = make_outside(VALIDATION_SEED + 1, VALIDATION_OUTSIDE, split="train")
    return _cache["own"], _cache["outside"]


@torch.no_grad()
def retrieval_recall(model, tok, data, n: int) -> float:
    """Caption -> image recall@1 among the first n scenes, by contrastive feature similarity."""
    vqa = model.vqa
    n = min(n, len(data.images))
    img = vqa.vision_model(pixel_values=pixels(data.images[:n])).last_hidden_state[:, 0, :]
    enc = tok(data.captions[:n], padding=True, return_tensors="pt")
    txt = vqa.text_encoder(input_ids=enc.input_ids, attention_mask=enc.attention_mask).last_hidden_state[:, 0, :]
    sim = F.normalize(model.text_proj(txt), dim=-1) @ F.normalize(model.vision_proj(img), dim=-1).T
    best = sim.argmax(1).tolist()  # right when the best image has the query's caption (equal captions can repeat)
    return sum(data.captions[b] == data.captions[i] for i, b in enumerate(best)) / n


def validate(model, tok) -> dict:
    own, outside = _sets()
    scores = answer_accuracy(model.vqa, tok, own)
    cap_right, cap_total = caption_accuracy(model.vqa, tok, own, VALIDATION_CAPTIONS)
    out_scores = answer_accuracy(model.vqa, tok, outside)
    return {
        "answer_acc": round(overall(scores), 4),
        "caption_acc": round(cap_right / cap_total, 4),
        "outside_acc": round(overall(out_scores), 4),
        "itc_recall1": round(retrieval_recall(model, tok, own, 100), 3),
        "per_type": {k: round(r / t, 3) for k, (r, t) in scores.items()},
    }
