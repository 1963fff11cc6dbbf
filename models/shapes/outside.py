"""Outside the world: questions about things the shapes world does not have, and images that are not shapes scenes.

Both get OUTSIDE_ANSWER (also the caption of a non-scene image), which the model folder's card names as its
`outside_answer`. Questions come in two disjoint lists: TRAIN (training) and HELDOUT (evaluation only).
Non-scene images: photo-like natural textures, UI-screenshot-like layouts, noise, and blank (one-colour) images.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from shapes import phrasing as ph
from shapes.phrasing import pick

OUTSIDE_ANSWER = "i can only answer questions about shapes"
OUTSIDE_QUESTIONS = {
    "train": (
        "what is the weather like?", "is it raining?", "who is in the picture?", "what is the man doing?",
        "what does the text say?", "what time is it?", "where was this photo taken?", "what is the name of this place?",
        "is this person happy?", "what animal is this?", "what breed is the dog?", "what is written on the sign?",
        "how old is the woman?", "what is the capital of france?", "what is two plus two?", "what should i cook tonight?",
        "tell me a joke.", "what is your name?", "who made you?", "what is the meaning of life?", "translate this into french.",
        "what brand is the car?", "what season is it?", "is it day or night?", "what language is this?",
        "what is on the screen?", "what food is on the plate?", "what sport are they playing?", "what is the temperature?",
        "how tall is the building?", "what colour is the sky?", "what color is the car?", "what colour are her eyes?",
        "what is the dog doing?", "is the cat sleeping?", "what music is playing?", "what is the price?",
        "summarise this document.", "read the text.", "write a poem.", "hello", "hi there", "thank you",
        "is he smiling?", "what is she wearing?", "where is this?", "what country is this?", "who painted this?",
        "what is the date today?", "is the water cold?", "what is the website about?", "what app is this?",
        "is it sunny?", "who took this photo?", "what is the person looking at?", "how much money is there?",
        "what game is this?", "what movie is this from?", "is the food good?", "what time of day is it?",
        "who is the man?", "what is the woman holding?", "is the baby sleeping?", "what is the cat eating?",
        "which team won?", "what does the book say?", "how far away is the mountain?", "what street is this?",
        "what is in the sea?", "are the people happy?", "what day is it?", "what is your favourite colour?",
        "can you help me with my homework?", "what year is it?", "how do i get there?", "what is the answer to life?",
        "what does this word mean?", "is this a real photo?", "who is she?", "what is he doing?", "good night",
        # Session 13: more, on other topics (written apart from the held-out list below, with no held-out noun).
        "what is the wifi password?", "how many calories are in this?", "what is the man's name?", "who won the match?",
        "what song is this?", "where is the nearest shop?", "is this safe to eat?", "how heavy is it?",
        "what is the speed limit?", "what does this button do?", "can i park here?", "what planet is this?",
        "is the sea calm?", "what kind of car is this?", "how many people live here?", "is the shop open?",
        "what are they talking about?", "what is the recipe?", "is the road busy?", "what is the soup made of?",
        "what is the score?", "how long is the river?", "who is singing?", "what is the plant called?",
        "does the man look tired?", "is it going to rain?", "what material is the table?", "which airline is this?",
        "how deep is the water?", "what is the cat's name?", "explain this chart.", "good evening", "how are you?",
        "what can you do?", "who are you?", "see you later", "is it windy?", "what is the woman reading?",
    ),
    "heldout": (
        "will it snow tomorrow?", "who is the president?", "what kind of tree is that?", "how much does this cost?",
        "what emotion is the child showing?", "what does the logo say?", "which city is this?", "is the horse running?",
        "what is the boy holding?", "can you recommend a film?", "what year was this taken?", "what is the girl wearing?",
        "how fast is the train?", "what flavour is the ice cream?", "where are my keys?", "good morning",
        "what is the phone number?", "is the door open?", "what is the bird eating?", "describe the person's face.",
    ),
}
# In-world question shapes asked about things the world does not have.
OUTSIDE_NOUNS = {
    "train": (("person", "people"), ("cat", "cats"), ("dog", "dogs"), ("car", "cars"), ("tree", "trees"),
              ("house", "houses"), ("bird", "birds"), ("word", "words"), ("letter", "letters"), ("face", "faces"),
              ("flower", "flowers"), ("star", "stars"), ("heart", "hearts"), ("hexagon", "hexagons"), ("cloud", "clouds"),
              ("animal", "animals"), ("building", "buildings"), ("book", "books"), ("man", "men"), ("woman", "women"),
              # Session 13: more nouns of the vocabulary (those of its everyday words that name no shape, colour or
              # place in a picture, and none of the held-out ones).
              ("baby", "babies"), ("bus", "buses"), ("bike", "bikes"), ("plane", "planes"), ("street", "streets"),
              ("sky", "skies"), ("sun", "suns"), ("moon", "moons"), ("mountain", "mountains"), ("river", "rivers"),
              ("food", "foods"), ("plate", "plates"), ("cup", "cups"), ("computer", "computers"), ("sign", "signs"),
              ("song", "songs"), ("movie", "movies"), ("game", "games"), ("country", "countries"), ("window", "windows"),
              ("table", "tables"), ("key", "keys"), ("document", "documents"), ("website", "websites"), ("app", "apps"),
              ("brand", "brands"), ("language", "languages"), ("sport", "sports"), ("capital", "capitals")),
    "heldout": (("horse", "horses"), ("bicycle", "bicycles"), ("chair", "chairs"), ("pentagon", "pentagons"),
                ("boat", "boats"), ("phone", "phones"), ("child", "children")),
}


# Training only: open-world question frames around a noun ({N}), and how often a made-up noun fills a slot.
OPEN_FRAMES = (
    "what is the {N} doing?", "is the {N} happy?", "what kind of {N} is this?", "how old is the {N}?",
    "whose {N} is this?", "what is the {N} made of?", "why is the {N} here?", "is the {N} moving?",
    "what is the {N} holding?", "who owns the {N}?", "is the {N} open?", "where did the {N} come from?",
    "what is the {N} called?", "how big is the {N}?", "is the {N} new?", "what is the {N} for?", "where is the {N} going?",
    "is the {N} broken?", "how much is the {N}?", "what does the {N} say?", "is the {N} real?", "who drew the {N}?",
    "what is the {N} looking at?", "when was the {N} made?",
)
OPEN_FRAME_FRACTION = 0.25
MADE_UP_FRACTION = 0.3
# A word the model has never been trained on: its embedding row is still (about) its random initial value, as for
# every vocabulary word no training text uses. In training, UNSEEN_WORD's embedding is drawn afresh at every use
# (shapes.train.unseen_word_embeddings), so the model learns that an unfamiliar word in a question's noun slot is
# something outside the world, and (as a filler, shapes.batch) that one elsewhere changes nothing.
UNSEEN_WORD = "[UNK]"
UNSEEN_FRACTION = 0.3
IN_WORLD_NOUNS = {w for forms in ph.SHAPE_WORDS.values() for pair in forms for w in pair} | {
    w for pair in ph.THING_WORDS for w in pair} | {w for names in ph.COLOUR_WORDS.values() for w in names}


def made_up_noun(rng: np.random.Generator) -> tuple[str, str]:
    """A pronounceable made-up word (2-3 syllables) that names nothing in the world: trained on, it teaches that any
    thing the world lacks is outside it, rather than the twenty listed ones (out-of-world questions on scenes: 21 %
    honest with the list alone)."""
    while True:
        word = "".join(pick(rng, "bcdfghklmnprstvz") + pick(rng, "aeiou") for _ in range(int(rng.integers(2, 4))))
        if word not in IN_WORLD_NOUNS:
            return word, word + "s"


def outside_question(rng: np.random.Generator, split: str = "train") -> str:
    """A question about something outside the world: a fixed one, or an in-world template with an outside noun;
    in training also open-world frames, and made-up or unseen nouns in either."""
    if rng.random() < 0.5:
        return pick(rng, OUTSIDE_QUESTIONS[split])
    draw = rng.random() if split == "train" else 1.0
    if draw < MADE_UP_FRACTION:
        singular, plural = made_up_noun(rng)
    elif draw < MADE_UP_FRACTION + UNSEEN_FRACTION:
        singular, plural = UNSEEN_WORD, UNSEEN_WORD
    else:
        singular, plural = pick(rng, OUTSIDE_NOUNS[split])
    if split == "train" and rng.random() < OPEN_FRAME_FRACTION:
        return pick(rng, OPEN_FRAMES).format(N=singular)
    return noun_question(rng, split, singular, plural)


def noun_question(rng: np.random.Generator, split: str, singular: str, plural: str) -> str:
    """An in-world question shape (count, existence or colour) asked about a noun, in that split's wordings."""
    kind = rng.integers(3)
    if kind == 0:
        return ph.fill(pick(rng, ph.COUNT[split]), rng, split, X=plural)
    if kind == 1:
        return ph.fill(pick(rng, ph.EXISTS[split]), rng, split, aX=ph.article(singular), X=plural)
    return ph.fill(pick(rng, ph.COLOUR_OF_SHAPE[split]), rng, split, S=singular)


NONSCENE_KINDS = ("texture", "ui", "noise", "blank")


def nonscene_image(rng: np.random.Generator, kind: str | None = None) -> Image.Image:
    """An image that is not a shapes scene, of a random size."""
    kind = kind or pick(rng, NONSCENE_KINDS)
    w, h = int(rng.integers(64, 321)), int(rng.integers(64, 321))
    if kind == "blank":
        return Image.new("RGB", (w, h), tuple(int(v) for v in rng.integers(0, 256, 3)))
    if kind == "noise":
        return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
    if kind == "texture":
        return _texture(rng, w, h)
    return _ui(rng, w, h)


def _texture(rng: np.random.Generator, w: int, h: int) -> Image.Image:
    """Photo-like: several octaves of smooth noise mapped through a random colour ramp (sky, grass, rock...)."""
    field = np.zeros((h, w), np.float32)
    for octave in range(1, 6):
        cells = rng.random((2**octave + 1, 2**octave + 1)).astype(np.float32)
        layer = np.asarray(Image.fromarray(cells, "F").resize((w, h), Image.BICUBIC))
        field += layer / octave
    field = (field - field.min()) / max(float(np.ptp(field)), 1e-6)
    stops = rng.integers(0, 256, (3, 3)).astype(np.float32)
    lo, mid, hi = stops
    rgb = np.where(field[..., None] < 0.5, lo + (mid - lo) * field[..., None] * 2, mid + (hi - mid) * (field[..., None] - 0.5) * 2)
    rgb += rng.normal(0, 6, rgb.shape)
    return Image.fromarray(rgb.clip(0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(0.5))


def _ui(rng: np.random.Generator, w: int, h: int) -> Image.Image:
    """Screenshot-like: a window with a title bar, rows of text-like dashes, a few buttons and fields."""
    light = rng.random() < 0.7
    img = Image.new("RGB", (w, h), (245, 245, 245) if light else (32, 33, 36))
    d = ImageDraw.Draw(img)
    ink = (40, 40, 40) if light else (220, 220, 220)
    bar = tuple(int(v) for v in rng.integers(0, 256, 3))
    d.rectangle((0, 0, w, max(8, h // 12)), fill=bar)
    y = max(12, h // 10)
    while y < h - 8:
        x = int(rng.integers(4, 16))
        while x < w - 10:
            word = int(rng.integers(6, 30))
            d.rectangle((x, y, min(w - 4, x + word), y + 3), fill=ink)
            x += word + int(rng.integers(3, 8))
        y += int(rng.integers(8, 16))
        if rng.random() < 0.15:
            bw, bh = int(rng.integers(20, 60)), int(rng.integers(8, 16))
            d.rounded_rectangle((8, y, 8 + bw, y + bh), radius=3, fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
            y += bh + 6
    return img


def photo_crop(rng: np.random.Generator) -> Image.Image:
    """A random crop (64-320 px, any aspect) of a real photograph we did not make: scikit-learn's sample images
    (china.jpg, flower.jpg; scikit-learn is installed as NNCF's dependency). Evaluation only: training never sees photos."""
    from importlib.resources import files

    folder = files("sklearn.datasets") / "images"
    name = pick(rng, ("china.jpg", "flower.jpg"))
    with Image.open(str(folder / name)) as photo:
        photo = photo.convert("RGB")
        w, h = int(rng.integers(64, 321)), int(rng.integers(64, 321))
        scale = rng.uniform(1.0, 2.0)
        cw, ch = min(photo.width, int(w * scale)), min(photo.height, int(h * scale))
        x, y = int(rng.integers(0, photo.width - cw + 1)), int(rng.integers(0, photo.height - ch + 1))
        return photo.crop((x, y, x + cw, y + ch)).resize((w, h), Image.BICUBIC)
