"""Can positions be read linearly (1) from the vision tower's object patches at a layer, (2) from the text encoder's
tokens that name an object? Least squares on two thirds of the samples, R^2 per coordinate on the rest.

`python -m shapes.experiments.position_probe WEIGHTS [VISION_LAYER]` from models/ (layer 0 = the embeddings; default the
output). Session 9 on step 14,456: layer 0 R^2 0.43/0.35, layer 2 0.01/0.02, output below 0 (nothing), names below 0:
the tower dropped positions, so relations had nothing to compare.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

from shapes.batch import make_batch
from shapes.dense import patch_positions
from shapes.vocab import build_tokenizer, decoder_start_id
from shapes.weights import load_model


def r_squared(x: torch.Tensor, y: torch.Tensor) -> list[float]:
    x, y = x.double(), y.double()
    k = len(x) * 2 // 3
    x1 = torch.cat([x, torch.ones(len(x), 1, dtype=x.dtype)], 1)
    sol = torch.linalg.lstsq(x1[:k], y[:k]).solution
    return (1 - ((x1[k:] @ sol - y[k:]) ** 2).mean(0) / y[k:].var(0)).tolist()


@torch.no_grad()
def main(weights: Path, layer: int | None) -> None:
    model, tok = load_model(weights), build_tokenizer()
    rng, xy = np.random.default_rng(99), torch.from_numpy(patch_positions())
    vision, vision_xy, names, names_xy = [], [], [], []
    for _ in range(4):
        b = make_batch(rng, tok, 64, decoder_start_id(tok), boost={"relation": 20.0}, itm=2)
        out = model.vqa.vision_model(pixel_values=b.pixel_values, output_hidden_states=True)
        image = out.last_hidden_state
        probed = image if layer is None else out.hidden_states[layer]
        on_object = b.patch_colour != 0
        vision.append(probed[:, 1:][on_object])
        vision_xy.append(xy.expand(len(on_object), -1, -1)[on_object])
        q = model.vqa.text_encoder(input_ids=b.question_ids, attention_mask=b.question_mask, encoder_hidden_states=image,
                                   encoder_attention_mask=torch.ones(image.shape[:2], dtype=torch.long)).last_hidden_state
        names.append(q[b.name_mask])
        names_xy.append(b.name_where[b.name_mask])
    print(f"vision object patches -> own (x, y): R^2 {r_squared(torch.cat(vision), torch.cat(vision_xy))}")
    print(f"text tokens naming an object -> its centre: R^2 {r_squared(torch.cat(names), torch.cat(names_xy))}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None)
