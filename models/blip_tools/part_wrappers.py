"""PyTorch modules around BLIP's parts whose inputs and outputs are the model-folder contract's tensors.

They call Hugging Face's own modules, so what OpenVINO converts is exactly the code `generate()` runs.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers.cache_utils import DynamicCache, EncoderDecoderCache
from transformers.models.blip.modeling_blip import BlipVisionModel
from transformers.models.blip.modeling_blip_text import BlipTextLMHeadModel, BlipTextModel


class VisionPart(nn.Module):
    """pixel_values [B,3,S,S] -> image_embeds [B,N,H] (the last hidden state, as `generate()` uses it)."""

    def __init__(self, vision: BlipVisionModel) -> None:
        super().__init__()
        self.vision = vision

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.vision(pixel_values=pixel_values, return_dict=True).last_hidden_state


class TextEncoderPart(nn.Module):
    """Question ids + mask + image embeds -> question_embeds [B,T,H]; the image mask is all ones, as HF."""

    def __init__(self, encoder: BlipTextModel) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, encoder_hidden_states: torch.Tensor
    ) -> torch.Tensor:
        image_mask = torch.ones(encoder_hidden_states.shape[:-1], dtype=torch.long)
        out = self.encoder(
            input_ids=input_ids,
            attention_mask=attention_mask,
            encoder_hidden_states=encoder_hidden_states,
            encoder_attention_mask=image_mask,
            return_dict=True,
        )
        return out.last_hidden_state


def _split_heads(states: torch.Tensor, head_size: int) -> torch.Tensor:
    """[B,M,heads*head_size] -> [B,heads,M,head_size], as BlipTextSelfAttention shapes keys and values."""
    return states.view(*states.shape[:-1], -1, head_size).transpose(1, 2)


class CrossKVPart(nn.Module):
    """encoder_hidden_states [B,M,H] -> per decoder layer (cross_key.i, cross_value.i) [B,heads,M,head_size]."""

    def __init__(self, decoder: BlipTextLMHeadModel) -> None:
        super().__init__()
        self.layers = decoder.bert.encoder.layer
        self.head_size = decoder.config.hidden_size // decoder.config.num_attention_heads

    def forward(self, encoder_hidden_states: torch.Tensor) -> tuple[torch.Tensor, ...]:
        outputs: list[torch.Tensor] = []
        for layer in self.layers:
            cross = layer.crossattention.self
            outputs.append(_split_heads(cross.key(encoder_hidden_states), self.head_size))
            outputs.append(_split_heads(cross.value(encoder_hidden_states), self.head_size))
        return tuple(outputs)


def _filled_cache(config, flat: tuple[torch.Tensor, ...]) -> DynamicCache:
    """A DynamicCache holding (key, value) pairs given flat as k0, v0, k1, v1, ...

    Set directly rather than through `update()`: its first call concatenates onto a 1-D empty tensor,
    which the converter cannot express, and a zero-length past must work the same as any other.
    """
    cache = DynamicCache(config=config)
    for i, layer in enumerate(cache.layers):
        keys, values = flat[2 * i], flat[2 * i + 1]
        layer.dtype, layer.device = keys.dtype, keys.device
        layer.keys, layer.values = keys, values
        layer.is_initialized = True
    return cache


class DecoderStepPart(nn.Module):
    """One decoder step over an explicit cache.

    Inputs: input_ids [B,L], attention_mask [B,P+L], then past_key.i/past_value.i for every layer, then
    cross_key.i/cross_value.i for every layer. Outputs: logits [B,L,V], then present_key.i/present_value.i.
    The cache is rebuilt as the EncoderDecoderCache that transformers 5 passes between steps (cross part
    marked as already computed), so Hugging Face's attention, masking and position code runs unchanged.
    """

    def __init__(self, decoder: BlipTextLMHeadModel) -> None:
        super().__init__()
        self.decoder = decoder
        self.num_layers = decoder.config.num_hidden_layers

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, *kv: torch.Tensor):
        n = self.num_layers
        past, cross = kv[: 2 * n], kv[2 * n :]
        config = self.decoder.config
        cache = EncoderDecoderCache(_filled_cache(config, past), _filled_cache(config, cross))
        for i in range(n):
            cache.is_updated[i] = True
        out = self.decoder(
            input_ids=input_ids,
            attention_mask=attention_mask,
            # Only its presence switches cross-attention on; keys/values come from the cache above.
            encoder_hidden_states=cross[0],
            past_key_values=cache,
            use_cache=True,
            return_dict=True,
        )
        presents: list[torch.Tensor] = []
        for i in range(n):
            layer = cache.self_attention_cache.layers[i]
            presents += [layer.keys, layer.values]
        return (out.logits, *presents)
