"""Export a PyTorch BLIP model to a model folder (models/MODEL_FOLDER.md): OpenVINO parts, tokenizer, manifest."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import openvino as ov
import torch
import transformers
from transformers import BlipForConditionalGeneration, BlipForQuestionAnswering
from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil as BlipImageProcessor

from .atomic_dir import atomic_folder
from .convert_parts import convert_parts, model_dims
from .image_text import convert_image_text, feature_size
from .manifest import FORMAT_VERSION, check_name, write_manifest

PRECISIONS = ("fp16", "fp32")
DEFAULT_PRECISION = "fp16"


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _image_section(model, image_processor: BlipImageProcessor | None) -> dict:
    """What the engine needs to preprocess like BlipImageProcessor (resize to S x S bicubic, rescale, normalise)."""
    processor = image_processor or BlipImageProcessor()
    size = model.config.vision_config.image_size
    return {
        "size": size,
        "resample": "bicubic",
        "rescale_factor": float(processor.rescale_factor),
        "mean": [float(v) for v in processor.image_mean],
        "std": [float(v) for v in processor.image_std],
    }


def _generation_section(model) -> dict:
    """Hugging Face's generation defaults for this checkpoint, as the text decoder's generate() uses them."""
    config = model.text_decoder.generation_config
    return {
        "max_length": int(config.max_length if config.max_length is not None else 20),
        "min_length": int(config.min_length or 0),
        "num_beams": int(config.num_beams or 1),
        "repetition_penalty": float(config.repetition_penalty or 1.0),
        "length_penalty": float(config.length_penalty if config.length_penalty is not None else 1.0),
    }


def build_manifest(model, name: str, source: str, precisions: dict[str, str], caption_prompt: str | None,
                   notes: str | None, image_processor: BlipImageProcessor | None, seed: int | None = None,
                   image_text=None) -> dict:
    """The manifest without `files` (write_manifest adds the hashes once the folder is complete)."""
    d = model_dims(model)
    text = model.config.text_config
    manifest = {
        "format": FORMAT_VERSION,
        "name": name,
        "family": "blip-vqa" if isinstance(model, BlipForQuestionAnswering) else "blip-caption",
        "source": source,
        "created_with": {"transformers": transformers.__version__, "torch": torch.__version__.split("+")[0],
                         "openvino": ov.__version__.split("-")[0]},
        "image": _image_section(model, image_processor),
        "tokens": {"decoder_start": int(text.bos_token_id), "eos": int(text.sep_token_id),
                   "pad": int(text.pad_token_id), "vocab_size": int(text.vocab_size)},
        "vision": {"tokens": d.image_tokens, "hidden": d.vision_hidden},
        "decoder": {"layers": d.layers, "heads": d.heads, "head_size": d.head_size, "hidden": d.hidden,
                    "max_positions": int(text.max_position_embeddings)},
        "generation": _generation_section(model),
        "caption_prompt": caption_prompt,
        "parts": {part: {"xml": f"{part}.xml", "bin": f"{part}.bin", "precision": p} for part, p in precisions.items()},
        "quantization": None,
    }
    if image_text is not None:
        manifest["image_text"] = {"feature_size": feature_size(image_text)}
    if seed is not None:
        manifest["seed"] = seed
    if notes:
        manifest["notes"] = notes
    return manifest


def export_model(
    model: BlipForQuestionAnswering | BlipForConditionalGeneration,
    tokenizer,
    out_dir: str | Path,
    precision: str | dict[str, str] = DEFAULT_PRECISION,
    source: str = "unknown",
    *,
    caption_prompt: str | None = None,
    notes: str | None = None,
    seed: int | None = None,
    force: bool = False,
    image_processor: BlipImageProcessor | None = None,
    image_text=None,
    progress: Callable[[str], None] = _stderr,
) -> dict:
    """Convert every part, save them (FP16-compressed or FP32), save the tokenizer and write the manifest,
    all into a temp folder that replaces `out_dir` only when complete. Returns the manifest written.
    `image_text` (a BlipForImageTextRetrieval sharing the model's vision tower) adds the image-text parts."""
    target = Path(out_dir).resolve()
    check_name(target.name)
    model = model.eval()
    started = time.perf_counter()
    with atomic_folder(target, force) as staging:
        progress(f"[1/3] converting parts of {type(model).__name__} to OpenVINO")
        parts = convert_parts(model)
        if image_text is not None:
            parts.update(convert_image_text(model, image_text))
        precisions = _per_part(precision, list(parts))
        for index, (part, ov_model) in enumerate(parts.items(), start=1):
            progress(f"[2/3] saving {part} ({precisions[part]}) {index}/{len(parts)}")
            ov.save_model(ov_model, staging / f"{part}.xml", compress_to_fp16=precisions[part] == "fp16")
        progress("[3/3] saving tokenizer and manifest")
        tokenizer.save_pretrained(str(staging))
        manifest = build_manifest(model, target.name, source, precisions, caption_prompt, notes, image_processor, seed,
                                  image_text)
        manifest = write_manifest(staging, manifest)
    progress(f"exported {target} in {time.perf_counter() - started:.1f} s")
    return manifest


def _per_part(precision: str | dict[str, str], parts: list[str]) -> dict[str, str]:
    """One precision for every part, or an explicit one per part; only fp16 and fp32 are exported here."""
    chosen = {part: precision for part in parts} if isinstance(precision, str) else dict(precision)
    for part in parts:
        if chosen.get(part) not in PRECISIONS:
            raise ValueError(f"precision of {part} must be one of {PRECISIONS}, got {chosen.get(part)!r}")
    return {part: chosen[part] for part in parts}
