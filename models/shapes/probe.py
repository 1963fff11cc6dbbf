"""What the vision tower's embeddings hold: the training-only dense heads (shapes.model.DenseHeads) read on fresh scenes.

`python -m shapes.probe models/work/shapes-run4/state.pt --patch 8`: accuracy of the colour and the shape of the patches
that lie on an object, of background patches, and of the per-kind counts from CLS, on one batch of fresh scenes (seed
424,242). The figures in models/shapes/weights/README.md come from it. --patch must be the run's patch size.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

import shapes.model


def main() -> None:
    p = argparse.ArgumentParser(prog="shapes.probe", description=__doc__.splitlines()[0])
    p.add_argument("state", type=Path, help="a trainer's OUT/state.pt")
    p.add_argument("--patch", type=int, default=shapes.model.PATCH)
    p.add_argument("--scenes", type=int, default=128)
    args = p.parse_args()
    shapes.model.PATCH = args.patch  # before shapes.dense computes its grid from it
    from shapes.batch import make_batch
    from shapes.vocab import build_tokenizer, decoder_start_id

    torch.set_num_threads(1)
    tok = build_tokenizer()
    model = shapes.model.DemoModel(tok)
    state = torch.load(args.state, weights_only=False)
    model.load_state_dict(state["model"])
    model.eval()
    b = make_batch(np.random.default_rng(424_242), tok, args.scenes, decoder_start_id(tok))
    with torch.no_grad():
        colour, shape, counts, _ = model.dense(model.vqa.vision_model(pixel_values=b.pixel_values).last_hidden_state)
    on = b.patch_colour > 0
    rate = lambda hit, where: ((hit & where).sum() / where.sum()).item()  # noqa: E731
    print(f"step {state['step']}")
    colour_right, shape_right = colour.argmax(-1) == b.patch_colour, shape.argmax(-1) == b.patch_shape
    print(f"object patches: colour {rate(colour_right, on):.3f}, shape {rate(shape_right, on):.3f}")
    print(f"background patches: {rate(colour.argmax(-1) == 0, ~on):.3f}")
    print(f"every kind's count right: {(counts.argmax(-1) == b.kind_counts).all(1).float().mean().item():.3f}")


if __name__ == "__main__":
    main()
