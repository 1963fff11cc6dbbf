"""Build and save a BERT-style WordPiece tokenizer from one of the toolchain's vocabularies."""

from __future__ import annotations

from transformers import BertTokenizerFast

from .vocabulary import bert_base_layout_vocabulary, tiny_vocabulary

# bert-base-uncased's limit, which BLIP's processor inherits.
MODEL_MAX_LENGTH = 512


def build_tokenizer(kind: str) -> BertTokenizerFast:
    """A lower-casing BertTokenizerFast over the named vocabulary ("tiny" or "bert-base-uncased-layout")."""
    vocabulary = tiny_vocabulary() if kind == "tiny" else bert_base_layout_vocabulary()
    vocab = {token: index for index, token in enumerate(vocabulary)}
    return BertTokenizerFast(vocab=vocab, do_lower_case=True, model_max_length=MODEL_MAX_LENGTH)


def special_ids(tokenizer: BertTokenizerFast) -> dict[str, int]:
    """The ids BLIP's generation needs from the tokenizer: pad and sep (the end token)."""
    return {"pad": int(tokenizer.pad_token_id), "sep": int(tokenizer.sep_token_id)}
