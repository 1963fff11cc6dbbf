"""The shapes world's own vocabulary: a BERT-style WordPiece tokenizer over every word the templates use.

Ids as in BERT-style BLIP: the tokenizer knows [PAD] [UNK] [CLS] [SEP] [MASK] and the words; the model vocabulary
adds two ids past the tokenizer's end: [DEC] (decoder start, = len(tokenizer)) and [ENC] (= len(tokenizer) + 1).
"""

from __future__ import annotations

from transformers import BertTokenizerFast

from shapes.questions import NUMBER_WORDS, PLURAL, RELATIONS
from shapes.world import COLOURS, MAX_OBJECTS, SHAPES, SIZES

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
# Words of the question templates besides the world's nouns and adjectives (see shapes.questions).
TEMPLATE_WORDS = (
    "how many are there is in the what picture image do you see objects object shapes shape one "
    "color colour any anything yes no and , ?"
)


def words() -> list[str]:
    """Every word the world's questions, answers and captions use, in a fixed order (ids are stable)."""
    found: list[str] = []
    digits = [str(i) for i in range(MAX_OBJECTS + 1)]
    relation_words = [w for r in RELATIONS for w in r.split()]
    for w in [*TEMPLATE_WORDS.split(), *digits, *SHAPES, *PLURAL.values(), *COLOURS, *SIZES, *NUMBER_WORDS.values(), *relation_words]:
        if w not in found:
            found.append(w)
    return found


def build_tokenizer() -> BertTokenizerFast:
    """A lower-casing WordPiece tokenizer whose vocabulary is SPECIAL_TOKENS followed by words()."""
    vocab = {w: i for i, w in enumerate([*SPECIAL_TOKENS, *words()])}
    return BertTokenizerFast(vocab=vocab, do_lower_case=True, model_max_length=64)


def model_vocab_size(tokenizer: BertTokenizerFast) -> int:
    """Tokenizer vocabulary + [DEC] + [ENC], as real BLIP sizes its text embeddings."""
    return len(tokenizer) + 2


def decoder_start_id(tokenizer: BertTokenizerFast) -> int:
    """The [DEC] id: the first id past the tokenizer's vocabulary."""
    return len(tokenizer)
