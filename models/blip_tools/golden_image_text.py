"""Golden fixtures of the image-text parts: what Hugging Face's `BlipForImageTextRetrieval` gives on the fixture
images and fixed texts (layout: models/GOLDEN.md, "golden/image_text.json")."""

from __future__ import annotations

import json
from pathlib import Path

import torch
import transformers
from transformers import BlipForImageTextRetrieval

from .golden import load_images, make_processor, to_json
from .image_text import MATCH_INDEX

IMAGE_TEXT_FORMAT = 1
# FP32 OpenVINO vs FP32 PyTorch on the same pixels: only summation order differs (as test_parts_match's ATOL).
FEATURE_TOLERANCE = 1e-4
MATCH_TOLERANCE = 1e-4
# Descriptions as people search: full, partial, one word, non-Latin, padded with spaces and capitals.
TEXTS = [
    "two red circles and a blue square",
    "a picture with a purple triangle",
    "circle",
    "a cat on the left side of the big green line next to the yellow zebras in the picture",
    "这 是 什么 猫? кота 🐱",
    "  A DARK Picture  ",
]


def _rounded(values: torch.Tensor) -> list:
    return [[round(float(v), 7) for v in row] for row in values]


def build_image_text_golden(folder: Path, manifest: dict, retrieval: BlipForImageTextRetrieval, tokenizer) -> dict:
    """Feature vectors of every fixture image and text, and every pair's ITC similarity and ITM probability,
    each from BlipForImageTextRetrieval.forward as its docs call it (processor pixels and ids)."""
    processor = make_processor(tokenizer, manifest["image"]["size"])
    images = load_images()
    pixels = torch.cat([processor(images=image, return_tensors="pt").pixel_values for _, image in images])
    texts = [processor(text=text, return_tensors="pt") for text in TEXTS]
    with torch.no_grad():
        image_embeds = retrieval.vision_model(pixel_values=pixels).last_hidden_state
        image_feature = torch.nn.functional.normalize(retrieval.vision_proj(image_embeds[:, 0, :]), dim=-1)
        text_records, similarity, match = [], [], []
        for text, inputs in zip(TEXTS, texts):
            states = retrieval.text_encoder(input_ids=inputs.input_ids, attention_mask=inputs.attention_mask)
            feature = torch.nn.functional.normalize(retrieval.text_proj(states.last_hidden_state[:, 0, :]), dim=-1)
            text_records.append({"text": text, "input_ids": inputs.input_ids[0].tolist(),
                                 "attention_mask": inputs.attention_mask[0].tolist(),
                                 "text_feature": _rounded(feature)[0]})
            ids = inputs.input_ids.expand(len(images), -1)
            mask = inputs.attention_mask.expand(len(images), -1)
            itc = retrieval(input_ids=ids[:1], pixel_values=pixels, attention_mask=mask[:1], use_itm_head=False)
            similarity.append(itc.itm_score[:, 0])
            itm = retrieval(input_ids=ids, pixel_values=pixels, attention_mask=mask, use_itm_head=True)
            match.append(itm.itm_score.softmax(dim=-1)[:, MATCH_INDEX])
    return {
        "format": IMAGE_TEXT_FORMAT,
        "model": manifest["name"],
        "created_with": {"transformers": transformers.__version__, "torch": torch.__version__.split("+")[0]},
        "feature_size": int(image_feature.shape[-1]),
        "tolerance": {"feature": FEATURE_TOLERANCE, "match": MATCH_TOLERANCE},
        "images": [{"file": name, "image_feature": row} for (name, _), row in zip(images, _rounded(image_feature))],
        "texts": text_records,
        "similarity": _rounded(torch.stack(similarity, dim=1)),
        "match": _rounded(torch.stack(match, dim=1)),
    }


def write_image_text_golden(folder: Path, manifest: dict, retrieval: BlipForImageTextRetrieval, tokenizer) -> Path:
    """Write <folder>/golden/image_text.json (the caller re-hashes the manifest)."""
    golden = build_image_text_golden(folder, manifest, retrieval.eval(), tokenizer)
    target = folder / "golden" / "image_text.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(to_json(golden), encoding="utf-8")
    return target


def read_image_text_golden(folder: Path) -> dict:
    return json.loads((folder / "golden" / "image_text.json").read_text(encoding="utf-8"))
