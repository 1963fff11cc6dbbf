"""BLIP's image-text parts (issue 20): the contrastive (ITC) feature vectors and the matching (ITM) head of
Hugging Face's `BlipForImageTextRetrieval`, exported beside a VQA or captioning model's parts.

The image side reuses the folder's `vision_model` output (`image_embeds`), so the retrieval model's vision tower
must be the folder's own: `check_shared_vision` refuses anything else. Three graphs (models/MODEL_FOLDER.md):
- `image_feature`: image_embeds [B,N,Hv] -> normalize(vision_proj(image_embeds[:,0])) [B,D]
- `text_feature`: input_ids, attention_mask [B,T] -> normalize(text_proj(text_encoder(ids)[:,0])) [B,D]
  (the text encoder without cross-attention, as `forward(use_itm_head=False)`)
- `image_text_match`: input_ids, attention_mask, encoder_hidden_states [B,N,Hv] -> softmax(itm_head(...)[:,0])[:,1]
  [B] (the text encoder cross-attending to the image, as `forward(use_itm_head=True)`)
"""

from __future__ import annotations

import openvino as ov
import torch
from torch import nn
from torch.nn.functional import normalize
from transformers import BlipForImageTextRetrieval

from .convert_parts import EXAMPLE_BATCH, EXAMPLE_QUESTION_LENGTH, _convert, model_dims
from .errors import ToolError

PART_NAMES = ("image_feature", "text_feature", "image_text_match")
# The ITM head's second logit is "match" (BLIP's training labels: 1 = the text belongs to the image).
MATCH_INDEX = 1


class ImageFeaturePart(nn.Module):
    """image_embeds [B,N,H] -> the unit-length ITC image vector [B,D] (from the CLS token)."""

    def __init__(self, model: BlipForImageTextRetrieval) -> None:
        super().__init__()
        self.vision_proj = model.vision_proj

    def forward(self, image_embeds: torch.Tensor) -> torch.Tensor:
        return normalize(self.vision_proj(image_embeds[:, 0, :]), dim=-1)


class TextFeaturePart(nn.Module):
    """Text ids + mask -> the unit-length ITC text vector [B,D]: the text encoder alone (no image)."""

    def __init__(self, model: BlipForImageTextRetrieval) -> None:
        super().__init__()
        self.text_encoder, self.text_proj = model.text_encoder, model.text_proj

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.text_encoder(input_ids=input_ids, attention_mask=attention_mask, return_dict=True)
        return normalize(self.text_proj(states.last_hidden_state[:, 0, :]), dim=-1)


class MatchPart(nn.Module):
    """Text ids + mask cross-attending to image_embeds (all-ones image mask, as HF) -> P(match) [B]."""

    def __init__(self, model: BlipForImageTextRetrieval) -> None:
        super().__init__()
        self.text_encoder, self.itm_head = model.text_encoder, model.itm_head

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                encoder_hidden_states: torch.Tensor) -> torch.Tensor:
        image_mask = torch.ones(encoder_hidden_states.shape[:-1], dtype=torch.long)
        states = self.text_encoder(input_ids=input_ids, attention_mask=attention_mask,
                                   encoder_hidden_states=encoder_hidden_states, encoder_attention_mask=image_mask,
                                   return_dict=True)
        return self.itm_head(states.last_hidden_state[:, 0, :]).softmax(dim=-1)[:, MATCH_INDEX]


def check_shared_vision(model, retrieval: BlipForImageTextRetrieval) -> None:
    """The image feature is computed from the folder's vision_model output: the towers must be the same weights."""
    mine, theirs = model.vision_model.state_dict(), retrieval.vision_model.state_dict()
    if mine.keys() != theirs.keys() or any(not torch.equal(mine[k], theirs[k]) for k in mine):
        raise ToolError("the image-text model's vision tower differs from the exported model's: its image "
                        "features could not reuse the folder's vision_model (export it as its own folder)")


def feature_size(retrieval: BlipForImageTextRetrieval) -> int:
    """D, the length of both ITC vectors (config.image_text_hidden_size)."""
    return int(retrieval.vision_proj.out_features)


def convert_image_text(model, retrieval: BlipForImageTextRetrieval) -> dict[str, ov.Model]:
    """The three image-text graphs, keyed by part name, with the contract's tensor names and dynamic B, T, N."""
    check_shared_vision(model, retrieval)
    retrieval = retrieval.eval()
    d = model_dims(model)
    b, t = EXAMPLE_BATCH, EXAMPLE_QUESTION_LENGTH
    ids, mask = torch.ones(b, t, dtype=torch.long), torch.ones(b, t, dtype=torch.long)
    image = torch.zeros(b, d.image_tokens, d.vision_hidden)
    text_inputs = [("input_ids", [-1, -1], ov.Type.i64), ("attention_mask", [-1, -1], ov.Type.i64)]
    image_input = ("encoder_hidden_states", [-1, -1, d.vision_hidden], ov.Type.f32)
    return {
        "image_feature": _convert(ImageFeaturePart(retrieval), (image,),
                                  [("image_embeds", [-1, -1, d.vision_hidden], ov.Type.f32)], ["image_feature"]),
        "text_feature": _convert(TextFeaturePart(retrieval), (ids, mask), text_inputs, ["text_feature"]),
        "image_text_match": _convert(MatchPart(retrieval), (ids, mask, image), [*text_inputs, image_input],
                                     ["match_probability"]),
    }


def retrieval_sharing(model, config=None, seed: int | None = None) -> BlipForImageTextRetrieval:
    """A `BlipForImageTextRetrieval` with `model`'s vision tower and (VQA models) text encoder, and heads drawn
    from `seed`: how random-init folders get image-text parts whose vision input is their own vision_model."""
    if seed is not None:
        torch.manual_seed(seed)
    retrieval = BlipForImageTextRetrieval(config or model.config)
    shared = {f"vision_model.{k}": v for k, v in model.vision_model.state_dict().items()}
    if hasattr(model, "text_encoder"):
        shared.update({f"text_encoder.{k}": v for k, v in model.text_encoder.state_dict().items()})
    retrieval.load_state_dict(shared, strict=False)
    return retrieval.eval()
