"""Everyday phrasings of the world's questions: templates per question type, in three lists.

TRAIN templates are what training sees; HELDOUT templates (other verbs, other sentence shapes, politeness) are used
only by the held-out-phrasings evaluation set, never in training (the two are disjoint). WRITTEN
(`phrasings_written_apart.json`, evaluation only) was written by another session from the world's description and
the slot list alone, never shown these templates: how strangers word the same questions (half coincide with training
templates, as a stranger's wording would). All share the world's nouns and their synonyms (American and British
spelling, "disc" for circle, "box"/"rectangle" for square, "violet" for purple).

Slots: {X} a plural noun phrase ("red circles", "shapes"), {aX} the same with an article ("a red circle"),
{S} a shape word, {C} a colour word, {T} a singular thing word, {A} {B} object names, {P} a picture word,
{K} "colour" or "color".
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SHAPE_WORDS = {
    "circle": (("circle", "circles"), ("disc", "discs"), ("disk", "disks"), ("dot", "dots")),
    "square": (("square", "squares"), ("box", "boxes"), ("rectangle", "rectangles"), ("block", "blocks")),
    "triangle": (("triangle", "triangles"),),
}
SHAPE_WORD_WEIGHT = 0.6  # how often the canonical word is used rather than a synonym
COLOUR_WORDS = {"red": ("red",), "green": ("green",), "blue": ("blue",), "yellow": ("yellow",), "purple": ("purple", "violet")}
THING_WORDS = (("shape", "shapes"), ("object", "objects"), ("thing", "things"), ("item", "items"), ("figure", "figures"))


def _either(words) -> str:
    """'a, b or c': a choice among the world's own words, so such a template follows the world."""
    return f"{', '.join(words[:-1])} or {words[-1]}"


ANY_COLOUR = _either(list(COLOUR_WORDS))  # "red, green, blue, yellow or purple"
ANY_SHAPE = _either([f"a {s}" for s in SHAPE_WORDS])  # "a circle, a square or a triangle"
PICTURE_WORDS = ("picture", "image", "photo", "scene", "drawing")
COLOUR_NOUNS = ("colour", "color")

COUNT = {
    "train": (
        "how many {X} are there?", "how many {X} are in the {P}?", "how many {X} are there in the {P}?",
        "how many {X} can you see?", "how many {X} do you see?", "count the {X}.", "count the {X} in the {P}.",
        "tell me how many {X} there are.", "tell me the number of {X}.", "what is the number of {X}?",
        "number of {X}?", "how many {X}?", "how many {X} are shown?", "how many {X} does the {P} have?",
        "please count the {X}.", "how many {X} are in this {P}?",
        "can you tell me how many {X} there are?", "how many {X} are visible?", "count all the {X}.",
        "what is the count of {X}?", "how many {X} do we have here?", "i want to know the number of {X}.",
        "please tell me how many {X} you can see.", "how many {X} are present in the {P}?", "count up the {X}.",
        "how many {X} are there altogether?", "how many {X} have been drawn?", "can you count the {X}?",
        "what number of {X} is there?", "let me know how many {X} there are.", "how many {X} in total?",
    ),
    "heldout": (
        "could you count the {X} for me?", "what's the total number of {X} here?", "how many {X} appear in this {P}?",
        "i'd like to know how many {X} there are.", "give me the count of {X}.", "do you know how many {X} are visible?",
    ),
}
COLOUR_OF_SHAPE = {
    "train": (
        "what {K} is the {S}?", "which {K} is the {S}?", "what is the {K} of the {S}?", "tell me the {K} of the {S}.",
        "the {S} is what {K}?", "what {K} does the {S} have?", "what {K} is the {S} in the {P}?", "name the {K} of the {S}.",
        "what {K} is the {S} in this {P}?",
        "can you see what {K} the {S} is?", "tell me what {K} the {S} is.", "which {K} is used for the {S}?",
        "is the {S} " + ANY_COLOUR + "?", "what {K} is the {S} painted?", "the {S}: what {K}?",
        "do you know the {K} of the {S}?", "what is the {S}'s {K}?", "in what {K} is the {S}?",
    ),
    "heldout": (
        "can you tell me what {K} the {S} is?", "which {K} has the {S} got?", "identify the {K} of the {S}.",
        "what shade is the {S}?", "what {K} would you say the {S} is?",
    ),
}
SHAPE_OF_COLOUR = {
    "train": (
        "what shape is the {C} {T}?", "which shape is {C}?", "what is the {C} {T}?", "what kind of shape is the {C} {T}?",
        "tell me the shape of the {C} {T}.", "the {C} {T} is what shape?", "what shape does the {C} {T} have?",
        "name the shape of the {C} {T}.", "what shape is {C}?",
        "which shape has the {K} {C}?", "tell me which shape is {C}.",
        "the {C} {T}: what shape?", "do you know the shape of the {C} {T}?", "what is the shape of the {C} {T}?",
        "is the {C} {T} " + ANY_SHAPE + "?", "what type of shape is {C}?",
    ),
    "heldout": (
        "can you tell me which shape is {C}?", "what's the form of the {C} {T}?", "identify the shape of the {C} {T}.",
        "which sort of shape is coloured {C}?", "what would you call the {C} {T}?",
    ),
}
EXISTS = {
    "train": (
        "is there {aX}?", "is there {aX} in the {P}?", "are there any {X}?", "can you see {aX}?", "do you see {aX}?",
        "do you see any {X}?", "can you see any {X}?", "does the {P} contain {aX}?", "does the {P} have any {X}?",
        "tell me if there is {aX}.", "are there {X} in the {P}?", "is there {aX} in this {P}?",
        "is there {aX} anywhere?", "can you find {aX}?", "do you spot {aX}?", "i wonder if there is {aX}.",
        "does the {P} show {aX}?", "are any {X} in the {P}?", "do we have {aX} here?",
        "any {X}?", "is {aX} in the {P}?", "can you see {aX} here?",
    ),
    "heldout": (
        "could there be {aX} somewhere?", "would you say there is {aX} here?", "does this {P} show any {X}?",
        "have you spotted {aX}?", "is {aX} present?",
    ),
}
EXISTS_COLOUR = {
    "train": ("is there anything {C}?", "is anything {C}?", "are there any {C} {X}?", "do you see anything {C}?", "can you see anything {C}?",
              "is something {C}?", "can you find anything {C}?", "are any of the {X} {C}?"),
    "heldout": ("does anything here look {C}?", "is something {C} visible?"),
}
RELATION = {
    "train": {
        "left": ("is the {A} to the left of the {B}?", "is the {A} left of the {B}?", "is the {A} on the left of the {B}?",
                 "is the {A} further left than the {B}?", "is the {A} on the left side of the {B}?", "is the {A} more to the left than the {B}?",
                 "is the {A} at the left of the {B}?", "tell me if the {A} is left of the {B}."),
        "right": ("is the {A} to the right of the {B}?", "is the {A} right of the {B}?", "is the {A} on the right of the {B}?",
                  "is the {A} further right than the {B}?", "is the {A} on the right side of the {B}?", "is the {A} more to the right than the {B}?",
                  "is the {A} at the right of the {B}?", "tell me if the {A} is right of the {B}."),
        "above": ("is the {A} above the {B}?", "is the {A} over the {B}?", "is the {A} higher than the {B}?",
                  "is the {A} higher up than the {B}?", "is the {A} higher in the {P} than the {B}?", "tell me if the {A} is above the {B}."),
        "below": ("is the {A} below the {B}?", "is the {A} under the {B}?", "is the {A} beneath the {B}?",
                  "is the {A} lower than the {B}?", "is the {A} lower in the {P} than the {B}?", "tell me if the {A} is below the {B}."),
    },
    "heldout": {
        "left": ("would you say the {A} sits left of the {B}?", "is the {A} placed to the left of the {B}?"),
        "right": ("does the {A} appear to the right of the {B}?", "is the {A} located right of the {B}?"),
        "above": ("is the {A} located above the {B}?", "does the {A} sit higher than the {B}?"),
        "below": ("does the {A} appear below the {B}?", "is the {A} placed lower than the {B}?"),
    },
}
DESCRIBE = {
    "train": (
        "what is in the {P}?", "what do you see?", "what can you see?", "describe the {P}.", "describe this {P}.",
        "what's in this {P}?", "tell me what you see.", "tell me what is in the {P}.", "what does the {P} show?",
        "caption this {P}.", "describe what you see.", "what is in this {P}?",
        "can you describe the {P}?", "tell me about the {P}.", "what is there in the {P}?", "list what you see.",
        "what does this {P} contain?", "describe everything in the {P}.", "what is on the {P}?", "what's there?",
    ),
    "heldout": (
        "could you describe this {P} for me?", "what is shown here?", "give me a description of the {P}.",
        "what do we have in this {P}?", "explain what the {P} contains.",
    ),
}
WRITTEN_APART = Path(__file__).with_name("phrasings_written_apart.json")


def _written_split() -> None:
    """Adds the WRITTEN list to each table as split "written" (evaluation only, like "heldout")."""
    doc = json.loads(WRITTEN_APART.read_text())
    tables = {"count": COUNT, "colour_of_shape": COLOUR_OF_SHAPE, "shape_of_colour": SHAPE_OF_COLOUR, "exists": EXISTS,
              "exists_colour": EXISTS_COLOUR, "describe": DESCRIBE}
    for key, table in tables.items():
        table["written"] = tuple(doc[key])
    RELATION["written"] = {side: tuple(doc[f"relation_{side}"]) for side in RELATION["train"]}


_written_split()
# Polite or casual additions around a training question (never used by the held-out set).
PREFIXES = ("", "", "", "", "", "", "", "please, ", "hey, ", "ok, ", "so ", "quick question: ", "hi, ", "well, ", "now ",
            "and ", "tell me, ", "one more: ")


def pick(rng: np.random.Generator, items):
    """One item of a sequence, uniformly."""
    return items[int(rng.integers(len(items)))]


def shape_word(rng: np.random.Generator, shape: str, plural: bool) -> str:
    """The shape's canonical word most of the time, otherwise a synonym."""
    forms = SHAPE_WORDS[shape]
    chosen = forms[0] if rng.random() < SHAPE_WORD_WEIGHT else pick(rng, forms)
    return chosen[1] if plural else chosen[0]


def colour_word(rng: np.random.Generator, colour: str) -> str:
    return pick(rng, COLOUR_WORDS[colour])


def article(phrase: str) -> str:
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase


def fill(template: str, rng: np.random.Generator, split: str, **slots: str) -> str:
    """The template with its slots; picture and colour-noun slots are drawn here; training adds a prefix sometimes."""
    text = template.format(P=pick(rng, PICTURE_WORDS), K=pick(rng, COLOUR_NOUNS), **slots)
    if split == "train":
        text = pick(rng, PREFIXES) + text
        if rng.random() < 0.15:  # people often leave out the final punctuation
            text = text.rstrip("?.")
    return text
