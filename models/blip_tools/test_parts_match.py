"""Each exported part, run in OpenVINO (f32), matches its PyTorch module; the decoder over a growing cache."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from blip_tools.manifest import read_manifest
from blip_tools.ov_reference import FolderParts
from blip_tools.part_wrappers import CrossKVPart, DecoderStepPart, plain_step_inputs
from blip_tools.sources import random_init

# FP32 OpenVINO vs FP32 PyTorch on the tiny models: only summation order differs.
ATOL = 1e-4


def _close(got: np.ndarray, want: torch.Tensor, what: str) -> None:
    want = want.detach().numpy()
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    error = float(np.abs(got - want).max())
    assert error <= ATOL, f"{what}: max abs error {error:.3g} > {ATOL}"


@pytest.fixture(scope="module")
def vqa(tiny_vqa):
    loaded, folder, manifest = tiny_vqa
    return loaded.model, FolderParts(folder, manifest)


def _pixels(batch: int, size: int) -> torch.Tensor:
    return torch.from_numpy(np.random.RandomState(1).randn(batch, 3, size, size).astype(np.float32))


def test_vision_model_matches(vqa):
    model, parts = vqa
    pixels = _pixels(2, model.config.vision_config.image_size)
    got = parts.run("vision_model", {"pixel_values": pixels.numpy()})["image_embeds"]
    with torch.no_grad():
        _close(got, model.vision_model(pixel_values=pixels).last_hidden_state, "image_embeds")


def test_text_encoder_matches_with_padding(vqa):
    model, parts = vqa
    with torch.no_grad():
        image_embeds = model.vision_model(pixel_values=_pixels(2, 64)).last_hidden_state
    ids = torch.tensor([[2, 109, 120, 130, 3], [2, 140, 3, 0, 0]])
    mask = (ids != 0).long()
    got = parts.run("text_encoder", {"input_ids": ids.numpy(), "attention_mask": mask.numpy(),
                                     "encoder_hidden_states": image_embeds.numpy()})["question_embeds"]
    with torch.no_grad():
        want = model.text_encoder(input_ids=ids, attention_mask=mask, encoder_hidden_states=image_embeds,
                                  encoder_attention_mask=torch.ones(image_embeds.shape[:-1], dtype=torch.long))
    _close(got, want.last_hidden_state, "question_embeds")


def test_cross_kv_matches(vqa):
    model, parts = vqa
    states = torch.randn(2, 7, 64)
    got = parts.run("text_decoder_cross_kv", {"encoder_hidden_states": states.numpy()})
    with torch.no_grad():
        want = CrossKVPart(model.text_decoder)(states)
    layers = model.config.text_config.num_hidden_layers
    assert sorted(got) == sorted(f"cross_{k}.{i}" for i in range(layers) for k in ("key", "value"))
    for i in range(layers):
        _close(got[f"cross_key.{i}"], want[2 * i], f"cross_key.{i}")
        _close(got[f"cross_value.{i}"], want[2 * i + 1], f"cross_value.{i}")


def test_decoder_steps_match_hf_with_growing_cache(vqa):
    """Prefill 3 tokens on an empty cache, then 3 single-token steps, batch 2, against HF's own cached forward."""
    model, parts = vqa
    decoder = model.text_decoder
    states = torch.randn(2, 9, 64)
    cross = parts.run("text_decoder_cross_kv", {"encoder_hidden_states": states.numpy()})
    past = parts.empty_cache(2)
    steps = [torch.tensor([[289, 10, 20], [289, 30, 40]]), torch.tensor([[50], [60]]),
             torch.tensor([[70], [80]]), torch.tensor([[90], [100]])]
    hf_cache, seen = None, 0
    for index, ids in enumerate(steps):
        seen += ids.shape[1]
        mask = torch.ones(2, seen, dtype=torch.long)
        plain = parts.plain_step(ids.numpy(), seen - ids.shape[1], states.shape[1])
        out = parts.run("text_decoder", {**plain, **past, **cross})
        with torch.no_grad():
            hf = decoder(input_ids=ids, attention_mask=mask, encoder_hidden_states=states,
                         past_key_values=hf_cache, use_cache=True, return_dict=True)
        hf_cache = hf.past_key_values
        _close(out["logits"], hf.logits, f"logits step {index}")
        for i, layer in enumerate(hf_cache.self_attention_cache.layers):
            _close(out[f"present_key.{i}"], layer.keys, f"present_key.{i} step {index}")
            _close(out[f"present_value.{i}"], layer.values, f"present_value.{i} step {index}")
        past = {n.replace("present_", "past_"): v for n, v in out.items() if n != "logits"}


def _hf_alone(decoder, prefix: list[int], step: int, states: torch.Tensor) -> torch.Tensor:
    """The last logits of `step` after `prefix`, the row alone in Hugging Face's cached forward."""
    with torch.no_grad():
        first = decoder(input_ids=torch.tensor([prefix]), encoder_hidden_states=states, use_cache=True,
                        return_dict=True)
        out = decoder(input_ids=torch.tensor([[step]]), encoder_hidden_states=states, use_cache=True,
                      past_key_values=first.past_key_values, return_dict=True)
    return out.logits[0, -1]


def _padded(tensors: list[np.ndarray], length: int, left: bool) -> np.ndarray:
    """[1,heads,n_i,hs] tensors stacked along the batch and zero-padded on the length axis to `length`."""
    out = np.zeros((len(tensors), tensors[0].shape[1], length, tensors[0].shape[3]), np.float32)
    for row, tensor in enumerate(tensors):
        n = tensor.shape[2]
        if left:
            out[row, :, length - n :] = tensor[0]
        else:
            out[row, :, :n] = tensor[0]
    return out


def test_batched_rows_of_different_lengths_match_each_row_alone(vqa):
    """Continuous batching's step: rows with different cache lengths (left-padded, masked) and cross sequences
    (right-padded, masked) at their own positions give each row's logits as Hugging Face computes it alone."""
    model, parts = vqa
    torch.manual_seed(3)
    rows = [([289, 10, 20, 30], 40, torch.randn(1, 9, 64)), ([289], 50, torch.randn(1, 5, 64)),
            ([289, 60], 70, torch.randn(1, 7, 64))]
    caches, crosses = [], []
    for prefix, _, states in rows:
        cross = parts.run("text_decoder_cross_kv", {"encoder_hidden_states": states.numpy()})
        ids = np.array([prefix], np.int64)
        out = parts.run("text_decoder", {**parts.plain_step(ids, 0, states.shape[1]), **parts.empty_cache(1), **cross})
        caches.append({n.replace("present_", "past_"): v for n, v in out.items() if n != "logits"})
        crosses.append(cross)
    past_length, cross_length = 4, 9
    past = {name: _padded([c[name] for c in caches], past_length, left=True) for name in caches[0]}
    cross = {name: _padded([c[name] for c in crosses], cross_length, left=False) for name in crosses[0]}
    seen = [len(prefix) for prefix, _, _ in rows]
    mask = np.array([[0] * (past_length - n) + [1] * (n + 1) for n in seen], np.int64)
    cross_mask = np.array([[1] * s.shape[1] + [0] * (cross_length - s.shape[1]) for _, _, s in rows], np.int64)
    out = parts.run("text_decoder", {"input_ids": np.array([[step] for _, step, _ in rows], np.int64),
                                     "attention_mask": mask, "position_ids": np.array([[n] for n in seen], np.int64),
                                     "encoder_attention_mask": cross_mask, **past, **cross})
    for row, (prefix, step, states) in enumerate(rows):
        _close(out["logits"][row, -1], _hf_alone(model.text_decoder, prefix, step, states), f"row {row} logits")


def test_caption_export_parts_match(caption_exports):
    """A fresh CLI export of the captioning model: no text encoder, and its decoder step matches PyTorch."""
    folder = caption_exports[0]
    manifest = read_manifest(folder)
    assert "text_encoder" not in manifest["parts"] and manifest["family"] == "blip-caption"
    assert manifest["caption_prompt"] == "a picture of"
    model = random_init("tiny-caption", manifest["seed"]).model
    parts = FolderParts(folder, manifest)
    states = torch.randn(1, 17, 64)
    cross = parts.run("text_decoder_cross_kv", {"encoder_hidden_states": states.numpy()})
    ids = torch.tensor([[289, 47, 180, 108]])
    out = parts.run("text_decoder", {**parts.plain_step(ids.numpy(), 0, 17), **parts.empty_cache(1), **cross})
    with torch.no_grad():
        want = DecoderStepPart(model.text_decoder)(ids, *plain_step_inputs(ids, 0, 17),
                                                   *[torch.zeros(1, 4, 0, 16)] * 4, *CrossKVPart(model.text_decoder)(states))
    _close(out["logits"], want[0], "caption logits")
