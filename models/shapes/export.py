"""Export a trained shapes checkpoint through the toolchain into the bundled demo model folder, with sample images.

`python -m shapes.export [--checkpoint models/work/shapes-run/checkpoint] [--out models/shapes-demo]`
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from transformers import BertTokenizerFast, BlipForQuestionAnswering

from blip_tools.export_model import export_model
from blip_tools.manifest import read_manifest, write_manifest
from shapes.cli_args import add_export_arguments
from shapes.model import MAX_LENGTH
from shapes.samples import write_samples

MAX_FOLDER_BYTES = 15 * 1024 * 1024  # the limit for a committed model folder
RECIPE_KEYS = ("seed", "steps", "batch", "lr", "warmup", "stop_at", "init_from", "start_step", "anneal_steps")
KEPT_FILES = ("README.md", "samples")  # written by hand / by write_samples, kept across re-exports


def load_checkpoint(path: Path) -> tuple[BlipForQuestionAnswering, BertTokenizerFast]:
    """The trained model and its tokenizer, with the decoder's generation long enough for the longest caption."""
    model = BlipForQuestionAnswering.from_pretrained(path).eval()
    # export reads the text decoder's own generation config (what model.generate() hands on to it)
    model.text_decoder.generation_config.max_length = MAX_LENGTH
    return model, BertTokenizerFast.from_pretrained(path)


def recipe_source(checkpoint: Path) -> str:
    """The manifest's `source`: the training recipe and seed, read from the run's recipe.json."""
    recipe_file = checkpoint.parent / "recipe.json"
    recipe = json.loads(recipe_file.read_text()) if recipe_file.exists() else {}
    knobs = " ".join(f"{k}={recipe[k]}" for k in RECIPE_KEYS if recipe.get(k))
    return f"trained:shapes.train {knobs}".strip()


def export(checkpoint: Path, out: Path) -> dict:
    """Export FP16 (the README and samples/ are written to the folder afterwards, outside the hashed manifest)."""
    model, tok = load_checkpoint(checkpoint)
    notes = (
        "Demo BLIP trained on the synthetic shapes world (models/shapes): counting, colours, shapes, "
        "positions, yes/no and captions of circles, squares and triangles on 96-px images."
    )
    kept = {name: (out / name) for name in KEPT_FILES if (out / name).exists()}
    saved = {name: _read_tree(p) for name, p in kept.items()}
    manifest = export_model(model, tok, out, "fp16", recipe_source(checkpoint), notes=notes, force=True)
    for name, tree in saved.items():
        _write_tree(out / name, tree)
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


def rehash(out: Path) -> dict:
    """Re-list every file of the folder in the manifest (the contract: `files` covers README.md and samples/ too)."""
    manifest = read_manifest(out)
    return write_manifest(out, {k: v for k, v in manifest.items() if k != "files"})


def run(args: argparse.Namespace) -> None:
    """Export, write the sample images, hash the whole folder (or only rehash, after README edits)."""
    if not args.rehash:
        export(args.checkpoint, args.out)
        write_samples(args.out / "samples")
    manifest = rehash(args.out)
    print(f"{args.out}: {len(manifest['files'])} files hashed; source {manifest['source']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="shapes.export", description=__doc__.splitlines()[0])
    add_export_arguments(parser)
    run(parser.parse_args())
