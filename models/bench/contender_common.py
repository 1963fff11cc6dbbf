"""What the Python benchmark contenders share: arguments, inputs, OpenVINO settings, timing and the JSON they print.

Each contender runs in its own process (so its peak resident memory is its own), answers the same question about
the same JPEG files as the TypeScript engine, forced to exactly `--tokens` new tokens, and writes one JSON report.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from transformers import AutoTokenizer
from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil

# Every OpenVINO contender compiles with these, so they differ only in what drives the parts. f32 because this CPU
# would otherwise pick bf16 kernels; LATENCY because one answer at a time is what a single user waits for.
PERFORMANCE_HINT = "LATENCY"
INFERENCE_PRECISION = "f32"


def parse_args(description: str) -> argparse.Namespace:
    """The contenders' common command line."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--model", required=True, type=Path, help="model folder (the IRs, tokenizer and manifest)")
    p.add_argument("--images", required=True, type=Path, help="folder of JPEG files, answered in name order")
    p.add_argument("--question", required=True, help="the question asked about every image")
    p.add_argument("--tokens", type=int, default=20, help="new tokens per answer (min = max, so all do equal work)")
    p.add_argument("--reps", type=int, default=30, help="answers measured (images are reused in turn)")
    p.add_argument("--warmup", type=int, default=1, help="answers run first and not measured")
    p.add_argument("--threads", type=int, default=2, help="inference threads (OpenVINO and torch alike)")
    p.add_argument("--out", type=Path, help="write the JSON report here (default: stdout)")
    p.add_argument("--serve", action="store_true",
                   help="answer image indexes read from stdin, one per line, until 'end' (see serve())")
    args = p.parse_args()
    if args.tokens < 1 or args.reps < 1 or args.threads < 1 or args.warmup < 0:
        p.error("--tokens, --reps and --threads must be >= 1 and --warmup >= 0")
    return args


def ov_config(threads: int) -> dict:
    """The OpenVINO compile properties every OpenVINO contender uses."""
    return {"INFERENCE_PRECISION_HINT": INFERENCE_PRECISION, "PERFORMANCE_HINT": PERFORMANCE_HINT,
            "INFERENCE_NUM_THREADS": threads}


def load_manifest(folder: Path) -> dict:
    """The model folder's manifest (a clear error when the folder is not one)."""
    path = folder / "manifest.json"
    if not path.is_file():
        sys.exit(f"{folder} is not a model folder (no manifest.json)")
    return json.loads(path.read_text())


def image_bytes(folder: Path) -> list[bytes]:
    """Every .jpg of the folder, in name order."""
    files = sorted(folder.glob("*.jpg"))
    if not files:
        sys.exit(f"no .jpg files in {folder}")
    return [f.read_bytes() for f in files]


class Inputs:
    """Preprocessing as the reference does it: BlipImageProcessor (PIL) for pixels, the folder's tokenizer for ids."""

    def __init__(self, folder: Path, manifest: dict) -> None:
        img = manifest["image"]
        self.processor = BlipImageProcessorPil(size={"height": img["size"], "width": img["size"]},
                                               image_mean=img["mean"], image_std=img["std"],
                                               rescale_factor=img["rescale_factor"])
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))

    def pixels(self, jpeg: bytes) -> np.ndarray:
        """JPEG bytes -> pixel_values f32 [1,3,S,S] (decode, RGB, bicubic resize, rescale, normalise)."""
        image = Image.open(io.BytesIO(jpeg)).convert("RGB")
        return np.asarray(self.processor(images=image, return_tensors="np")["pixel_values"], dtype=np.float32)

    def question(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Question -> input_ids, attention_mask i64 [1,T] ([CLS] ... [SEP], as BlipProcessor)."""
        enc = self.tokenizer(text, return_tensors="np")
        return enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)


@dataclass
class Sample:
    """One answer's stage times, ms, measured from the moment the JPEG bytes and the question are in hand."""

    preprocessMs: float = 0.0
    visionMs: float = 0.0
    textEncoderMs: float = 0.0
    firstTokenMs: float = 0.0
    perTokenMs: float = 0.0
    totalMs: float = 0.0
    tokenIds: list[int] = field(default_factory=list)


class TokenClock:
    """A `generate()` streamer that only notes when each new token arrives (the first put() is the prompt)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._prompt_seen = False

    def put(self, value) -> None:
        if not self._prompt_seen:
            self._prompt_seen = True
            return
        self.times.append(time.perf_counter())

    def end(self) -> None:
        pass


def finish_sample(sample: Sample, start: float, token_times: list[float], end: float, ids: list[int]) -> Sample:
    """Fills TTFT, mean step after the first, and total from absolute perf_counter times."""
    ms = lambda a, b: (b - a) * 1000.0  # noqa: E731
    sample.firstTokenMs = ms(start, token_times[0])
    steps = len(token_times) - 1
    sample.perTokenMs = ms(token_times[0], token_times[-1]) / steps if steps else 0.0
    sample.totalMs = ms(start, end)
    sample.tokenIds = ids
    return sample


def peak_rss_kib() -> int:
    """This process's peak resident set, KiB (Linux ru_maxrss)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def report(args: argparse.Namespace, contender: str, settings: dict, samples: list[Sample], extra: dict) -> None:
    """Prints or writes the contender's JSON report."""
    import openvino
    import torch
    import transformers

    body = {
        "contender": contender,
        "settings": settings,
        "tokens": args.tokens,
        "versions": {"python": platform.python_version(), "openvino": openvino.get_version(),
                     "torch": torch.__version__, "transformers": transformers.__version__},
        "peakRssKiB": peak_rss_kib(),
        "samples": [asdict(s) for s in samples],
        **extra,
    }
    text = json.dumps(body, indent=1)
    if args.out:
        args.out.write_text(text)
    else:
        print(text)


def _checked(args: argparse.Namespace, sample: Sample) -> Sample:
    """The sample, after checking that it has the forced length."""
    if len(sample.tokenIds) != args.tokens:
        sys.exit(f"expected {args.tokens} new tokens, got {len(sample.tokenIds)}")
    return sample


# Protocol lines on stdout start with this, so stray prints from libraries cannot be mistaken for them.
PROTOCOL_PREFIX = "@@ "


def serve(args: argparse.Namespace, answer_one) -> list[Sample]:
    """Warm up, print `@@ ready`, then answer each image index read from stdin (printing `@@ <sample JSON>`)
    until `end`. The benchmark drives every contender this way in turn, answer by answer, so a shared machine's
    drifting load hits all of them alike."""
    images = image_bytes(args.images)
    for i in range(args.warmup):
        answer_one(images[i % len(images)])
    print(f"{PROTOCOL_PREFIX}ready", flush=True)
    samples = []
    for line in sys.stdin:
        if line.strip() == "end":
            break
        sample = _checked(args, answer_one(images[int(line)]))
        samples.append(sample)
        print(PROTOCOL_PREFIX + json.dumps(asdict(sample)), flush=True)
    return samples


def run_all(args: argparse.Namespace, answer_one) -> list[Sample]:
    """Warm-up answers, then `reps` measured answers cycling over the images (or serve() with --serve)."""
    if args.serve:
        return serve(args, answer_one)
    images = image_bytes(args.images)
    for i in range(args.warmup):
        answer_one(images[i % len(images)])
    return [_checked(args, answer_one(images[i % len(images)])) for i in range(args.reps)]
