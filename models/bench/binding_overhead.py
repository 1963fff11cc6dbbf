"""Per-infer overhead of OpenVINO's Python API on the binding's tiny fixture model (the baseline for bench/binding.ts).

Same settings as the TypeScript side: CPU, 1 stream, LATENCY, f32, 1 inference thread; one request made once,
`request.infer({"x": x})` in a loop; median over RUNS timed runs of CALLS infers each.

Run: scripts/py models/bench/binding_overhead.py [--runs 7] [--calls 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import openvino as ov

MODEL = Path(__file__).resolve().parents[1] / "fixtures" / "binding" / "linear.xml"
PROPERTIES = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": "1", "INFERENCE_NUM_THREADS": "1"}
SHAPE = (2, 3, 4)
WARMUP = 500


def median_us(call, runs: int, calls: int) -> float:
    """Median over `runs` of the mean microseconds per call across `calls` calls."""
    for _ in range(WARMUP):
        call()
    per_run = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        per_run.append((time.perf_counter() - start) * 1e6 / calls)
    return statistics.median(per_run)


def main() -> None:
    """Measure and print (or emit JSON of) the Python API's per-infer time in three styles."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    compiled = ov.Core().compile_model(MODEL, "CPU", PROPERTIES)
    request = compiled.create_infer_request()
    x = np.random.default_rng(0).standard_normal(SHAPE).astype(np.float32)

    def infer_default() -> None:
        request.infer({"x": x})["y"][0]

    def infer_shared() -> None:
        request.infer({"x": x}, share_inputs=True, share_outputs=True)["y"][0]

    results = {
        "python_infer_us": median_us(infer_default, args.runs, args.calls),
        "python_infer_shared_us": median_us(infer_shared, args.runs, args.calls),
        "python_bare_infer_us": median_us(request.infer, args.runs, args.calls),
        "openvino": ov.__version__,
        "runs": args.runs,
        "calls": args.calls,
    }
    if args.json:
        print(json.dumps(results))
        return
    for key, value in results.items():
        print(f"{key:>24}: {value:.1f}" if isinstance(value, float) else f"{key:>24}: {value}")


if __name__ == "__main__":
    main()
