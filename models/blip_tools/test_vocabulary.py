"""The toolchain's own tokenizers: the ids real BLIP uses, and tiny ones that exercise WordPiece and non-Latin text."""

from __future__ import annotations

from blip_tools.sources import random_init
from blip_tools.tokenizer_build import build_tokenizer
from blip_tools.vocabulary import BERT_BASE_VOCAB_SIZE


def test_bert_base_layout_ids():
    tokenizer = build_tokenizer("bert-base-uncased-layout")
    assert len(tokenizer) == BERT_BASE_VOCAB_SIZE
    assert [tokenizer.pad_token_id, tokenizer.unk_token_id, tokenizer.cls_token_id, tokenizer.sep_token_id,
            tokenizer.mask_token_id] == [0, 100, 101, 102, 103]
    assert tokenizer("A picture of").input_ids == [101, 1037, 3861, 1997, 102]


def test_tiny_vocabulary_pieces_and_non_latin():
    tokenizer = build_tokenizer("tiny")
    assert [tokenizer.pad_token_id, tokenizer.unk_token_id, tokenizer.cls_token_id, tokenizer.sep_token_id,
            tokenizer.mask_token_id] == [0, 1, 2, 3, 4]
    tokens = tokenizer.convert_ids_to_tokens(tokenizer("Biggest 猫 кота 🐱").input_ids)
    assert tokens == ["[CLS]", "big", "##g", "##est", "猫", "кот", "##а", "🐱", "[SEP]"]
    assert 200 < len(tokenizer) < 1000


def test_model_vocab_is_tokenizer_plus_dec_and_enc():
    loaded = random_init("tiny-caption", 0)
    text = loaded.model.config.text_config
    assert text.vocab_size == len(loaded.tokenizer) + 2
    assert text.bos_token_id == len(loaded.tokenizer)  # [DEC], unknown to the tokenizer
    assert text.sep_token_id == loaded.tokenizer.sep_token_id
