"""Golden fixtures: what Hugging Face's BLIP does on the fixed images and questions, for the engine's tests.

The layout of golden.json is documented in models/GOLDEN.md.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import openvino as ov
import torch
import transformers
from PIL import Image
from transformers import BlipForQuestionAnswering, BlipProcessor
from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil

from .errors import ToolError
from .fixture_images import FIXTURES_DIR, IMAGES
from .golden_generate import MAX_LENGTH, MIN_GREEDY_MARGIN, NUM_BEAMS, all_strategies
from .manifest import read_manifest, write_manifest
from .part_wrappers import CrossKVPart, DecoderStepPart, plain_step_inputs
from .tensor_summary import as_array, summarize, top_logits

GOLDEN_FORMAT = 1
# Full pixel values are recorded when the processed image is at most this many pixels a side.
FULL_VALUES_MAX_SIZE = 64
# How close the folder's OpenVINO vision part must be to the PyTorch one to prove they are the same weights.
SANITY_TOLERANCE = {"fp32": 1e-4, "fp16": 5e-2}

# Short, long, non-Latin (CJK, Cyrillic, emoji) and ones that need "##" pieces; "" is the caption-like edge.
QUESTIONS = [
    "what color is the circle?",
    "how many red circles are there in the picture on the left side of the big blue square next to the green line?",
    "这 是 什么 猫? что это? кота 🐱",
    "are the biggest zebras playing?",
    "Is it DARK?",
]
CAPTION_PROMPT = "a picture of"


def load_images(folder: Path = FIXTURES_DIR) -> list[tuple[str, Image.Image]]:
    """The committed fixture images, opened as files (so modes, palettes and alpha are as on disk)."""
    images = []
    for name in sorted(IMAGES):
        path = folder / name
        if not path.is_file():
            raise ToolError(f"fixture image {path} is missing; run `npm run models -- fixture-images`")
        with Image.open(path) as image:
            image.load()
            images.append((name, image.copy()))
    return images


def make_processor(tokenizer, size: int) -> BlipProcessor:
    """BLIP's processor at the model's image size, on its Pillow backend (bicubic as the original BLIP; what
    `BlipImageProcessor` falls back to without torchvision, which is not installed here)."""
    image_processor = BlipImageProcessorPil(size={"height": size, "width": size})
    return BlipProcessor(image_processor=image_processor, tokenizer=tokenizer)


def _image_meta(name: str, image: Image.Image) -> dict:
    return {"file": name, "width": image.width, "height": image.height, "mode": image.mode}


def _decoder_parts_record(model, tokenizer, encoder_states: torch.Tensor) -> dict:
    """Cross K/V of layer 0 and the first decoder step's top logits over the given encoder states."""
    d = model.text_decoder.config
    head_size = d.hidden_size // d.num_attention_heads
    with torch.no_grad():
        cross = CrossKVPart(model.text_decoder)(encoder_states)
        empty = [torch.zeros(1, d.num_attention_heads, 0, head_size) for _ in range(2 * d.num_hidden_layers)]
        start = torch.tensor([[d.bos_token_id]])
        plain = plain_step_inputs(start, 0, encoder_states.shape[1])
        logits = DecoderStepPart(model.text_decoder)(start, *plain, *empty, *cross)[0]
    return {
        "cross_key.0": summarize(cross[0]),
        "cross_value.0": summarize(cross[1]),
        "first_step": {"input_ids": [int(d.bos_token_id)], "logits": summarize(logits),
                       "top5": top_logits(logits[0, -1])},
    }


def _pixels(processor, image: Image.Image, size: int) -> tuple[torch.Tensor, dict]:
    pixel_values = processor(images=image, return_tensors="pt").pixel_values
    return pixel_values, summarize(pixel_values, full=size <= FULL_VALUES_MAX_SIZE)


def vqa_image_record(model: BlipForQuestionAnswering, tokenizer, processor, name: str, image: Image.Image,
                     size: int) -> dict:
    """For one image: pixels, image embeds, the tutorial's caption path, and every question's answer."""
    start, eos, pad = (model.config.text_config.bos_token_id, model.config.text_config.sep_token_id,
                       model.config.text_config.pad_token_id)
    pixel_values, pixels = _pixels(processor, image, size)
    with torch.no_grad():
        image_embeds = model.vision_model(pixel_values=pixel_values).last_hidden_state

    def caption(**kw):
        return model.text_decoder.generate(input_ids=torch.tensor([[start]]), encoder_hidden_states=image_embeds,
                                           eos_token_id=eos, pad_token_id=pad, **kw)

    record = {**_image_meta(name, image), "pixel_values": pixels, "image_embeds": summarize(image_embeds),
              "caption": {**_decoder_parts_record(model, tokenizer, image_embeds),
                          **all_strategies(caption, tokenizer, 1, eos, f"{name} caption")}}
    answers = []
    for index, question in enumerate(QUESTIONS):
        inputs = processor(images=image, text=question, return_tensors="pt")
        with torch.no_grad():
            question_embeds = model.text_encoder(
                input_ids=inputs.input_ids, attention_mask=inputs.attention_mask, encoder_hidden_states=image_embeds,
                encoder_attention_mask=torch.ones(image_embeds.shape[:-1], dtype=torch.long),
            ).last_hidden_state

        def answer(inputs=inputs, **kw):
            return model.generate(pixel_values=pixel_values, input_ids=inputs.input_ids,
                                  attention_mask=inputs.attention_mask, **kw)

        answers.append({"question": index, "question_embeds": summarize(question_embeds),
                        **_decoder_parts_record(model, tokenizer, question_embeds),
                        **all_strategies(answer, tokenizer, 1, eos, f"{name} question {index}")})
    record["answers"] = answers
    return record


def caption_image_record(model, tokenizer, processor, name: str, image: Image.Image, size: int) -> dict:
    """For one image: pixels, image embeds, and BlipForConditionalGeneration.generate with and without prompt."""
    eos = model.config.text_config.sep_token_id
    pixel_values, pixels = _pixels(processor, image, size)
    with torch.no_grad():
        image_embeds = model.vision_model(pixel_values=pixel_values).last_hidden_state
    prompt = processor(images=image, text=CAPTION_PROMPT, return_tensors="pt")
    prefix = prompt.input_ids.shape[1] - 1  # generate() swaps [CLS] for the decoder start and drops [SEP]

    def plain(**kw):
        return model.generate(pixel_values=pixel_values, **kw)

    def prompted(**kw):
        # generate() overwrites input_ids[:, 0] in place, so each call gets a fresh copy.
        return model.generate(pixel_values=pixel_values, input_ids=prompt.input_ids.clone(),
                              attention_mask=prompt.attention_mask.clone(), **kw)

    return {
        **_image_meta(name, image), "pixel_values": pixels, "image_embeds": summarize(image_embeds),
        "caption": {**_decoder_parts_record(model, tokenizer, image_embeds),
                    **all_strategies(plain, tokenizer, 1, eos, f"{name} caption")},
        "caption_with_prompt": all_strategies(prompted, tokenizer, prefix, eos, f"{name} prompted caption"),
    }


def _check_folder_matches(folder: Path, manifest: dict, model, pixel_values: torch.Tensor) -> None:
    """Refuse to write fixtures for a folder whose OpenVINO vision part is not this PyTorch model."""
    part = manifest["parts"]["vision_model"]
    compiled = ov.Core().compile_model(str(folder / part["xml"]), "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    got = compiled({"pixel_values": pixel_values.numpy()})["image_embeds"]
    with torch.no_grad():
        want = as_array(model.vision_model(pixel_values=pixel_values).last_hidden_state)
    error = float(abs(got - want).max())
    if error > SANITY_TOLERANCE[part["precision"]]:
        raise ToolError(f"{folder} was not exported from this model (vision output differs by {error:.3g}); "
                        "pass the --checkpoint or --seed it was made from")


def build_golden(folder: Path, loaded, seed: int | None) -> dict:
    """Every record for the folder's model, after checking the folder was made from it."""
    manifest = read_manifest(folder)
    model, tokenizer = loaded.model, loaded.tokenizer
    if manifest["family"] != loaded.family:
        raise ToolError(f"{folder} is a {manifest['family']} folder but the model is {loaded.family}")
    size = manifest["image"]["size"]
    processor = make_processor(tokenizer, size)
    images = load_images()
    _check_folder_matches(folder, manifest, model, processor(images=images[0][1], return_tensors="pt").pixel_values)
    vqa = isinstance(model, BlipForQuestionAnswering)
    questions = [] if not vqa else [
        {"text": q, **{k: v[0].tolist() for k, v in processor(text=q, return_tensors="pt").items()}} for q in QUESTIONS
    ]
    record_image = vqa_image_record if vqa else caption_image_record
    prompt_ids = processor(text=CAPTION_PROMPT).input_ids
    return {
        "format": GOLDEN_FORMAT,
        "model": manifest["name"],
        "family": manifest["family"],
        "source": manifest["source"],
        "seed": seed,
        "created_with": {"transformers": transformers.__version__, "torch": torch.__version__.split("+")[0]},
        "image_processor": type(processor.image_processor).__name__,
        "generation": {"max_length": MAX_LENGTH, "num_beams": NUM_BEAMS, "min_greedy_margin": MIN_GREEDY_MARGIN},
        "tokens": manifest["tokens"],
        "questions": questions,
        "caption_prompt": {"text": CAPTION_PROMPT, "input_ids": prompt_ids,
                           "decoder_input_ids": [manifest["tokens"]["decoder_start"], *prompt_ids[1:-1]]},
        "images": _image_records(record_image, model, tokenizer, processor, images, size),
    }


def _image_records(record_image, model, tokenizer, processor, images, size: int) -> list[dict]:
    """One record per image, with a progress line each (a VQA golden makes ~150 generate() calls)."""
    records = []
    for index, (name, image) in enumerate(images, start=1):
        print(f"[golden {index}/{len(images)}] {name}", file=sys.stderr, flush=True)
        records.append(record_image(model, tokenizer, processor, name, image, size))
    return records


def to_json(golden: dict) -> str:
    """Indented JSON with every list of numbers on one line, so diffs stay readable."""
    text = json.dumps(golden, indent=1, ensure_ascii=False)
    number_list = re.compile(r"\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]")
    return number_list.sub(lambda m: "[" + ",".join(x.strip() for x in m.group(1).split(",")) + "]", text) + "\n"


def write_golden(folder: Path, loaded, seed: int | None) -> Path:
    """Write <folder>/golden/golden.json and refresh the manifest's file hashes."""
    golden = build_golden(folder, loaded, seed)
    target = folder / "golden" / "golden.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(to_json(golden), encoding="utf-8")
    manifest = read_manifest(folder)
    if "image_text" in manifest and getattr(loaded, "image_text", None) is not None:
        from .golden_image_text import write_image_text_golden  # imports this module: kept out of the top

        write_image_text_golden(folder, manifest, loaded.image_text, loaded.tokenizer)
    write_manifest(folder, manifest)
    return target
