"""Compact, JSON-ready descriptions of tensors for golden fixtures: shape, digest, statistics, samples."""

from __future__ import annotations

import hashlib

import numpy as np
import torch

# Values kept per sample slice, and decimals kept for recorded floats (float32 has ~7 significant digits).
SAMPLE_COUNT = 8
DECIMALS = 7


def _floats(values: np.ndarray) -> list[float]:
    return [round(float(v), DECIMALS) for v in values.reshape(-1)]


def as_array(tensor: torch.Tensor | np.ndarray) -> np.ndarray:
    """A float32 C-contiguous numpy copy of a tensor."""
    array = tensor.detach().cpu().numpy() if isinstance(tensor, torch.Tensor) else np.asarray(tensor)
    return np.ascontiguousarray(array, dtype=np.float32)


def summarize(tensor: torch.Tensor | np.ndarray, full: bool = False) -> dict:
    """Shape, sha256 of the float32 little-endian bytes, mean/std/min/max, and sample slices.

    `first`/`last` are the first and last values in C order; `row0` is the first vector along the last axis
    at index 0 of every other axis (e.g. image_embeds[0, 0, :8]); `values` holds everything when `full`.
    """
    array = as_array(tensor)
    summary = {
        "shape": list(array.shape),
        "sha256": hashlib.sha256(array.astype("<f4").tobytes()).hexdigest(),
        "mean": round(float(array.mean()), DECIMALS),
        "std": round(float(array.std()), DECIMALS),
        "min": round(float(array.min()), DECIMALS),
        "max": round(float(array.max()), DECIMALS),
        "first": _floats(array.reshape(-1)[:SAMPLE_COUNT]),
        "last": _floats(array.reshape(-1)[-SAMPLE_COUNT:]),
        "row0": _floats(array.reshape(-1, array.shape[-1])[0][:SAMPLE_COUNT]),
    }
    if full:
        summary["values"] = _floats(array)
    return summary


def top_logits(logits: torch.Tensor, k: int = 5) -> list[list[float]]:
    """The k largest entries of a 1-D logits vector as [[token_id, value], ...], best first."""
    values, ids = torch.topk(logits.float(), k)
    return [[int(i), round(float(v), DECIMALS)] for v, i in zip(values, ids)]
