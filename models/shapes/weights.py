"""The trained weights outside the served folder: one safetensors file with Hugging Face names (the VQA model's
plus BlipForImageTextRetrieval's heads), FP16 to stay small, and a JSON beside it saying where training stood.

Any export (the VQA parts today; the image-text parts later) starts from this file, so changing the exported graphs
never needs retraining. `to_retrieval` builds Hugging Face's `BlipForImageTextRetrieval` from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import BlipForImageTextRetrieval, BlipForQuestionAnswering

from shapes.model import DemoModel, blip_config, with_stem
from shapes.vocab import build_tokenizer

DEFAULT_WEIGHTS = Path("models/shapes/weights/shapes-demo.safetensors")


def heads_path(path: Path) -> Path:
    """The training-only dense heads of a weights file, kept beside it (never exported): shapes-demo.heads.safetensors."""
    return path.with_name(f"{path.stem}.heads.safetensors")


def save_weights(model: DemoModel, path: Path, info: dict) -> None:
    """Write the FP16 weights, the dense heads beside them and path.json (step, wall time, recipe), each file atomically
    (temp file, then rename). With the heads, a restart from these files (a new machine, no state.pt) continues
    without teaching the heads afresh."""
    path.parent.mkdir(parents=True, exist_ok=True)
    save_fp16(model.flat_state(), path)
    save_fp16(model.dense.state_dict(), heads_path(path))
    path.with_suffix(".json").write_text(json.dumps(info, indent=1) + "\n")


def save_fp16(state: dict[str, torch.Tensor], path: Path) -> None:
    """Write `state` as FP16 safetensors: to a temp file, then renamed (a kill never leaves half a file)."""
    tmp = path.with_name(path.name + ".tmp")
    save_file({k: v.detach().to(torch.float16).contiguous() for k, v in state.items()}, str(tmp), metadata={"format": "pt"})
    tmp.replace(path)


def load_heads(model: DemoModel, path: Path) -> bool:
    """Load the dense heads saved beside the weights `path`; False when there are none (weights saved before they were
    kept), leaving the model's fresh heads. Heads added since the file was written start fresh and are named."""
    heads = heads_path(path)
    if not heads.exists():
        return False
    missing, unexpected = model.dense.load_state_dict({k: v.float() for k, v in load_file(str(heads)).items()}, strict=False)
    if unexpected:
        raise ValueError(f"{heads} holds heads this model does not have: {unexpected}")
    if missing:
        print(f"[weights] heads not in {heads.name}, fresh: {', '.join(missing)}", flush=True)
    return True


# The only tensors a recipe change may re-size (a new patch size): they start fresh, everything else carries over.
RESIZABLE = ("vision_model.embeddings.",)


def load_into(model: DemoModel, path: Path, resize: bool = False, keep: str | None = None) -> dict:
    """Load the weights into `model` (as FP32); return the info JSON. With `resize` (training only), vision embeddings
    whose shape changed with the recipe (patch size) keep their fresh initialisation, and say so; any other mismatch,
    and any mismatch without `resize` (an export), is an error. Tensors under `keep` (a prefix) keep the model's values."""
    own = model.flat_state()
    state, fresh = {}, []
    stored = load_file(str(path))
    for k, v in stored.items():
        if keep and k.startswith(keep):
            continue
        if resize and k.startswith(RESIZABLE) and (k not in own or own[k].shape != v.shape):
            fresh.append(k)  # re-shaped or gone (a new patch embedding): the model's own initialisation stays
        else:
            state[k] = v.float()
    if resize:
        state |= {k: v for k, v in own.items() if k.startswith(RESIZABLE) and k not in state}
    if fresh:
        print(f"[weights] vision embeddings changed, fresh: {', '.join(sorted(set(own) - set(stored)) or fresh)}", flush=True)
    model.load_flat_state(state)
    return json.loads(path.with_suffix(".json").read_text())


def load_model(path: Path) -> DemoModel:
    """A DemoModel with the weights of `path`, in eval mode."""
    model = DemoModel(build_tokenizer())
    load_into(model, path)
    return model.eval()


def to_vqa(model: DemoModel) -> BlipForQuestionAnswering:
    return model.vqa


def to_retrieval(model: DemoModel) -> BlipForImageTextRetrieval:
    """Hugging Face's retrieval model with this model's vision tower, text encoder and image-text heads."""
    retrieval = with_stem(BlipForImageTextRetrieval(blip_config(build_tokenizer())))
    state = {k: v for k, v in model.flat_state().items() if not k.startswith("text_decoder.")}
    missing, unexpected = retrieval.load_state_dict(state, strict=False)
    if unexpected or [m for m in missing if "position_ids" not in m]:
        raise ValueError(f"retrieval weights do not fit: missing {missing}, unexpected {unexpected}")
    return retrieval.eval()
