"""Benchmark contender (c): PyTorch `BlipForQuestionAnswering.generate()` on the same random weights.

The model is rebuilt with the toolchain's own seeded random init (`blip_tools.sources.random_init`, the config and
seed the model folder's manifest records), then checked against the folder: the vision part's output on the first
image must match the vision IR's (FP16-compressed weights: a small relative error; another seed gives ~1.4).

Usage: scripts/py models/bench/pytorch_generate.py --model models/blip-vqa-base-random --images DIR
       --question "what is this?" [--tokens 20] [--reps 30] [--threads 2] [--out report.json]
"""

from __future__ import annotations

import sys
import time

import numpy as np
import openvino as ov
import torch

from blip_tools.sources import DEFAULT_SEED, random_init
from contender_common import Inputs, Sample, TokenClock, finish_sample, image_bytes, load_manifest, ov_config, \
    parse_args, report, run_all

# Largest accepted max|torch - IR| / max|torch| of the vision output: FP16 weights stay far below it, other weights
# (another seed, another config) land near 1.
SAME_WEIGHTS_TOLERANCE = 0.05


def rebuild(manifest: dict):
    """The seeded random-init model the folder was exported from."""
    source = manifest["source"]
    if not source.startswith("random-init:"):
        sys.exit(f"the PyTorch contender rebuilds random-init models only; this folder's source is {source}")
    return random_init(source.removeprefix("random-init:"), manifest.get("seed", DEFAULT_SEED)).model


def vision_rel_error(model, args, manifest: dict, pixels: np.ndarray) -> float:
    """Relative max difference between PyTorch's vision output and the folder's vision IR on the same pixels."""
    compiled = ov.Core().compile_model(str(args.model / manifest["parts"]["vision_model"]["xml"]), "CPU",
                                       ov_config(args.threads))
    ir = compiled(pixels)[0]
    with torch.no_grad():
        ours = model.vision_model(pixel_values=torch.from_numpy(pixels))[0].numpy()
    return float(np.abs(ours - ir).max() / np.abs(ours).max())


class StageClock:
    """Forward hooks that time the vision model and the text encoder inside generate()."""

    def __init__(self, model) -> None:
        self.ms: dict[str, float] = {}
        for name in ("vision_model", "text_encoder"):
            module = getattr(model, name)
            module.register_forward_pre_hook(lambda *_a, n=name: self.ms.__setitem__(n, -time.perf_counter()))
            module.register_forward_hook(lambda *_a, n=name: self.ms.__setitem__(n, (self.ms[n] + time.perf_counter()) * 1e3))


def answer_with(model, inputs: Inputs, args, clock: StageClock):
    """One answer from JPEG bytes through BlipForQuestionAnswering.generate(), forced to `--tokens` new tokens."""

    def answer(jpeg: bytes) -> Sample:
        sample, tokens = Sample(), TokenClock()
        start = time.perf_counter()
        pixels = torch.from_numpy(inputs.pixels(jpeg))
        sample.preprocessMs = (time.perf_counter() - start) * 1e3
        input_ids, attention_mask = (torch.from_numpy(a) for a in inputs.question(args.question))
        with torch.no_grad():
            out = model.generate(input_ids=input_ids, pixel_values=pixels, attention_mask=attention_mask,
                                 min_new_tokens=args.tokens, max_new_tokens=args.tokens, num_beams=1,
                                 do_sample=False, streamer=tokens)
        end = time.perf_counter()
        sample.visionMs, sample.textEncoderMs = clock.ms["vision_model"], clock.ms["text_encoder"]
        return finish_sample(sample, start, tokens.times, end, [int(t) for t in out[0, 1:]])

    return answer


def main() -> None:
    """Rebuild, check against the IR, warm up, answer `reps` times, report."""
    args = parse_args(__doc__.split("\n\n")[0])
    manifest = load_manifest(args.model)
    torch.set_num_threads(args.threads)
    model = rebuild(manifest)
    inputs = Inputs(args.model, manifest)
    error = vision_rel_error(model, args, manifest, inputs.pixels(image_bytes(args.images)[0]))
    if error > SAME_WEIGHTS_TOLERANCE:
        sys.exit(f"the rebuilt model's vision output differs from the IR's by {error:.3f} (relative): not the same "
                 "weights (seed or config differ from the export)")
    samples = run_all(args, answer_with(model, inputs, args, StageClock(model)))
    settings = {"threads": args.threads, "dtype": "float32", "driver": "BlipForQuestionAnswering.generate()"}
    report(args, "pytorch", settings, samples, {"visionRelErrorVsIR": error})


if __name__ == "__main__":
    main()
