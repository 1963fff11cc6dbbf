"""Benchmark contender: the reference tutorial as people run it, at OpenVINO's defaults.

The tutorial compiles every part with `core.compile_model(path, "CPU")` and no settings: on a CPU with AVX-512 BF16
that means bf16 inference, the latency hint and all cores. This process does exactly that with the model folder's
IRs (FP16, or the INT8 folder for the tutorial's INT8 IR), then answers and captions as the notebook does: vision IR,
text-encoder IR for answers, Hugging Face `generate()` greedy over the decoder (reference_pipeline.OVTextDecoder,
which runs the cross K/V projection inside every step as the tutorial's one decoder graph does). The notebook calls
generate() with max_length=20; here the new tokens are forced (min = max) so every contender does equal work.

Served requests (one per stdin line, `end` to stop): `<image index> <answer|caption> <new tokens>`; each answers
with `@@ <sample JSON>`. Usage: scripts/py models/bench/tutorial_pipeline.py --model DIR --images DIR
--question "what is this?" --serve [--warmup 1] [--out report.json]
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict

import openvino as ov
import torch

from contender_common import PROTOCOL_PREFIX, Inputs, Sample, TokenClock, finish_sample, image_bytes, \
    load_manifest, parse_args, report
from reference_pipeline import OVTextDecoder, text_config


class TutorialPipeline:
    """The notebook's OVBlipModel: three compiled parts at OpenVINO's defaults, generate() over the decoder."""

    def __init__(self, args, manifest: dict) -> None:
        core = ov.Core()
        part = lambda name: core.compile_model(str(args.model / manifest["parts"][name]["xml"]), "CPU")  # noqa: E731
        self.vision, self.text_encoder = part("vision_model"), part("text_encoder")
        self.decoder = OVTextDecoder(text_config(manifest), part("text_decoder_cross_kv"), part("text_decoder"),
                                     manifest).eval()
        hint = self.vision.get_property("INFERENCE_PRECISION_HINT")
        self.precision = hint.to_string() if hasattr(hint, "to_string") else str(hint)
        self.tokens, self.question = manifest["tokens"], args.question
        self.inputs = Inputs(args.model, manifest)

    def run(self, jpeg: bytes, task: str, new_tokens: int) -> Sample:
        """One answer (or caption) from JPEG bytes, every stage timed."""
        sample, clock = Sample(), TokenClock()
        start = time.perf_counter()
        pixels = self.inputs.pixels(jpeg)
        t1 = time.perf_counter()
        states = self.vision(pixels)[0]
        t2 = time.perf_counter()
        if task == "answer":
            input_ids, attention_mask = self.inputs.question(self.question)
            states = self.text_encoder([input_ids, attention_mask, states])[0]
        t3 = time.perf_counter()
        bos = torch.full((1, 1), self.tokens["decoder_start"], dtype=torch.long)
        with torch.no_grad():
            out = self.decoder.generate(
                input_ids=bos, eos_token_id=self.tokens["eos"], pad_token_id=self.tokens["pad"],
                encoder_hidden_states=torch.from_numpy(states),
                encoder_attention_mask=torch.ones(states.shape[:-1], dtype=torch.long),
                min_new_tokens=new_tokens, max_new_tokens=new_tokens, num_beams=1, do_sample=False, streamer=clock)
        end = time.perf_counter()
        sample.preprocessMs, sample.visionMs, sample.textEncoderMs = (t1 - start) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3
        return finish_sample(sample, start, clock.times, end, [int(t) for t in out[0, 1:]])


def main() -> None:
    """Compile, warm up, serve requests, report."""
    args = parse_args(__doc__.split("\n\n")[0])
    manifest = load_manifest(args.model)
    pipeline = TutorialPipeline(args, manifest)
    images = image_bytes(args.images)
    for i in range(args.warmup):
        pipeline.run(images[i % len(images)], "answer", args.tokens)
    print(f"{PROTOCOL_PREFIX}ready", flush=True)
    samples = []
    for line in sys.stdin:
        if line.strip() == "end":
            break
        index, task, tokens = line.split()
        sample = pipeline.run(images[int(index) % len(images)], task, int(tokens))
        if len(sample.tokenIds) != int(tokens):
            sys.exit(f"expected {tokens} new tokens, got {len(sample.tokenIds)}")
        samples.append(sample)
        print(PROTOCOL_PREFIX + json.dumps(asdict(sample)), flush=True)
    report(args, "tutorial", {"compile": "core.compile_model(xml, 'CPU') with no settings",
                              "INFERENCE_PRECISION_HINT": pipeline.precision,
                              "driver": "Hugging Face generate() + OpenVINO Python API"}, samples, {})


if __name__ == "__main__":
    main()
