"""Every manifest (committed folders, fresh exports) validates against models/manifest.schema.json, and the schema
rejects what the engine must not trust."""

from __future__ import annotations

import copy
import json

import pytest

from blip_tools.conftest import MODELS_DIR
from blip_tools.errors import ToolError
from blip_tools.manifest import hash_folder, validate_manifest

COMMITTED = sorted(p.parent for p in MODELS_DIR.glob("*/manifest.json"))


def _load(folder):
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_committed_tiny_models_exist():
    names = {p.name for p in COMMITTED}
    assert {"tiny-vqa", "tiny-caption"} <= names


@pytest.mark.parametrize("folder", COMMITTED, ids=[p.name for p in COMMITTED])
def test_committed_manifest_is_valid_and_hashes_match(folder):
    manifest = _load(folder)
    validate_manifest(manifest)
    assert manifest["files"] == hash_folder(folder)


def test_fresh_export_manifest_is_valid(caption_exports):
    validate_manifest(_load(caption_exports[0]))


def test_tiny_vqa_manifest_facts():
    manifest = _load(MODELS_DIR / "tiny-vqa")
    assert manifest["family"] == "blip-vqa" and manifest["source"] == "random-init:tiny-vqa"
    assert all(part["precision"] == "fp32" for part in manifest["parts"].values())
    tokens = manifest["tokens"]
    assert tokens["vocab_size"] == tokens["decoder_start"] + 2  # tokenizer vocabulary + [DEC] + [ENC]
    assert manifest["vision"]["tokens"] == 1 + (manifest["image"]["size"] // 16) ** 2


@pytest.mark.parametrize("breakage", [
    lambda m: m["parts"].pop("text_encoder"),          # a VQA model needs its text encoder
    lambda m: m["parts"]["vision_model"].update(precision="fp8"),
    lambda m: m["files"].update({"vision_model.bin": "not-a-hash"}),
    lambda m: m.pop("tokens"),
    lambda m: m.update(family="blip-itm"),
    lambda m: m["image"].update(std=[0.2, 0.0, 0.2]),
    lambda m: m["parts"].pop("image_text_match"),      # the image-text parts come as a set of three
    lambda m: m.pop("image_text"),                     # ... with their feature size
    lambda m: m["image_text"].update(feature_size=0),
])
def test_schema_rejects_broken_manifests(breakage):
    manifest = copy.deepcopy(_load(MODELS_DIR / "tiny-vqa"))
    breakage(manifest)
    with pytest.raises(ToolError, match="manifest invalid"):
        validate_manifest(manifest)


def test_card_and_confidence_threshold_are_optional_and_checked():
    from shapes.card import card

    manifest = _load(MODELS_DIR / "tiny-vqa")
    validate_manifest({**manifest, "card": card(), "confidence_threshold": 0.42})
    for bad in ({"card": {**card(), "outside_answer": 3}}, {"card": {"summary": "x"}}, {"confidence_threshold": 1.5}):
        with pytest.raises(ToolError):
            validate_manifest({**manifest, **bad})


def test_image_text_block_only_with_the_parts():
    """A folder without the image-text parts (every folder before issue 20) is valid, but not with a stray block."""
    manifest = copy.deepcopy(_load(MODELS_DIR / "tiny-vqa"))
    for part in ("image_feature", "text_feature", "image_text_match"):
        manifest["parts"].pop(part)
    with pytest.raises(ToolError, match="manifest invalid"):
        validate_manifest(manifest)
    manifest.pop("image_text")
    validate_manifest(manifest)
