"""Named random-init configurations: the real BLIP base dimensions and tiny ones for tests."""

from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

from .errors import ToolError

if TYPE_CHECKING:
    from transformers import BlipConfig

# Std of the random weights. The class default for the vision tower is 1e-10 (real checkpoints overwrite it),
# which makes a random model blind to the image, so full-size configs use BERT's 0.02 for every part. The tiny
# test models use more: with 0.02 each sublayer adds ~3% to its LayerNorm-ed residual, so the answer hardly
# depends on the image or question and the top logits nearly tie; larger weights make both matter.
BASE_INIT_RANGE = 0.02
TINY_INIT_RANGE = 0.1


@dataclass(frozen=True)
class RandomInitConfig:
    """A named architecture: the model family, its vocabulary kind and the BlipConfig to build."""

    name: str
    family: str  # "blip-vqa" | "blip-caption"
    vocabulary: str  # "tiny" | "bert-base-uncased-layout"
    text: dict
    vision: dict
    caption_prompt: str | None
    init_range: float = BASE_INIT_RANGE
    # D of the image-text (ITC) vectors: BlipConfig's default 256 is the real checkpoints'; tiny models use less.
    image_text_size: int = 256

    def blip_config(self, tokenizer_vocab_size: int, special: dict[str, int]) -> "BlipConfig":
        """The BlipConfig, with the model vocabulary = tokenizer vocabulary + [DEC] + [ENC], as real BLIP."""
        from transformers import BlipConfig  # imported here so argument checks stay fast

        text = dict(self.text, initializer_range=self.init_range)
        text.update(
            vocab_size=tokenizer_vocab_size + 2,
            bos_token_id=tokenizer_vocab_size,  # [DEC]: decoder start
            pad_token_id=special["pad"],
            sep_token_id=special["sep"],
        )
        vision = dict(self.vision, initializer_range=self.init_range)
        return BlipConfig(text_config=text, vision_config=vision, initializer_range=self.init_range,
                          image_text_hidden_size=self.image_text_size)


# blip-vqa-base / blip-image-captioning-base: BlipConfig defaults except 12 text heads (the class default is 8).
_BASE_TEXT = dict(
    hidden_size=768, encoder_hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
    num_attention_heads=12, max_position_embeddings=512, layer_norm_eps=1e-12, eos_token_id=2,
)
_BASE_VISION = dict(
    hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
    image_size=384, patch_size=16, layer_norm_eps=1e-5,
)
# Tiny: vision hidden == text hidden == encoder_hidden_size, so the parts fit together like the real ones.
_TINY_TEXT = dict(
    hidden_size=64, encoder_hidden_size=64, intermediate_size=128, num_hidden_layers=2,
    num_attention_heads=4, max_position_embeddings=128, layer_norm_eps=1e-12, eos_token_id=3,
)
_TINY_VISION = dict(
    hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
    image_size=64, patch_size=16, layer_norm_eps=1e-5,
)

CONFIGS: dict[str, RandomInitConfig] = {
    c.name: c
    for c in (
        RandomInitConfig("blip-vqa-base", "blip-vqa", "bert-base-uncased-layout", _BASE_TEXT, _BASE_VISION, None),
        RandomInitConfig(
            "blip-image-captioning-base", "blip-caption", "bert-base-uncased-layout", _BASE_TEXT, _BASE_VISION,
            "a picture of",
        ),
        RandomInitConfig("tiny-vqa", "blip-vqa", "tiny", _TINY_TEXT, _TINY_VISION, None, TINY_INIT_RANGE, 32),
        RandomInitConfig("tiny-caption", "blip-caption", "tiny", _TINY_TEXT, _TINY_VISION, "a picture of", TINY_INIT_RANGE),
    )
}


def get_config(name: str) -> RandomInitConfig:
    """The named config, or a one-line error listing the known names."""
    try:
        return CONFIGS[name]
    except KeyError:
        raise ToolError(f"unknown random-init config {name!r}; known: {', '.join(CONFIGS)}") from None
