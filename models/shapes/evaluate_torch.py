"""Exact-match accuracy of the PyTorch model on a held-out set, per question type, with Hugging Face's decoder
`generate()` on what the engine gives it: the image embeddings (captions) or `shapes.model.answer_memory` (answers).

Questions are batched only with questions of the same token length, so no batch has padding and every answer is
exactly what the model gives for that question alone (it cross-attends with an all-ones mask).
"""

from __future__ import annotations

from collections import defaultdict

import torch
from transformers import BertTokenizerFast, BlipForQuestionAnswering

from shapes.batch import pixels
from shapes.heldout import Heldout, normalise
from shapes.model import MAX_LENGTH, answer_memory

EVAL_BATCH = 64


@torch.no_grad()
def answer_accuracy(model: BlipForQuestionAnswering, tok: BertTokenizerFast, data: Heldout) -> dict[str, tuple[int, int]]:
    """{question type: (right, asked)} for greedy answers."""
    by_length: dict[int, list] = defaultdict(list)
    for image_index, qa in data.questions:
        by_length[len(tok(qa.question).input_ids)].append((image_index, qa))
    scores: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group in by_length.values():
        for start in range(0, len(group), EVAL_BATCH):
            chunk = group[start : start + EVAL_BATCH]
            enc = tok([qa.question for _, qa in chunk], return_tensors="pt")
            px = pixels([data.images[i] for i, _ in chunk])
            out = answers(model, enc.input_ids, enc.attention_mask, px)
            for (_, qa), text in zip(chunk, tok.batch_decode(out, skip_special_tokens=True), strict=True):
                scores[qa.type][0] += normalise(text) == normalise(qa.answer)
                scores[qa.type][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(scores.items())}


@torch.no_grad()
def answers(model: BlipForQuestionAnswering, input_ids: torch.Tensor, attention_mask: torch.Tensor,
            pixel_values: torch.Tensor) -> torch.Tensor:
    """Greedy answer ids: the question encoder cross-attending to the image, then the decoder on answer_memory."""
    image_embeds = model.vision_model(pixel_values=pixel_values).last_hidden_state
    question = model.text_encoder(
        input_ids=input_ids, attention_mask=attention_mask, encoder_hidden_states=image_embeds,
        encoder_attention_mask=torch.ones(image_embeds.shape[:2], dtype=torch.long),
    ).last_hidden_state
    return decode(model, *answer_memory(question, attention_mask, image_embeds))


@torch.no_grad()
def decode(model: BlipForQuestionAnswering, memory: torch.Tensor, memory_mask: torch.Tensor) -> torch.Tensor:
    """Greedy decoder ids from [DEC] over `memory` (image embeddings for a caption, answer_memory for an answer)."""
    bos = torch.full((memory.shape[0], 1), model.decoder_start_token_id, dtype=torch.long)
    return model.text_decoder.generate(
        input_ids=bos, encoder_hidden_states=memory, encoder_attention_mask=memory_mask,
        eos_token_id=model.config.text_config.sep_token_id, pad_token_id=model.config.text_config.pad_token_id,
        max_length=MAX_LENGTH,
    )


@torch.no_grad()
def captions(model: BlipForQuestionAnswering, tok: BertTokenizerFast, images: list) -> list[str]:
    """Greedy captions as the reference tutorial makes them with a VQA model: the decoder on the image embeddings."""
    texts: list[str] = []
    for start in range(0, len(images), EVAL_BATCH):
        embeds = model.vision_model(pixel_values=pixels(images[start : start + EVAL_BATCH])).last_hidden_state
        texts.extend(tok.batch_decode(decode(model, embeds, torch.ones(embeds.shape[:2], dtype=torch.long)),
                                      skip_special_tokens=True))
    return texts


def caption_accuracy(model: BlipForQuestionAnswering, tok: BertTokenizerFast, data: Heldout, n: int) -> tuple[int, int]:
    """(right, total) caption exact matches on the first `n` held-out images."""
    got = captions(model, tok, data.images[:n])
    return sum(normalise(g) == normalise(c) for g, c in zip(got, data.captions[:n], strict=True)), len(got)


def overall(scores: dict[str, tuple[int, int]]) -> float:
    """Fraction right over all question types."""
    right = sum(r for r, _ in scores.values())
    total = sum(t for _, t in scores.values())
    return right / max(total, 1)
