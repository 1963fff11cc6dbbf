"""Export the trained weights (models/shapes/weights) through the toolchain into the bundled demo model folder,
with its card, its calibrated confidence threshold and sample images.

`python -m shapes.export [--weights models/shapes/weights/shapes-demo.safetensors] [--out models/shapes-demo]
[--calibration models/shapes/weights/calibration.json]`
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from blip_tools.export_model import export_model
from blip_tools.manifest import read_manifest, write_manifest
from shapes.card import card
from shapes.cli_args import add_export_arguments
from shapes.model import MAX_LENGTH
from shapes.samples import write_samples
from shapes.vocab import build_tokenizer
from shapes.weights import load_model, to_retrieval

MAX_FOLDER_BYTES = 15 * 1024 * 1024  # the limit for a committed model folder
RECIPE_KEYS = ("seed", "steps", "batch", "lr", "warmup")
KEPT_FILES = ("README.md", "samples", "training")  # written by hand / by write_samples, kept across re-exports
NOTES = (
    "Demo BLIP trained on the synthetic shapes world (models/shapes): counting, colours, shapes, positions, yes/no "
    "and captions of circles, squares and triangles at any size; with the image-text heads trained in the same run "
    "(BlipForImageTextRetrieval's vision_proj, text_proj and itm_head) for text-to-image search."
)


def recipe_source(info: dict) -> str:
    """The manifest's `source`: the training recipe and the step the weights were taken at."""
    recipe = info.get("recipe", {})
    knobs = " ".join(f"{k}={recipe[k]}" for k in RECIPE_KEYS if recipe.get(k) is not None)
    return f"trained:shapes.train {knobs} at_step={info['step']}".strip()


def export(weights: Path, out: Path, calibration: Path | None) -> dict:
    """Export FP16; README, samples/ and training/ of an earlier export are kept; card and threshold added."""
    demo = load_model(weights)
    model = demo.vqa
    # export reads the text decoder's own generation config (what model.generate() hands on to it)
    model.text_decoder.generation_config.max_length = MAX_LENGTH
    info = json.loads(weights.with_suffix(".json").read_text())
    kept = {name: (out / name) for name in KEPT_FILES if (out / name).exists()}
    saved = {name: _read_tree(p) for name, p in kept.items()}
    manifest = export_model(model, build_tokenizer(), out, "fp16", recipe_source(info), notes=NOTES, force=True,
                            image_text=to_retrieval(demo))
    for name, tree in saved.items():
        _write_tree(out / name, tree)
    extra: dict = {"card": card(), "answer_memory": "question+image"}  # as trained: shapes.model.answer_memory
    if calibration is not None:
        extra["confidence_threshold"] = round(float(json.loads(calibration.read_text())["threshold"]), 6)
    manifest = write_manifest(out, {**{k: v for k, v in manifest.items() if k != "files"}, **extra})
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    if size > MAX_FOLDER_BYTES:
        raise SystemExit(f"{out} is {size} bytes, over the {MAX_FOLDER_BYTES} limit")
    return manifest


def _read_tree(path: Path) -> dict[str, bytes] | bytes:
    if path.is_file():
        return path.read_bytes()
    return {str(f.relative_to(path)): f.read_bytes() for f in path.rglob("*") if f.is_file()}


def _write_tree(path: Path, tree: dict[str, bytes] | bytes) -> None:
    if isinstance(tree, bytes):
        path.write_bytes(tree)
        return
    for rel, data in tree.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_bytes(data)


def rehash(out: Path, calibration: Path | None = None) -> dict:
    """Re-list every file of the folder in the manifest (the contract: `files` covers README.md and samples/ too);
    with a calibration file, also set `confidence_threshold` (the manifest is not hashed: no re-export needed)."""
    manifest = {k: v for k, v in read_manifest(out).items() if k != "files"}
    if calibration is not None:
        manifest["confidence_threshold"] = round(float(json.loads(calibration.read_text())["threshold"]), 6)
    return write_manifest(out, manifest)


def run(args: argparse.Namespace) -> None:
    """Export, write the sample images, hash the whole folder (or only rehash, after README edits or calibration)."""
    if not args.rehash:
        export(args.weights, args.out, args.calibration)
        write_samples(args.out / "samples")
    manifest = rehash(args.out, args.calibration)
    print(f"{args.out}: {len(manifest['files'])} files hashed; source {manifest['source']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="shapes.export", description=__doc__.splitlines()[0])
    add_export_arguments(parser)
    run(parser.parse_args())
