"""Convert BLIP's parts to OpenVINO with `openvino.convert_model(module, example_input=...)` and give every
input and output the model-folder contract's name, with dynamic batch and sequence axes."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import openvino as ov
import torch
from transformers import BlipForConditionalGeneration, BlipForQuestionAnswering

from .part_wrappers import CrossKVPart, DecoderStepPart, TextEncoderPart, VisionPart

# Example lengths for tracing: batch 2 and lengths > 1, so nothing gets specialised to a size of one.
EXAMPLE_BATCH = 2
EXAMPLE_QUESTION_LENGTH = 5
EXAMPLE_PAST_LENGTH = 3
EXAMPLE_STEP_LENGTH = 2


@dataclass(frozen=True)
class Dims:
    """The sizes the example inputs and the declared shapes need."""

    image_size: int
    image_tokens: int
    vision_hidden: int
    hidden: int
    layers: int
    heads: int
    head_size: int
    vocab_size: int


def model_dims(model: BlipForQuestionAnswering | BlipForConditionalGeneration) -> Dims:
    """Read the dimensions from the model's config."""
    vision, text = model.config.vision_config, model.config.text_config
    grid = vision.image_size // vision.patch_size
    return Dims(
        image_size=vision.image_size,
        image_tokens=1 + grid * grid,
        vision_hidden=vision.hidden_size,
        hidden=text.hidden_size,
        layers=text.num_hidden_layers,
        heads=text.num_attention_heads,
        head_size=text.hidden_size // text.num_attention_heads,
        vocab_size=text.vocab_size,
    )


def kv_names(prefix_key: str, prefix_value: str, layers: int) -> list[str]:
    """Interleaved per-layer names: key.0, value.0, key.1, value.1, ..."""
    return [name for i in range(layers) for name in (f"{prefix_key}.{i}", f"{prefix_value}.{i}")]


def _convert(module: torch.nn.Module, example: tuple, inputs: list[tuple[str, list[int], ov.Type]], outputs: list[str]):
    """Trace one wrapper, declare its input shapes and types, and name every tensor as the contract says."""
    module.eval()
    # Tracer warnings name the Python branches frozen at trace time (empty-cache and mask-padding checks);
    # the tests prove the graph right for every cache length, so they are noise here.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ov.convert_model(
            module, example_input=example, input=[(ov.PartialShape(shape), kind) for _, shape, kind in inputs]
        )
    if len(model.inputs) != len(inputs) or len(model.outputs) != len(outputs):
        raise RuntimeError(f"converted graph has {len(model.inputs)} inputs/{len(model.outputs)} outputs, "
                           f"expected {len(inputs)}/{len(outputs)}")
    for port, (name, _, _) in zip(model.inputs, inputs):
        port.get_tensor().set_names({name})
    for port, name in zip(model.outputs, outputs):
        port.get_tensor().set_names({name})
    return model


def convert_vision(model, d: Dims) -> ov.Model:
    """vision_model: pixel_values [B,3,S,S] -> image_embeds [B,N,H]."""
    example = (torch.zeros(EXAMPLE_BATCH, 3, d.image_size, d.image_size),)
    inputs = [("pixel_values", [-1, 3, d.image_size, d.image_size], ov.Type.f32)]
    return _convert(VisionPart(model.vision_model), example, inputs, ["image_embeds"])


def convert_text_encoder(model: BlipForQuestionAnswering, d: Dims) -> ov.Model:
    """text_encoder: input_ids, attention_mask [B,T], encoder_hidden_states [B,N,H] -> question_embeds."""
    b, t = EXAMPLE_BATCH, EXAMPLE_QUESTION_LENGTH
    example = (torch.ones(b, t, dtype=torch.long), torch.ones(b, t, dtype=torch.long),
               torch.zeros(b, d.image_tokens, d.vision_hidden))
    inputs = [("input_ids", [-1, -1], ov.Type.i64), ("attention_mask", [-1, -1], ov.Type.i64),
              ("encoder_hidden_states", [-1, -1, d.vision_hidden], ov.Type.f32)]
    return _convert(TextEncoderPart(model.text_encoder), example, inputs, ["question_embeds"])


def convert_cross_kv(model, d: Dims) -> ov.Model:
    """text_decoder_cross_kv: encoder_hidden_states [B,M,H] -> cross_key.i, cross_value.i [B,heads,M,hs]."""
    encoder_width = model.config.text_config.encoder_hidden_size
    example = (torch.zeros(EXAMPLE_BATCH, d.image_tokens, encoder_width),)
    inputs = [("encoder_hidden_states", [-1, -1, encoder_width], ov.Type.f32)]
    return _convert(CrossKVPart(model.text_decoder), example, inputs, kv_names("cross_key", "cross_value", d.layers))


def convert_decoder(model, d: Dims) -> ov.Model:
    """text_decoder: one step over the self-attention cache with precomputed cross-attention keys/values.

    The example batch has rows of different lengths (row 1 left-padded in the cache, a shorter cross
    sequence), so tracing keeps the masks and positions as real inputs (an all-ones example lets Hugging
    Face's mask code skip the mask, and the trace would freeze that).
    """
    b, p, length, m = EXAMPLE_BATCH, EXAMPLE_PAST_LENGTH, EXAMPLE_STEP_LENGTH, d.image_tokens
    kv_shape = [-1, d.heads, -1, d.head_size]
    past = [torch.zeros(b, d.heads, p, d.head_size) for _ in range(2 * d.layers)]
    cross = [torch.zeros(b, d.heads, m, d.head_size) for _ in range(2 * d.layers)]
    mask = torch.ones(b, p + length, dtype=torch.long)
    mask[1, 0] = 0
    positions = torch.tensor([[p + i for i in range(length)], [p - 1 + i for i in range(length)]])
    cross_mask = torch.ones(b, m, dtype=torch.long)
    cross_mask[1, m - 2 :] = 0
    example = (torch.ones(b, length, dtype=torch.long), mask, positions, cross_mask, *past, *cross)
    past_names = kv_names("past_key", "past_value", d.layers)
    cross_names = kv_names("cross_key", "cross_value", d.layers)
    inputs = [("input_ids", [-1, -1], ov.Type.i64), ("attention_mask", [-1, -1], ov.Type.i64),
              ("position_ids", [-1, -1], ov.Type.i64), ("encoder_attention_mask", [-1, -1], ov.Type.i64)]
    inputs += [(name, kv_shape, ov.Type.f32) for name in past_names + cross_names]
    outputs = ["logits", *kv_names("present_key", "present_value", d.layers)]
    return _convert(DecoderStepPart(model.text_decoder), example, inputs, outputs)


def convert_parts(model: BlipForQuestionAnswering | BlipForConditionalGeneration) -> dict[str, ov.Model]:
    """Every part the model's family needs, keyed by the contract's part name."""
    d = model_dims(model)
    parts = {"vision_model": convert_vision(model, d)}
    if isinstance(model, BlipForQuestionAnswering):
        parts["text_encoder"] = convert_text_encoder(model, d)
    parts["text_decoder_cross_kv"] = convert_cross_kv(model, d)
    parts["text_decoder"] = convert_decoder(model, d)
    return parts
