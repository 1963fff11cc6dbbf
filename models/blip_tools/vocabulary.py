"""The vocabularies the toolchain defines itself (no hub here): a tiny one for test models and a
synthetic one with bert-base-uncased's layout and size for the full-size random-init models."""

from __future__ import annotations

import string

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

# Real English words a VQA/caption test talks about. Lower case, as bert-base-uncased.
WORDS = """
the a an of and in on at to is are was be it this that there what which who where how many much
color colour shape size left right top bottom middle center front back near next behind above below
red green blue yellow orange purple pink black white gray grey brown
circle square triangle star line dot box ball cat dog bird car bus tree house man woman child person
picture photo image photograph scene view sky water grass road street table chair room wall floor
one two three four five six seven eight nine ten zero no yes not
big small large little tall short long round bright dark light empty full
sitting standing walking running holding playing looking eating
with without from by for over under between inside outside
do does did can could have has had any some all each other
""".split()

# WordPiece continuation pieces: every letter, so any lower-case ASCII word tokenizes, plus common suffixes.
SUFFIXES = ["##s", "##es", "##ed", "##ing", "##er", "##est", "##ly", "##ness", "##y"]

# Non-Latin tokens so streaming detokenisation meets multi-byte text: CJK characters (BERT splits each
# into its own token), Cyrillic and Greek words with continuation pieces (accents are stripped when
# lower-casing, so Greek is stored without them), hiragana, and an emoji outside the BMP.
NON_LATIN = [
    "猫", "狗", "红", "蓝", "大", "小", "是", "什", "么", "几", "个", "图",
    "кот", "собака", "красный", "что", "это", "ко", "##т", "##а", "##и",
    "γατα", "σκυλος", "τι",
    "ねこ", "いぬ",
    "🐱", "é",
]


def _single_characters() -> list[str]:
    """Printable ASCII characters (punctuation, digits, letters) and the continuation piece of every letter."""
    singles = [c for c in string.punctuation + string.digits + string.ascii_lowercase]
    return singles + [f"##{c}" for c in string.ascii_lowercase + string.digits]


def tiny_vocabulary() -> list[str]:
    """A few hundred entries: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4, then characters, words, pieces."""
    entries = SPECIALS + _single_characters() + WORDS + SUFFIXES + NON_LATIN
    return _unique(entries)


# bert-base-uncased's layout: [PAD]=0, [unused0..98]=1..99, [UNK]=100, [CLS]=101, [SEP]=102, [MASK]=103,
# more [unusedN] up to 998, characters from 999. A few ids are pinned to bert-base-uncased's, so that the
# reference's worked example ("a picture of" -> 1037 3861 1997) holds here too.
BERT_BASE_VOCAB_SIZE = 30522
BERT_BASE_SPECIAL_IDS = {"[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103}
BERT_BASE_PINNED = {"a": 1037, "the": 1996, "of": 1997, "and": 1998, "in": 1999, "to": 2000, "picture": 3861}
_FIRST_CHARACTER_ID = 999


def bert_base_layout_vocabulary() -> list[str]:
    """30,522 entries with bert-base-uncased's special ids; free slots are words, then [unusedN]."""
    slots: list[str | None] = [None] * BERT_BASE_VOCAB_SIZE
    for token, index in {**BERT_BASE_SPECIAL_IDS, **BERT_BASE_PINNED}.items():
        slots[index] = token
    placed = set(BERT_BASE_SPECIAL_IDS) | set(BERT_BASE_PINNED)
    queue = [t for t in _unique(_single_characters() + WORDS + SUFFIXES + NON_LATIN) if t not in placed]
    position = _FIRST_CHARACTER_ID
    for token in queue:
        while slots[position] is not None:
            position += 1
        slots[position] = token
    unused = 0
    for index, token in enumerate(slots):
        if token is None:
            slots[index] = f"[unused{unused}]"
            unused += 1
    return [t for t in slots if t is not None]


def _unique(entries: list[str]) -> list[str]:
    """Entries in first-seen order without duplicates (a vocabulary maps each token to one id)."""
    return list(dict.fromkeys(entries))
