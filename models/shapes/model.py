"""The demo model's architecture: a 2.3 M-parameter `BlipForQuestionAnswering` whose 32-px patches match the grid."""

from __future__ import annotations

from transformers import BertTokenizerFast, BlipConfig, BlipForQuestionAnswering, GenerationConfig

from shapes.vocab import decoder_start_id, model_vocab_size
from shapes.world import CELL, IMAGE_SIZE

HIDDEN = 128
FFN = 512
HEADS = 4
VISION_LAYERS = 4
TEXT_LAYERS = 2
MAX_POSITIONS = 64
# The longest caption is 25 tokens with [DEC] and [SEP]; generate() counts the start token in max_length.
MAX_LENGTH = 32
# The vision class default initializer range is 1e-10, which leaves a fresh vision tower blind; BERT's 0.02 trains.
INIT_RANGE = 0.02


def blip_config(tokenizer: BertTokenizerFast) -> BlipConfig:
    """The BlipConfig: model vocabulary = tokenizer + [DEC] + [ENC]; [SEP] ends generation, as in real BLIP."""
    text = dict(
        vocab_size=model_vocab_size(tokenizer),
        hidden_size=HIDDEN,
        encoder_hidden_size=HIDDEN,
        intermediate_size=FFN,
        num_hidden_layers=TEXT_LAYERS,
        num_attention_heads=HEADS,
        max_position_embeddings=MAX_POSITIONS,
        bos_token_id=decoder_start_id(tokenizer),
        pad_token_id=tokenizer.pad_token_id,
        sep_token_id=tokenizer.sep_token_id,
        eos_token_id=tokenizer.sep_token_id,
        initializer_range=INIT_RANGE,
    )
    vision = dict(
        hidden_size=HIDDEN,
        intermediate_size=FFN,
        num_hidden_layers=VISION_LAYERS,
        num_attention_heads=HEADS,
        image_size=IMAGE_SIZE,
        patch_size=CELL,
        initializer_range=INIT_RANGE,
    )
    return BlipConfig(text_config=text, vision_config=vision, initializer_range=INIT_RANGE)


def new_model(tokenizer: BertTokenizerFast) -> BlipForQuestionAnswering:
    """A freshly initialised demo model whose generation defaults fit the longest caption."""
    model = BlipForQuestionAnswering(blip_config(tokenizer))
    model.generation_config = GenerationConfig(
        max_length=MAX_LENGTH,
        num_beams=1,
        do_sample=False,
        bos_token_id=decoder_start_id(tokenizer),
        eos_token_id=tokenizer.sep_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return model
