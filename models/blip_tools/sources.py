"""Where a model comes from: a Hugging Face hub id, a local `save_pretrained` folder, or a seeded random init."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoTokenizer, BlipConfig, BlipForConditionalGeneration, BlipForQuestionAnswering

from .configs import get_config
from .errors import ToolError, first_line
from .hub_probe import HUB_PROBE_TIMEOUT_S, check_hub_source, unreachable_error
from .image_text import retrieval_sharing
from .tokenizer_build import build_tokenizer, special_ids

DEFAULT_SEED = 0

BlipModel = BlipForQuestionAnswering | BlipForConditionalGeneration


@dataclass
class LoadedModel:
    """A PyTorch BLIP model in eval mode with its tokenizer and the facts the manifest records."""

    model: BlipModel
    tokenizer: object
    family: str
    source: str
    caption_prompt: str | None
    # BlipForImageTextRetrieval sharing the model's vision tower (its image-text parts), or None.
    image_text: object | None = None


def family_of(model: BlipModel) -> str:
    """blip-vqa for BlipForQuestionAnswering, blip-caption for BlipForConditionalGeneration."""
    return "blip-vqa" if isinstance(model, BlipForQuestionAnswering) else "blip-caption"


def random_init(config_name: str, seed: int = DEFAULT_SEED) -> LoadedModel:
    """Build the named config with seeded random weights (same seed -> identical weights)."""
    named = get_config(config_name)
    tokenizer = build_tokenizer(named.vocabulary)
    config = named.blip_config(len(tokenizer), special_ids(tokenizer))
    torch.manual_seed(seed)
    cls = BlipForQuestionAnswering if named.family == "blip-vqa" else BlipForConditionalGeneration
    model = cls(config).eval()
    # VQA configs get image-text heads over their own vision tower and text encoder (drawn after the model, so
    # its weights are what they were before the heads existed); captioning models have no text encoder to share.
    image_text = retrieval_sharing(model) if named.family == "blip-vqa" else None
    return LoadedModel(model, tokenizer, named.family, f"random-init:{config_name}", named.caption_prompt, image_text)


def _model_class(config: BlipConfig) -> type:
    """Pick the BLIP class a checkpoint was saved from (its `architectures`)."""
    architectures = config.architectures or []
    if "BlipForConditionalGeneration" in architectures:
        return BlipForConditionalGeneration
    if "BlipForQuestionAnswering" in architectures:
        return BlipForQuestionAnswering
    raise ToolError(f"checkpoint architectures {architectures} are not BlipForQuestionAnswering or "
                    "BlipForConditionalGeneration")


def load_pretrained(location: str, source: str, local_only: bool) -> LoadedModel:
    """Load config, weights and tokenizer with from_pretrained; any failure is one line."""
    try:
        config = BlipConfig.from_pretrained(location, local_files_only=local_only)
        cls = _model_class(config)
        model, info = cls.from_pretrained(location, local_files_only=local_only, output_loading_info=True)
        tokenizer = AutoTokenizer.from_pretrained(location, local_files_only=local_only)
    except ToolError:
        raise
    except Exception as exc:
        raise ToolError(f"cannot load BLIP {source}: {first_line(exc)}") from None
    _refuse_partial_weights(info, source)
    model = model.eval()
    family = family_of(model)
    return LoadedModel(model, tokenizer, family, source, None)


def _refuse_partial_weights(info: dict, source: str) -> None:
    """from_pretrained fills missing or mis-shaped weights with random values and only warns: exporting that
    would look like success, so it is an error here."""
    problems = {kind: list(info.get(kind) or []) for kind in ("missing_keys", "mismatched_keys", "error_msgs")}
    problems = {kind: keys for kind, keys in problems.items() if keys}
    if problems:
        kind, keys = next(iter(problems.items()))
        raise ToolError(f"cannot load BLIP {source}: {len(keys)} {kind.replace('_', ' ')} "
                        f"(first: {keys[0]}); the checkpoint is incomplete or corrupt")


def load_checkpoint(folder: str) -> LoadedModel:
    """A local `save_pretrained` folder (weights, config and tokenizer files)."""
    path = Path(folder)
    if not path.is_dir():
        raise ToolError(f"checkpoint folder {folder} does not exist")
    return load_pretrained(str(path), f"checkpoint:{path.resolve().name}", local_only=True)


def load_hub(model_id: str) -> LoadedModel:
    """A hub id: from the local Hugging Face cache when offline, else from the hub (which answered a probe)."""
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", str(int(HUB_PROBE_TIMEOUT_S)))
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "30")
    local_only = check_hub_source(model_id)
    try:
        return load_pretrained(model_id, f"hub:{model_id}", local_only=local_only)
    except ToolError:
        if local_only:
            raise unreachable_error(model_id) from None
        raise
