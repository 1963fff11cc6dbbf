"""PyTorch modules around BLIP's parts whose inputs and outputs are the model-folder contract's tensors.

They call Hugging Face's own modules, so what OpenVINO converts is exactly the code `generate()` runs.
"""

from __future__ import annotations

from contextlib import contextmanager

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


@contextmanager
def _cross_mask_applied(decoder: BlipTextLMHeadModel):
    """Makes cross-attention use its mask while the step runs.

    transformers 5.23's BlipTextLayer hands the cross-attention mask to BlipTextSelfAttention as
    `attention_mask`, which then replaces it with its own (absent) `encoder_attention_mask` argument, so the
    mask never applies. `generate()` only ever passes all-ones masks (adding zeros), so applying it changes
    nothing there; for a row padded to a longer cross sequence in a batch it keeps the row what it is alone.
    """

    def pass_mask(_module, args, kwargs):
        if kwargs.get("encoder_hidden_states") is not None and kwargs.get("encoder_attention_mask") is None:
            kwargs["encoder_attention_mask"] = kwargs.get("attention_mask")
        return args, kwargs

    handles = [layer.crossattention.self.register_forward_pre_hook(pass_mask, with_kwargs=True)
               for layer in decoder.bert.encoder.layer]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


class DecoderStepPart(nn.Module):
    """One decoder step over an explicit cache, for a batch whose rows may have different lengths.

    Inputs: input_ids [B,L], attention_mask [B,P+L] (0 over a row's padding in the cache), position_ids [B,L]
    (each row's own positions), encoder_attention_mask [B,M] (0 over a row's padding in the cross K/V, e.g. a
    shorter question), then past_key.i/past_value.i for every layer, then cross_key.i/cross_value.i for every
    layer. Outputs: logits [B,L,V], then present_key.i/present_value.i. The cache is rebuilt as the
    EncoderDecoderCache that transformers 5 passes between steps (cross part marked as already computed), so
    Hugging Face's attention, masking and position code runs unchanged; with all-ones masks and positions
    P…P+L−1 the step is exactly the one `generate()` runs (an all-ones cross mask adds zeros).
    """

    def __init__(self, decoder: BlipTextLMHeadModel) -> None:
        super().__init__()
        self.decoder = decoder
        self.num_layers = decoder.config.num_hidden_layers

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, position_ids: torch.Tensor,
                encoder_attention_mask: torch.Tensor, *kv: torch.Tensor):
        n = self.num_layers
        past, cross = kv[: 2 * n], kv[2 * n :]
        config = self.decoder.config
        cache = EncoderDecoderCache(_filled_cache(config, past), _filled_cache(config, cross))
        for i in range(n):
            cache.is_updated[i] = True
        with _cross_mask_applied(self.decoder):
            out = self.decoder(
                input_ids=input_ids,
                attention_mask=attention_mask,
                position_ids=position_ids,
                # Only its presence switches cross-attention on; keys/values come from the cache above.
                encoder_hidden_states=cross[0],
                encoder_attention_mask=encoder_attention_mask,
                past_key_values=cache,
                use_cache=True,
                return_dict=True,
            )
        presents: list[torch.Tensor] = []
        for i in range(n):
            layer = cache.self_attention_cache.layers[i]
            presents += [layer.keys, layer.values]
        return (out.logits, *presents)


def plain_step_inputs(input_ids: torch.Tensor, past_length: int, cross_length: int) -> tuple[torch.Tensor, ...]:
    """attention_mask, position_ids and encoder_attention_mask of an unpadded step (every row P+L long)."""
    batch, length = input_ids.shape
    positions = torch.arange(past_length, past_length + length).expand(batch, -1)
    return (torch.ones(batch, past_length + length, dtype=torch.long), positions,
            torch.ones(batch, cross_length, dtype=torch.long))
