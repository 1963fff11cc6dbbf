"""The model card the manifest carries (`card`): what the demo model knows, example questions per type (drawn from
the training phrasings with the world's words), and the answer it gives outside its world."""

from __future__ import annotations

from shapes.outside import OUTSIDE_ANSWER

SUMMARY = (
    "A tiny demo BLIP (3.1 M parameters) on a synthetic world of circles, squares (and rectangles) and triangles in red, "
    "green, blue, yellow and purple, drawn at any size on plain, coloured, gradient or textured backgrounds. It captions "
    "and describes scenes right nearly every time and answers about 98 questions in 100 in its own wordings: counting, "
    "colours, shapes, whether something is there, and positions (left, right, above, below); in wordings it has not "
    "seen, about nine in ten. Questions about anything else, and pictures that are not shapes scenes, get the outside "
    "answer most of the time."
)
QUESTION_TYPES = (
    ("count", ("how many circles are there?", "count the red shapes.", "how many blue squares can you see?")),
    ("colour", ("what colour is the triangle?", "which color is the square?")),
    ("shape", ("what shape is the green object?", "which shape is purple?")),
    ("exists", ("is there a yellow circle?", "do you see any triangles?", "is anything red?")),
    ("position", ("is the red circle to the left of the blue square?", "is the triangle above the circle?")),
    ("describe", ("what is in the picture?", "describe this image.")),
)


def card() -> dict:
    """The manifest's `card` object."""
    return {
        "summary": SUMMARY,
        "question_types": [{"name": name, "examples": list(examples)} for name, examples in QUESTION_TYPES],
        "outside_answer": OUTSIDE_ANSWER,
    }
