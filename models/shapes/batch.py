"""Training batches: fresh scenes every call, turned into the tensors BLIP's three parts take.

Pixels are made exactly as `BlipImageProcessor` makes them for a 96-px model: the scenes are drawn at 96 px, so
its bicubic resize is the identity, and what is left is x/255 then CLIP mean/std.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from transformers import BertTokenizerFast

from shapes.questions import caption, random_question
from shapes.world import random_scene, render

CLIP_MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
CLIP_STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
IGNORE_INDEX = -100  # label value CrossEntropyLoss skips (padding)


@dataclass
class Batch:
    """One step's inputs: B images, one question + answer and one caption per image."""

    pixel_values: torch.Tensor  # f32 [B,3,96,96]
    question_ids: torch.Tensor  # i64 [B,Tq]
    question_mask: torch.Tensor  # i64 [B,Tq]
    answer_ids: torch.Tensor  # i64 [B,Ta], starts with [DEC]
    answer_mask: torch.Tensor
    answer_labels: torch.Tensor  # answer_ids with padding set to IGNORE_INDEX
    caption_ids: torch.Tensor  # i64 [B,Tc], starts with [DEC]
    caption_mask: torch.Tensor
    caption_labels: torch.Tensor


def pixels(images: list) -> torch.Tensor:
    """`BlipImageProcessor` output for 96x96 RGB PIL images: rescale by 1/255, normalise with CLIP mean/std, CHW."""
    arr = np.stack([np.asarray(im, dtype=np.float32) for im in images]) / 255.0
    arr = (arr - CLIP_MEAN) / CLIP_STD
    return torch.from_numpy(arr.transpose(0, 3, 1, 2).copy())


def decoder_targets(tokenizer: BertTokenizerFast, texts: list[str], dec_id: int):
    """Decoder input ids, mask and labels for `texts`: [DEC] text [SEP], as BLIP trains its decoder."""
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    ids = enc.input_ids.clone()
    ids[:, 0] = dec_id  # BLIP replaces the [CLS] that the tokenizer puts first with [DEC]
    labels = ids.masked_fill(enc.attention_mask == 0, IGNORE_INDEX)
    return ids, enc.attention_mask, labels


def make_batch(
    rng: np.random.Generator, tokenizer: BertTokenizerFast, size: int, dec_id: int, boost: dict[str, float] | None = None
) -> Batch:
    """`size` fresh scenes drawn from `rng`, each with one random question (types weighted by `boost`) and its caption."""
    scenes = [random_scene(rng) for _ in range(size)]
    qas = [random_question(s, rng, boost) for s in scenes]
    q = tokenizer([qa.question for qa in qas], padding=True, return_tensors="pt")
    a_ids, a_mask, a_labels = decoder_targets(tokenizer, [qa.answer for qa in qas], dec_id)
    c_ids, c_mask, c_labels = decoder_targets(tokenizer, [caption(s) for s in scenes], dec_id)
    return Batch(
        pixels([render(s) for s in scenes]), q.input_ids, q.attention_mask, a_ids, a_mask, a_labels, c_ids, c_mask, c_labels
    )
