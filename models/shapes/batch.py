"""Training batches: fresh scenes every call, turned into the tensors BLIP's parts (and the image-text heads) take.

Pixels are made exactly as `BlipImageProcessor` (and the engine) make them: each image, whatever its size, is
resized to 96 x 96 with Pillow's bicubic filter, then x/255 and CLIP mean/std.
A batch mixes shapes scenes (a question each, sometimes one about something outside the world) with non-scene images
(OUTSIDE_FRACTION), whose answers and captions are OUTSIDE_ANSWER. The first `itm` scenes also get a description each
(full caption or partial) for the contrastive and matching losses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from transformers import BertTokenizerFast

from shapes.dense import kind_counts, patch_owners, patch_targets
from shapes.descriptions import Description, full_description, matches, partial_description, perturbed
from shapes.model import IMAGE_SIZE
from shapes.outside import IN_WORLD_NOUNS, OUTSIDE_ANSWER, UNSEEN_WORD, nonscene_image, outside_question
from shapes.questions import Named, caption, random_question
from shapes.world import Scene, random_scene, render

CLIP_MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
CLIP_STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
IGNORE_INDEX = -100  # label value CrossEntropyLoss skips (padding)
NONSCENE_FRACTION = 0.08
OUTSIDE_QUESTION_FRACTION = 0.12
UNSEEN_FILLER_FRACTION = 0.06  # in-world questions with an unseen word before or after them (shapes.outside.UNSEEN_WORD)
UNSEEN_SWAP_FRACTION = 0.15  # in-world questions with some of their frame words swapped for an unseen word
UNSEEN_SWAP_RATE = 0.25  # each frame word's chance to be swapped in such a question (at least one is)
# Words that carry a question's meaning (what it names, which side it asks about): never swapped, since then the answer
# would no longer follow from the question. Nor are the count words: "[UNK] [UNK] circles are there?" taught that a
# question of unknown words around "there" wants a number (held-out "could there be a circle somewhere?" -> "1").
# Every other word is frame ("colour", "shape", "is", "what"...).
MEANING_WORDS = IN_WORLD_NOUNS | {"one", "left", "right", "above", "below", "over", "under", "beneath", "higher", "lower",
                                  "how", "many", "count", "number"}


@dataclass
class Batch:
    """One step's inputs: B images, one question + answer and one caption per image; image-text pairs."""

    pixel_values: torch.Tensor  # f32 [B,3,96,96]
    question_ids: torch.Tensor  # i64 [B,Tq]
    question_mask: torch.Tensor
    answer_ids: torch.Tensor  # i64 [B,Ta], starts with [DEC]
    answer_mask: torch.Tensor
    answer_labels: torch.Tensor  # answer_ids with padding set to IGNORE_INDEX
    caption_ids: torch.Tensor  # i64 [B,Tc], starts with [DEC]
    caption_mask: torch.Tensor
    caption_labels: torch.Tensor
    itc_images: torch.Tensor  # i64 [K] batch indices of the scenes with a description
    itc_ids: torch.Tensor  # i64 [K,Td] the descriptions ([CLS] first)
    itc_mask: torch.Tensor
    itc_targets: torch.Tensor  # f32 [K,K] 1 where description j is true of image i
    itm_images: torch.Tensor  # i64 [M] batch index of each matching pair's image
    itm_ids: torch.Tensor  # i64 [M,Tm]
    itm_mask: torch.Tensor
    itm_labels: torch.Tensor  # i64 [M] 1 = the text is true of the image
    patch_colour: torch.Tensor  # i64 [B,P] shapes.dense targets (0 = background)
    patch_shape: torch.Tensor  # i64 [B,P]
    kind_counts: torch.Tensor  # i64 [B,K]
    name_where: torch.Tensor  # f32 [B,Tq,2] centre (-1..1) of the object that question token names
    name_mask: torch.Tensor  # bool [B,Tq] True on tokens that name an object (QA.named)
    name_object: torch.Tensor  # i64 [B,Tq] index of the object that token names, -1 elsewhere
    patch_owner: torch.Tensor  # i64 [B,P] index of the object on each patch, -1 background (shapes.dense.patch_owners)
    relation_offset: torch.Tensor  # f32 [B,2] a relation question's first object's centre minus its second's (0 elsewhere)
    relation_side: torch.Tensor  # f32 [B,Tq] on a relation's name tokens +1 (first object) or -1 (second), else 0


def pixels(images: list) -> torch.Tensor:
    """`BlipImageProcessor` output for RGB PIL images of any size: bicubic to 96 x 96, rescale, normalise, CHW."""
    sized = [im if im.size == (IMAGE_SIZE, IMAGE_SIZE) else im.resize((IMAGE_SIZE, IMAGE_SIZE), Image.BICUBIC) for im in images]
    arr = np.stack([np.asarray(im, dtype=np.float32) for im in sized]) / 255.0
    arr = (arr - CLIP_MEAN) / CLIP_STD
    return torch.from_numpy(arr.transpose(0, 3, 1, 2).copy())


def decoder_targets(tokenizer: BertTokenizerFast, texts: list[str], dec_id: int):
    """Decoder input ids, mask and labels for `texts`: [DEC] text [SEP], as BLIP trains its decoder."""
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    ids = enc.input_ids.clone()
    ids[:, 0] = dec_id  # BLIP replaces the [CLS] that the tokenizer puts first with [DEC]
    labels = ids.masked_fill(enc.attention_mask == 0, IGNORE_INDEX)
    return ids, enc.attention_mask, labels


@dataclass(frozen=True)
class Example:
    """One training example: the image, the question and its answer, the scene's caption, the scene (None for an image
    that is not a scene), the objects the question names, and the question's type (None when the answer is the outside
    answer)."""

    image: Image.Image
    question: str
    answer: str
    caption: str
    scene: Scene | None
    named: tuple[Named, ...] = ()
    type: str | None = None


def sample(rng: np.random.Generator, boost: dict[str, float] | None) -> Example:
    """One training example drawn from `rng`, question types weighted by `boost`."""
    if rng.random() < NONSCENE_FRACTION:
        image = nonscene_image(rng)
        question = outside_question(rng) if rng.random() < 0.3 else random_question(random_scene(rng), rng, boost).question
        return Example(image, question, OUTSIDE_ANSWER, OUTSIDE_ANSWER, None)
    scene = random_scene(rng)
    if rng.random() < OUTSIDE_QUESTION_FRACTION * (boost or {}).get("outside", 1.0):
        return Example(render(scene), outside_question(rng), OUTSIDE_ANSWER, caption(scene), scene)
    qa = random_question(scene, rng, boost)
    question = qa.question if qa.type == "describe" else with_unseen_frame_words(qa.question, rng)
    return Example(render(scene), with_filler(question, rng), qa.answer, caption(scene), scene, qa.named, qa.type)


def with_unseen_frame_words(question: str, rng: np.random.Generator) -> str:
    """Sometimes frame words swapped for an unseen word ("what [UNK] is the circle?", "is the red one [UNK] left of
    the box?"): a user's own wording brings words training never used (their embeddings still random), and the model
    must read the question from the words it knows rather than answer something else (held-out "what shade is the
    {S}?" was answered with a shape, "is the {A} located right of the {B}?" with `no` to almost all). Not for
    "describe": its questions name nothing in the world, so with frame words swapped they taught that a question of
    unknown words asks for a description ("have you spotted a chair?" got one)."""
    if rng.random() >= UNSEEN_SWAP_FRACTION:
        return question
    words = re.findall(r"[a-z']+|[^a-z']+", question)
    frame = [i for i, w in enumerate(words) if w[0].isalpha() and w not in MEANING_WORDS]
    if not frame:
        return question
    swap = {i for i in frame if rng.random() < UNSEEN_SWAP_RATE} or {frame[int(rng.integers(len(frame)))]}
    return "".join(UNSEEN_WORD if i in swap else w for i, w in enumerate(words))


def with_filler(question: str, rng: np.random.Generator) -> str:
    """Sometimes an unseen word as a greeting before the question or a tag after it ("[UNK], how many...",
    "how many ... there [UNK]?"): an unfamiliar word outside the noun slot must not make a question outside the world."""
    if rng.random() >= UNSEEN_FILLER_FRACTION:
        return question
    if rng.random() < 0.5:
        return f"{UNSEEN_WORD}, {question}"
    return f"{question[:-1]} {UNSEEN_WORD}{question[-1]}" if question[-1] in "?." else f"{question} {UNSEEN_WORD}"


def name_targets(question: str, named: tuple[Named, ...], offsets: list[tuple[int, int]]) -> list[tuple[int, Named]]:
    """(token index, object) for every token inside the words naming each object, the objects found in order; none
    when a name cannot be found (the words of one name never sit inside another's: questions name distinct objects)."""
    out, start = [], 0
    for n in named:
        m = re.compile(rf"\b{re.escape(n.words)}\b").search(question, start)
        if m is None:
            return []
        out += [(t, n) for t, (a, b) in enumerate(offsets) if b > a and a >= m.start() and b <= m.end()]
        start = m.end()
    return out


def name_tensors(questions: list[str], named: list[tuple[Named, ...]], offsets: list, length: int):
    """The batch's name_where [B,T,2] (centres in -1..1), name_mask [B,T] and name_object [B,T] (shapes.train's
    where- and grounding losses)."""
    where, obj = torch.zeros(len(questions), length, 2), torch.full((len(questions), length), -1, dtype=torch.long)
    for i, (q, n, off) in enumerate(zip(questions, named, offsets, strict=True)):
        for t, o in name_targets(q, n, off):
            where[i, t] = torch.tensor([2 * o.x - 1, 2 * o.y - 1])
            obj[i, t] = o.index
    return where, obj >= 0, obj


def relation_tensors(types: list[str | None], named: list[tuple[Named, ...]],
                     name_object: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The batch's relation_offset [B,2] (A's centre minus B's, in canvas fractions) and relation_side [B,Tq]."""
    is_relation = [t == "relation" for t in types]
    offset = torch.tensor([[n[0].x - n[1].x, n[0].y - n[1].y] if r else [0.0, 0.0]
                           for r, n in zip(is_relation, named, strict=True)])
    side = torch.zeros(name_object.shape)
    for i in (i for i, r in enumerate(is_relation) if r):
        side[i] = (name_object[i] == named[i][0].index).float() - (name_object[i] == named[i][1].index).float()
    return offset, side


def pair_texts(rng: np.random.Generator, scenes: list) -> tuple[list[Description], list[tuple[int, Description, bool]]]:
    """A description per scene (half full captions, half partial) and matching pairs: each scene with its own
    description and with a hard negative (a perturbed one, else another scene's description that is false of it)."""
    descs = [full_description(s) if rng.random() < 0.5 else partial_description(s, rng) for s in scenes]
    pairs = []
    for i, (s, d) in enumerate(zip(scenes, descs, strict=True)):
        pairs.append((i, d, True))
        neg = perturbed(s, d, rng)
        if neg is None:
            others = [o for o in descs if not matches(s, o)]
            neg = others[int(rng.integers(len(others)))] if others else None
        if neg is not None:
            pairs.append((i, neg, False))
    return descs, pairs


def make_batch(rng: np.random.Generator, tokenizer: BertTokenizerFast, size: int, dec_id: int,
               boost: dict[str, float] | None = None, itm: int = 24) -> Batch:
    """`size` fresh examples drawn from `rng` (question types weighted by `boost`), `itm` of them with descriptions."""
    examples = [sample(rng, boost) for _ in range(size)]
    questions, named = [e.question for e in examples], [e.named for e in examples]
    q = tokenizer(questions, padding=True, return_tensors="pt", return_offsets_mapping=True)
    name_where, name_mask, name_object = name_tensors(questions, named, q.offset_mapping.tolist(), q.input_ids.shape[1])
    a_ids, a_mask, a_labels = decoder_targets(tokenizer, [e.answer for e in examples], dec_id)
    c_ids, c_mask, c_labels = decoder_targets(tokenizer, [e.caption for e in examples], dec_id)
    scene_idx = [i for i, e in enumerate(examples) if e.scene is not None][:itm]
    scenes = [examples[i].scene for i in scene_idx]
    descs, pairs = pair_texts(rng, scenes)
    d = tokenizer([x.text for x in descs], padding=True, return_tensors="pt")
    targets = torch.tensor([[float(matches(s, x)) for x in descs] for s in scenes])
    m = tokenizer([p[1].text for p in pairs], padding=True, return_tensors="pt")
    dense = [patch_targets(e.scene) for e in examples]
    return Batch(
        pixels([e.image for e in examples]), q.input_ids, q.attention_mask, a_ids, a_mask, a_labels, c_ids, c_mask, c_labels,
        torch.tensor(scene_idx), d.input_ids, d.attention_mask, targets,
        torch.tensor([scene_idx[p[0]] for p in pairs]), m.input_ids, m.attention_mask, torch.tensor([int(p[2]) for p in pairs]),
        torch.from_numpy(np.stack([d[0] for d in dense])), torch.from_numpy(np.stack([d[1] for d in dense])),
        torch.from_numpy(np.stack([kind_counts(e.scene) for e in examples])), name_where, name_mask, name_object,
        torch.from_numpy(np.stack([patch_owners(e.scene) for e in examples])),
        *relation_tensors([e.type for e in examples], named, name_object),
    )


class _Steps(torch.utils.data.Dataset):
    """Batch k of a run is made from the rng seeded (seed, k): any step's batch is the same, resumed or not."""

    def __init__(self, seed: int, first: int, last: int, size: int, boost, itm: int):
        from shapes.vocab import build_tokenizer, decoder_start_id

        self.seed, self.first, self.last, self.size, self.boost, self.itm = seed, first, last, size, boost, itm
        self.tok = build_tokenizer()
        self.dec = decoder_start_id(self.tok)

    def __len__(self) -> int:
        return self.last - self.first

    def __getitem__(self, i: int) -> Batch:
        rng = np.random.default_rng([self.seed, self.first + i])
        return make_batch(rng, self.tok, self.size, self.dec, self.boost, self.itm)


def _one_thread(_worker: int) -> None:
    torch.set_num_threads(1)


def batch_stream(seed: int, first: int, last: int, size: int, boost=None, itm: int = 16, workers: int = 1):
    """Batches for steps first..last-1, made by `workers` background processes (drawing overlaps training)."""
    data = _Steps(seed, first, last, size, boost, itm)
    return torch.utils.data.DataLoader(data, batch_size=None, shuffle=False, num_workers=workers, prefetch_factor=3 if workers else None,
                                       worker_init_fn=_one_thread if workers else None, collate_fn=lambda b: b)
