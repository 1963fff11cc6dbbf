"""The image-text parts (issue 20): the committed tiny-vqa folder's OpenVINO graphs reproduce Hugging Face's
BlipForImageTextRetrieval as recorded in golden/image_text.json, and the golden is what HF computes now."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from blip_tools.errors import ToolError
from blip_tools.golden import load_images, make_processor
from blip_tools.golden_image_text import TEXTS, read_image_text_golden
from blip_tools.image_text import check_shared_vision, retrieval_sharing
from blip_tools.manifest import read_manifest
from blip_tools.ov_reference import FolderParts
from blip_tools.sources import random_init


@pytest.fixture(scope="module")
def folder(tiny_vqa):
    loaded, path, manifest = tiny_vqa
    processor = make_processor(loaded.tokenizer, manifest["image"]["size"])
    pixels = np.concatenate([processor(images=image, return_tensors="np").pixel_values for _, image in load_images()])
    return loaded, FolderParts(path, manifest), read_image_text_golden(path), pixels.astype(np.float32)


def _within(got: np.ndarray, want, tolerance: float, what: str) -> None:
    want = np.asarray(want, dtype=np.float32)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    error = float(np.abs(got - want).max())
    assert error <= tolerance, f"{what}: max abs error {error:.3g} > {tolerance}"


def _text_inputs(record: dict) -> dict[str, np.ndarray]:
    return {"input_ids": np.array([record["input_ids"]], np.int64),
            "attention_mask": np.array([record["attention_mask"]], np.int64)}


def test_manifest_describes_the_parts(folder):
    _, parts, golden, _ = folder
    manifest = parts.manifest
    assert {"image_feature", "text_feature", "image_text_match"} <= set(manifest["parts"])
    assert manifest["image_text"]["feature_size"] == golden["feature_size"] == 32


def test_features_and_match_reproduce_the_golden(folder):
    """Image vectors through vision_model -> image_feature; text vectors; every pair's similarity and P(match)."""
    _, parts, golden, pixels = folder
    tol = golden["tolerance"]
    embeds = parts.run("vision_model", {"pixel_values": pixels})["image_embeds"]
    image_feature = parts.run("image_feature", {"image_embeds": embeds})["image_feature"]
    _within(image_feature, [r["image_feature"] for r in golden["images"]], tol["feature"], "image_feature")
    assert np.allclose(np.linalg.norm(image_feature, axis=1), 1, atol=1e-5)
    for j, record in enumerate(golden["texts"]):
        text_feature = parts.run("text_feature", _text_inputs(record))["text_feature"]
        _within(text_feature[0], record["text_feature"], tol["feature"], f"text_feature {j}")
        _within(image_feature @ text_feature[0], [row[j] for row in golden["similarity"]], tol["feature"],
                f"similarity with text {j}")
        batch = {k: np.repeat(v, len(pixels), axis=0) for k, v in _text_inputs(record).items()}
        match = parts.run("image_text_match", {**batch, "encoder_hidden_states": embeds})["match_probability"]
        _within(match, [row[j] for row in golden["match"]], tol["match"], f"match with text {j}")


def test_golden_is_what_hugging_face_computes_now(folder):
    """Rebuilt from the seed, HF's forward() gives the recorded similarity and match of one pair."""
    loaded, _, golden, pixels = folder
    processor = make_processor(loaded.tokenizer, 64)
    inputs = processor(text=TEXTS[1], return_tensors="pt")
    assert golden["texts"][1]["input_ids"] == inputs.input_ids[0].tolist()
    with torch.no_grad():
        pv = torch.from_numpy(pixels[:1])
        itc = loaded.image_text(input_ids=inputs.input_ids, pixel_values=pv, use_itm_head=False).itm_score
        itm = loaded.image_text(input_ids=inputs.input_ids, pixel_values=pv, use_itm_head=True).itm_score
    assert abs(float(itc[0, 0]) - golden["similarity"][0][1]) < 1e-5
    assert abs(float(itm.softmax(-1)[0, 1]) - golden["match"][0][1]) < 1e-5


def test_padded_text_batch_matches_single(folder):
    """Dynamic batch and length: a padded batch gives each text the vector it gets alone."""
    _, parts, golden, _ = folder
    records = golden["texts"][:3]
    width = max(len(r["input_ids"]) for r in records)
    ids = np.array([r["input_ids"] + [0] * (width - len(r["input_ids"])) for r in records], np.int64)
    mask = (np.arange(width)[None, :] < np.array([[len(r["input_ids"])] for r in records])).astype(np.int64)
    got = parts.run("text_feature", {"input_ids": ids, "attention_mask": mask})["text_feature"]
    _within(got, [r["text_feature"] for r in records], golden["tolerance"]["feature"], "padded batch")


def test_refuses_a_different_vision_tower(tiny_vqa):
    loaded, _, _ = tiny_vqa
    other = random_init("tiny-vqa", 1).model
    with pytest.raises(ToolError, match="vision tower differs"):
        check_shared_vision(other, retrieval_sharing(loaded.model))


def test_old_folders_have_no_image_text(tiny_vqa):
    """tiny-caption was exported before the image-text parts existed, and stays valid without them."""
    manifest = read_manifest(tiny_vqa[1].parent / "tiny-caption")
    assert "image_text" not in manifest and "image_feature" not in manifest["parts"]
