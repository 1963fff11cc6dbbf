"""Where the vision encoder's time goes, per layer type and kernel, from OpenVINO's own per-layer counters.

`scripts/py models/bench/vision_profile.py <model folder> [<model folder> ...] [--runs N] [--hint f32|bf16|default]`

Compiles `vision_model.xml` of each folder as the engine does by default (CPU, LATENCY; the precision hint the
engine's `auto` picks: f32 for INT8 folders, OpenVINO's default otherwise), with PERF_COUNT=YES, runs it N times
on one random image and prints, from the last run's `get_profiling_info()`: time by layer type and by
(layer type, kernel), and which MatMul/Convolution layers ran on int8 kernels vs floating point — what
`benchmark_app -pc` prints, grouped. Nothing here changes a model.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import openvino as ov


def without_attention_fq(model: ov.Model) -> int:
    """Bypasses every FakeQuantize that feeds only Gathers (NNCF's before the attention's Q/K/V): attention in float."""
    removed = 0
    for op in model.get_ordered_ops():
        targets = op.output(0).get_target_inputs() if op.get_type_name() == "FakeQuantize" else []
        if targets and all(t.get_node().get_type_name() == "Gather" for t in targets):
            op.output(0).replace(op.input_value(0))
            removed += 1
    return removed


def profile(folder: Path, runs: int, hint: str, attention_fq: bool = True) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text())
    int8 = manifest["parts"]["vision_model"]["precision"] == "int8"
    config = {"PERF_COUNT": "YES", "PERFORMANCE_HINT": "LATENCY"}
    if hint == "auto":
        hint = "f32" if int8 else "default"
    if hint != "default":
        config["INFERENCE_PRECISION_HINT"] = hint
    core = ov.Core()
    model = core.read_model(str(folder / "vision_model.xml"))
    if not attention_fq:
        print(f"{folder}: {without_attention_fq(model)} FakeQuantize before the attention bypassed")
    compiled = core.compile_model(model, "CPU", config)
    request = compiled.create_infer_request()
    size = manifest["image"]["size"]
    pixels = np.random.RandomState(0).randn(1, 3, size, size).astype(np.float32)
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        request.infer({"pixel_values": pixels})
        walls.append((time.perf_counter() - start) * 1000)
    by_type: dict[str, float] = defaultdict(float)
    by_kernel: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    by_linear: dict[str, float] = defaultdict(float)
    for info in request.profiling_info:
        if info.status != info.Status.EXECUTED:
            continue
        us = info.real_time.total_seconds() * 1e6
        by_type[info.node_type] += us
        entry = by_kernel[(info.node_type, info.exec_type)]
        entry[0] += us
        entry[1] += 1
        linear = re.search(r"\.(self_attn\.qkv|self_attn\.projection|mlp\.fc1|mlp\.fc2)/", info.node_name)
        if info.node_type.startswith("FullyConnected"):
            by_linear[linear.group(1) if linear else "linear, name lost in fusion"] += us
        elif info.node_type == "Subgraph":
            by_linear["attention (Subgraph)"] += us
    return {"folder": str(folder), "precision": manifest["parts"]["vision_model"]["precision"],
            "hint": compiled.get_property("INFERENCE_PRECISION_HINT"), "wall_ms": sorted(walls)[len(walls) // 2],
            "by_type": dict(by_type), "by_kernel": {f"{t} / {k}": v for (t, k), v in by_kernel.items()}, "by_linear": dict(by_linear)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hint", default="auto", choices=["auto", "f32", "bf16", "default"])
    parser.add_argument("--without-attention-fq", action="store_true",
                        help="also profile each folder with NNCF's FakeQuantize before the attention bypassed")
    args = parser.parse_args()
    variants = [True, False] if args.without_attention_fq else [True]
    for folder, attention_fq in ((f, v) for f in args.folders for v in variants):
        result = profile(folder, args.runs, args.hint, attention_fq)
        total = sum(result["by_type"].values())
        print(f"\n{result['folder']} (vision {result['precision']}, hint {result['hint']}): "
              f"wall median {result['wall_ms']:.1f} ms over {args.runs} runs, counters sum {total / 1000:.1f} ms")
        for kind, us in sorted(result["by_kernel"].items(), key=lambda kv: -kv[1][0])[:14]:
            print(f"  {us[0] / 1000:8.1f} ms {100 * us[0] / total:5.1f}%  x{us[1]:<4d} {kind}")
        print("  by layer (12 encoder layers each; MACs per layer: qkv 1.02 G, projection 0.34 G, fc1 1.36 G, "
              "fc2 1.36 G, attention 0.51 G):")
        for name, us in sorted(result["by_linear"].items(), key=lambda kv: -kv[1]):
            print(f"  {us / 1000:8.1f} ms {100 * us / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
