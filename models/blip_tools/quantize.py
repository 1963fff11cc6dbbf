"""`quantize`: an INT8 model folder made from an FP16/FP32 one, as the reference tutorial's NNCF step does.

The vision encoder and the text encoder get post-training INT8 quantization (`nncf.quantize`, transformer preset),
calibrated on images + questions prepared exactly as the engine prepares them; the decoder parts get data-free
8-bit weight compression (`nncf.compress_weights`, 8-bit asymmetric), because fully quantizing the decoder loses
too much accuracy. The new folder is written atomically: IRs, the tokenizer files, and a manifest that records the
precision of every part, how each was made, the calibration source and the subset size.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from .atomic_dir import atomic_folder, check_target
from .errors import ToolError, first_line
from .manifest import read_manifest, sha256_file, write_manifest

# The tutorial calibrates on 300 samples, NNCF's own default.
DEFAULT_SUBSET_SIZE = 300
QUESTIONS_FILE = "questions.jsonl"
# Scenes for --shapes come from a seed that neither training (0), its validation (7_777) nor the held-out
# sets (1_000_003) use, so calibration never sees an evaluation scene.
SHAPES_CALIBRATION_SEED = 424_242
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"})
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "added_tokens.json")
CALIBRATED_PARTS = ("vision_model", "text_encoder")
COMPRESSED_PARTS = ("text_decoder_cross_kv", "text_decoder")
METHOD_QUANTIZE = "nncf.quantize(model_type=TRANSFORMER): int8 weights and activations (FakeQuantize)"
METHOD_COMPRESS = "nncf.compress_weights(mode=INT8_ASYM): data-free int8 weights"
PIL_RESAMPLE = {"bicubic": Image.Resampling.BICUBIC, "bilinear": Image.Resampling.BILINEAR,
                "nearest": Image.Resampling.NEAREST}


@dataclass(frozen=True)
class Sample:
    """One calibration sample: the image already resized to the model's size (RGB), and a question."""

    image: Image.Image
    question: str


@dataclass(frozen=True)
class Calibration:
    """The samples to calibrate on and a one-line description of where they came from (for the manifest)."""

    samples: list[Sample]
    source: str


def register(subparsers) -> None:
    """Add the `quantize` subcommand."""
    p = subparsers.add_parser("quantize", help="INT8 model folder: NNCF-quantized encoders, weight-compressed decoder")
    p.add_argument("folder", type=Path, help="source model folder (fp16 or fp32)")
    p.add_argument("--out", type=Path, required=True, help="new model folder to write")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--calibration", type=Path, help=f"folder of images and {QUESTIONS_FILE} (image, question)")
    source.add_argument("--shapes", action="store_true", help="calibrate on scenes + questions of the shapes world")
    p.add_argument("--subset-size", type=int, default=DEFAULT_SUBSET_SIZE, help="calibration samples: the first N lines of questions.jsonl, or N fresh scenes (default 300)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    """Check every input first, then quantize and write the folder."""
    if args.subset_size < 1:
        raise ToolError(f"--subset-size must be at least 1, got {args.subset_size}")
    manifest = load_source(args.folder)
    if args.out.resolve() == args.folder.resolve():
        raise ToolError("--out must be a new folder, not the source folder")
    check_target(args.out, args.force)
    size = manifest["image"]["size"]
    if args.shapes:
        calibration = shapes_calibration(args.subset_size, size, manifest["image"]["resample"])
    else:
        calibration = folder_calibration(args.calibration, args.subset_size, size, manifest["image"]["resample"])
    quantize_folder(args.folder, args.out, manifest, calibration, args.force)


# --- 1. the source folder -------------------------------------------------------------------------------------


def load_source(folder: Path) -> dict:
    """The source folder's validated manifest, after checking its file hashes and that it is not INT8 already."""
    if not folder.is_dir():
        raise ToolError(f"source model folder {folder} does not exist")
    try:
        manifest = read_manifest(folder)
    except json.JSONDecodeError as exc:
        raise ToolError(f"{folder}/manifest.json is not JSON: {exc.msg} at line {exc.lineno}") from None
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise ToolError(f"source model folder {folder} is missing {name}, which its manifest lists")
        if sha256_file(path) != expected:
            raise ToolError(f"source model folder {folder}: {name} does not match its manifest hash")
    int8 = [name for name, part in manifest["parts"].items() if part["precision"] == "int8"]
    if int8 or manifest["quantization"] is not None:
        raise ToolError(f"{folder} is already INT8 ({', '.join(int8) or 'quantization recorded'}); "
                        "quantize its FP16 source instead")
    return manifest


# --- 2. calibration samples -----------------------------------------------------------------------------------


def resized_rgb(image: Image.Image, size: int, resample: str) -> Image.Image:
    """BlipImageProcessor's first steps: to RGB (transparency composited onto white, by transformers' own
    function, as the engine does too), then resize to exactly size x size (aspect not kept)."""
    from transformers.image_transforms import convert_to_rgb

    rgb = Image.fromarray(convert_to_rgb(image, return_numpy=True), "RGB")
    return rgb.resize((size, size), PIL_RESAMPLE[resample])


def read_questions(folder: Path) -> list[tuple[str, str]]:
    """(image file, question) pairs from questions.jsonl; every malformed line is a one-line error."""
    path = folder / QUESTIONS_FILE
    if not path.is_file():
        raise ToolError(f"calibration folder {folder} has images but no {QUESTIONS_FILE} "
                        '(one JSON object per line: {"image": "<file>", "question": "<text>"})')
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ToolError(f"{path}:{number}: not JSON ({exc.msg})") from None
        image, question = (entry.get("image"), entry.get("question")) if isinstance(entry, dict) else (None, None)
        if not isinstance(image, str) or not isinstance(question, str) or not question.strip():
            raise ToolError(f'{path}:{number}: needs a string "image" and a non-empty string "question"')
        pairs.append((image, question))
    if not pairs:
        raise ToolError(f"{path} names no questions")
    return pairs


def folder_calibration(folder: Path, subset_size: int, size: int, resample: str) -> Calibration:
    """The first `subset_size` (image, question) pairs of a calibration folder, images opened and resized."""
    if not folder.is_dir():
        raise ToolError(f"calibration folder {folder} does not exist")
    if not any(p.suffix.lower() in IMAGE_SUFFIXES for p in folder.iterdir()):
        raise ToolError(f"calibration folder {folder} has no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
    pairs = read_questions(folder)
    missing = sorted({name for name, _ in pairs if not (folder / name).is_file()})
    if missing:
        raise ToolError(f"{folder / QUESTIONS_FILE} names {len(missing)} image(s) not in the folder, "
                        f"first: {missing[0]}")
    samples = [Sample(_open_image(folder / name, size, resample), q) for name, q in pairs[:subset_size]]
    return Calibration(samples, f"folder:{folder.resolve().name} ({len(pairs)} questions)")


def _open_image(path: Path, size: int, resample: str) -> Image.Image:
    """Open and resize one calibration image; an unreadable file is a one-line error naming it."""
    try:
        with Image.open(path) as image:
            return resized_rgb(image, size, resample)
    except (UnidentifiedImageError, OSError) as exc:
        raise ToolError(f"calibration image {path} cannot be read: {first_line(exc)}") from None


def shapes_calibration(subset_size: int, size: int, resample: str) -> Calibration:
    """`subset_size` fresh shapes-world scenes, one random question each, from SHAPES_CALIBRATION_SEED."""
    from shapes.questions import random_question
    from shapes.world import random_scene, render

    rng = np.random.default_rng(SHAPES_CALIBRATION_SEED)
    samples = []
    for _ in range(subset_size):
        scene = random_scene(rng)
        samples.append(Sample(resized_rgb(render(scene), size, resample), random_question(scene, rng).question))
    return Calibration(samples, f"shapes-world:seed={SHAPES_CALIBRATION_SEED}")


def pixel_values(image: Image.Image, spec: dict) -> np.ndarray:
    """The rest of BlipImageProcessor: rescale, normalise, CHW float32 [1,3,S,S]."""
    pixels = np.asarray(image, dtype=np.float32) * np.float32(spec["rescale_factor"])
    pixels = (pixels - np.asarray(spec["mean"], np.float32)) / np.asarray(spec["std"], np.float32)
    return pixels.transpose(2, 0, 1)[None].astype(np.float32)


def question_inputs(tokenizer, question: str) -> dict[str, np.ndarray]:
    """input_ids and attention_mask i64 [1,T] as BlipProcessor makes them: [CLS] ... [SEP], no padding."""
    ids = tokenizer(question)["input_ids"]
    return {"input_ids": np.asarray([ids], np.int64), "attention_mask": np.ones((1, len(ids)), np.int64)}


# --- 3. NNCF --------------------------------------------------------------------------------------------------


def quantize_encoder(model, items: list, transform: Callable[[object], dict]):
    """Post-training INT8 of one encoder, calibrated on every item (the tutorial's settings)."""
    import nncf

    dataset = nncf.Dataset(items, transform)
    return nncf.quantize(model, dataset, model_type=nncf.ModelType.TRANSFORMER, subset_size=len(items))


def compress_decoder(model):
    """Data-free 8-bit asymmetric weight compression (NNCF's defaults, as the tutorial)."""
    import nncf

    return nncf.compress_weights(model, mode=nncf.CompressWeightsMode.INT8_ASYM)


def image_embeddings(vision_model, calibration: Calibration, spec: dict) -> list[np.ndarray]:
    """The source vision IR's embeddings of every calibration image (f32 inference, as the engine's default)."""
    import openvino as ov

    compiled = ov.Core().compile_model(vision_model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    return [request.infer({"pixel_values": pixel_values(s.image, spec)})[0].copy() for s in calibration.samples]


def quantized_parts(source: Path, manifest: dict, calibration: Calibration) -> dict:
    """Every part of the folder as an INT8 ov.Model, keyed by part name; prints numbered progress."""
    import nncf
    import openvino as ov
    from transformers import AutoTokenizer

    nncf.set_log_level(logging.ERROR)
    core, spec, parts = ov.Core(), manifest["image"], manifest["parts"]
    load = lambda name: core.read_model(source / parts[name]["xml"])  # noqa: E731
    out, n = {}, len(calibration.samples)
    print(f"[1/4] vision_model: nncf.quantize on {n} images", flush=True)
    vision = load("vision_model")
    out["vision_model"] = quantize_encoder(vision, calibration.samples, lambda s: pixel_values(s.image, spec))
    if "text_encoder" in parts:
        print(f"[2/4] text_encoder: image embeddings from the source vision IR, nncf.quantize on {n} questions",
              flush=True)
        tokenizer = AutoTokenizer.from_pretrained(str(source))
        embeds = image_embeddings(vision, calibration, spec)
        items = [(s.question, e) for s, e in zip(calibration.samples, embeds, strict=True)]
        out["text_encoder"] = quantize_encoder(
            load("text_encoder"), items,
            lambda item: {**question_inputs(tokenizer, item[0]), "encoder_hidden_states": item[1]})
    print("[3/4] text_decoder_cross_kv, text_decoder: nncf.compress_weights (data-free)", flush=True)
    for name in COMPRESSED_PARTS:
        out[name] = compress_decoder(load(name))
    # The image-text parts (issue 20), when the folder has them: weights only, data-free, like the decoder.
    for name in (p for p in parts if p not in out):
        print(f"      {name}: nncf.compress_weights (data-free)", flush=True)
        out[name] = compress_decoder(load(name))
    return out


# --- 4. the new folder ----------------------------------------------------------------------------------------


# Hex digits of each source weight file's sha256 recorded in the notes: enough to tell builds apart by eye.
SOURCE_HASH_DIGITS = 12


def source_weights(manifest: dict) -> str:
    """`vision_model.bin=8f714415deff, ...`: which FP weights an INT8 build came from. The weights, not the
    manifest, because a model folder's manifest also hashes docs (README) that change without retraining."""
    bins = [part["bin"] for part in manifest["parts"].values()]
    return ", ".join(f"{name}={manifest['files'][name][:SOURCE_HASH_DIGITS]}" for name in bins)


def int8_manifest(manifest: dict, name: str, calibration: Calibration) -> dict:
    """The source manifest with every part int8 and a quantization block; `files` is refilled on write."""
    import nncf

    parts = {part: {**entry, "precision": "int8"} for part, entry in manifest["parts"].items()}
    methods = {part: METHOD_QUANTIZE if part in CALIBRATED_PARTS else METHOD_COMPRESS for part in parts}
    return {
        **manifest,
        "name": name,
        "notes": f"INT8 of {manifest['name']} made by npm run models -- quantize from weights {source_weights(manifest)}",
        "created_with": {**manifest["created_with"], "nncf": nncf.__version__},
        "parts": parts,
        "quantization": {"parts": methods, "calibration": calibration.source,
                         "subset_size": len(calibration.samples), "nncf": nncf.__version__},
        "files": {},
    }


def quantize_folder(source: Path, out: Path, manifest: dict, calibration: Calibration, force: bool) -> dict:
    """Quantize every part and write the new folder atomically; returns its manifest."""
    import openvino as ov

    models = quantized_parts(source, manifest, calibration)
    print(f"[4/4] writing {out}", flush=True)
    with atomic_folder(out, force) as staging:
        for name, model in models.items():
            # Floating-point constants NNCF left (norms, biases) keep the source's width: an FP32 source stays exact.
            keep_fp16 = manifest["parts"][name]["precision"] == "fp16"
            ov.save_model(model, staging / manifest["parts"][name]["xml"], compress_to_fp16=keep_fp16)
        for name in TOKENIZER_FILES:
            if (source / name).is_file():
                shutil.copy2(source / name, staging / name)
        written = write_manifest(staging, int8_manifest(manifest, _folder_name(out), calibration))
    _report_sizes(source, out, manifest)
    return written


def _folder_name(out: Path) -> str:
    """The manifest name: the folder's own name (resolved, so `.` or a trailing slash still give a name)."""
    return out.resolve().name


def _report_sizes(source: Path, out: Path, manifest: dict) -> None:
    """One closing line per part: weights file size before and after."""
    for name, part in manifest["parts"].items():
        before, after = (source / part["bin"]).stat().st_size, (out / part["bin"]).stat().st_size
        print(f"  {name}: {before / 1024:,.0f} KiB -> {after / 1024:,.0f} KiB ({after / before:.2f}x)")
