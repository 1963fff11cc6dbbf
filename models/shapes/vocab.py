"""The demo model's vocabulary: a BERT-style WordPiece tokenizer over everyday English plus every word the world's
phrasings used when it was frozen (later phrasings' new words are pieces), with single letters, digits and common
suffixes as `##` pieces, so that any lower-case ASCII word becomes pieces rather than `[UNK]` (only characters outside
a-z, 0-9 and common punctuation do).

Ids as in BERT-style BLIP: the tokenizer knows [PAD] [UNK] [CLS] [SEP] [MASK] and the words; the model vocabulary
adds two ids past the tokenizer's end: [DEC] (decoder start, = len(tokenizer)) and [ENC] (= len(tokenizer) + 1).
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from transformers import BertTokenizerFast

from shapes import phrasing as ph
from shapes.descriptions import PARTIAL_FRAMES
from shapes.outside import OUTSIDE_ANSWER, OUTSIDE_NOUNS, OUTSIDE_QUESTIONS
from shapes.questions import NUMBER_WORDS, PLURAL
from shapes.world import COLOURS, MAX_OBJECTS, SHAPES

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
# Everyday words a user may type around the world's questions (not all are trained: unseen ones must not break it).
EVERYDAY = """
a an the this that these those it its is are was were be been being am do does did done have has had having
i me my you your we our they them their he she him her his there here what which who whom whose when where why how
can could will would shall should may might must not no yes and or but if so than then too very just only also
all any some each every both either neither none one two three four five six seven eight nine ten zero many much
more most less few several lot lots of in on at to from by with without for about into onto over under above below
beneath between behind before after near far left right up down top bottom middle center centre side corner inside
outside next first second third last other another same different big small large little tiny huge long short
round square flat light dark bright pale see look looks show shows shown tell say said give find count name list
describe identify know think want like need please thanks thank hello hi hey ok okay sure well now again still
picture image photo scene drawing pic photograph frame view screen colour color colours colors coloured colored
shade shape shapes form kind sort type object objects thing things item items figure figures piece pieces
number total amount how many much visible present somewhere anything something nothing everything
red green blue yellow purple violet orange pink black white grey gray brown cyan magenta gold silver
circle circles disc discs disk disks dot dots ring rings ball balls oval ovals square squares box boxes rectangle
rectangles block blocks triangle triangles star stars heart hearts diamond diamonds hexagon pentagon line lines
person people man men woman women child children boy girl baby face faces cat cats dog dogs bird birds horse
car cars bus train bike bicycle boat plane tree trees flower flowers house houses building buildings city street
sky sun moon cloud clouds rain snow weather water sea river mountain food plate cup book books phone computer
text word words letter letters sign logo time day night year today tomorrow morning price cost money
happy sad old young doing wearing holding eating running sleeping playing made make take taken go going get got
write read translate summarise summarize joke poem song music film movie game sport country place capital
animal animals chair door window table keys key cold hot fast slow open closed tall
""".split()
PUNCTUATION = tuple(",.?!'\":;-()")
SUFFIXES = ("s", "es", "ed", "ing", "ly", "er", "est", "ion", "ness", "y", "en", "al", "ful")


def _words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _phrasing_texts() -> list[str]:
    texts = [OUTSIDE_ANSWER, *PARTIAL_FRAMES, *ph.PICTURE_WORDS, *ph.COLOUR_NOUNS, *ph.PREFIXES]
    for table in (ph.COUNT, ph.COLOUR_OF_SHAPE, ph.SHAPE_OF_COLOUR, ph.EXISTS, ph.EXISTS_COLOUR, ph.DESCRIBE, OUTSIDE_QUESTIONS):
        texts += [t for name, split in table.items() if name != "written" for t in split]
    for name, split in ph.RELATION.items():  # the written-apart list must not shape the vocabulary it is tested on
        texts += [t for templates in split.values() for t in templates] if name != "written" else []
    for forms in (*ph.SHAPE_WORDS.values(), ph.THING_WORDS, *OUTSIDE_NOUNS.values()):
        texts += [w for pair in forms for w in pair]
    texts += [w for words in ph.COLOUR_WORDS.values() for w in words]
    return [re.sub(r"\{[A-Za-z]+\}", " ", t) for t in texts]


def words() -> list[str]:
    """Every vocabulary entry after the special tokens, in a fixed order (ids are stable)."""
    found: dict[str, None] = {}
    world = [*SHAPES, *PLURAL.values(), *COLOURS, *NUMBER_WORDS.values(), *(str(i) for i in range(MAX_OBJECTS + 1))]
    for w in [*world, *EVERYDAY]:
        found.setdefault(w, None)
    for text in _phrasing_texts():
        for w in _words_of(text):
            found.setdefault(w, None)
    for p in (*PUNCTUATION, *string.ascii_lowercase, *string.digits):
        found.setdefault(p, None)
    for piece in (*string.ascii_lowercase, *string.digits, *SUFFIXES):
        found.setdefault(f"##{piece}", None)
    return list(found)


# The vocabulary the committed weights were trained with, frozen: editing word lists must never shift a trained id.
VOCAB_FILE = Path(__file__).parent / "weights" / "vocab.txt"


def write_vocab(path: Path = VOCAB_FILE) -> Path:
    """(Re)create the frozen vocabulary file from SPECIAL_TOKENS + words(); only before a training run from scratch."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*SPECIAL_TOKENS, *words()]) + "\n")
    return path


def build_tokenizer(path: Path = VOCAB_FILE) -> BertTokenizerFast:
    """A lower-casing WordPiece tokenizer over the frozen vocabulary file (one entry per line, id = line number)."""
    entries = path.read_text().splitlines()
    return BertTokenizerFast(vocab={w: i for i, w in enumerate(entries)}, do_lower_case=True, model_max_length=64)


def model_vocab_size(tokenizer: BertTokenizerFast) -> int:
    """Tokenizer vocabulary + [DEC] + [ENC], as real BLIP sizes its text embeddings."""
    return len(tokenizer) + 2


def decoder_start_id(tokenizer: BertTokenizerFast) -> int:
    """The [DEC] id: the first id past the tokenizer's vocabulary."""
    return len(tokenizer)
