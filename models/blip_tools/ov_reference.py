"""A minimal Python driver of a model folder's OpenVINO parts, used to prove the folder against Hugging Face.

It is the reference for the contract, not the product: the TypeScript engine is the real driver.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openvino as ov

# Tests compare against PyTorch FP32, so OpenVINO must not pick bf16/f16 kernels on its own.
F32_CONFIG = {"INFERENCE_PRECISION_HINT": "f32"}


def decoder_step_inputs(ids: np.ndarray, past_length: int, cross_length: int) -> dict[str, np.ndarray]:
    """input_ids [B,L] with all-ones attention masks and positions P…P+L−1: a step whose rows are not padded."""
    batch, length = ids.shape
    return {
        "input_ids": ids.astype(np.int64),
        "attention_mask": np.ones((batch, past_length + length), np.int64),
        "position_ids": np.tile(np.arange(past_length, past_length + length, dtype=np.int64), (batch, 1)),
        "encoder_attention_mask": np.ones((batch, cross_length), np.int64),
    }


class FolderParts:
    """The compiled parts of one model folder, run by tensor name."""

    def __init__(self, folder: Path, manifest: dict) -> None:
        core = ov.Core()
        self.manifest = manifest
        self.parts = {name: core.compile_model(str(folder / part["xml"]), "CPU", F32_CONFIG)
                      for name, part in manifest["parts"].items()}

    def run(self, part: str, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Infer one part; returns every output by its contract name."""
        result = self.parts[part](inputs)
        return {next(iter(port.get_names())): result[port] for port in self.parts[part].outputs}

    def plain_step(self, ids: np.ndarray, past_length: int, cross_length: int) -> dict[str, np.ndarray]:
        """A decoder step's ids and masks when no row is padded: all-ones masks, positions P…P+L−1. Folders
        exported before the decoder took positions and a cross-attention mask get only what their graph has."""
        inputs = decoder_step_inputs(ids, past_length, cross_length)
        ports = {name for port in self.parts["text_decoder"].inputs for name in port.get_names()}
        return {name: value for name, value in inputs.items() if name in ports}

    def empty_cache(self, batch: int) -> dict[str, np.ndarray]:
        """The first step's self-attention cache: every past tensor with length 0."""
        d = self.manifest["decoder"]
        shape = (batch, d["heads"], 0, d["head_size"])
        return {f"past_{kind}.{i}": np.zeros(shape, np.float32) for i in range(d["layers"]) for kind in ("key", "value")}

    def greedy(self, encoder_states: np.ndarray, prefix: list[int], max_length: int) -> list[int]:
        """Greedy decoding of one sequence over the KV cache: prefill the prefix, then one token per step."""
        eos = self.manifest["tokens"]["eos"]
        cross = self.run("text_decoder_cross_kv", {"encoder_hidden_states": encoder_states})
        past = self.empty_cache(1)
        sequence, step_ids = list(prefix), list(prefix)
        while len(sequence) < max_length:
            ids = np.array([step_ids], np.int64)
            past_length = len(sequence) - len(step_ids)
            out = self.run("text_decoder", {**self.plain_step(ids, past_length, encoder_states.shape[1]),
                                            **past, **cross})
            token = int(out["logits"][0, -1].argmax())
            sequence.append(token)
            if token == eos:
                break
            step_ids = [token]
            past = {name.replace("present_", "past_"): value for name, value in out.items() if name != "logits"}
        return sequence
