"""Give committed weights their dense heads: `python -m shapes.fit_heads [--weights W] [--fit-heads N]` fits fresh
heads alone on the frozen model (as `shapes.train` does when it starts from weights without them) and writes them
beside the weights (shapes-demo.heads.safetensors). For weights saved before the heads were kept."""

from __future__ import annotations

import argparse
import time

import torch

from shapes.cli_args import add_train_arguments
from shapes.train import fit_heads
from shapes.weights import heads_path, load_heads, load_model, save_fp16


def main() -> None:
    parser = argparse.ArgumentParser(prog="shapes.fit_heads", description=__doc__.splitlines()[0])
    add_train_arguments(parser)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = load_model(args.weights).train()
    if load_heads(model, args.weights):
        raise SystemExit(f"{heads_path(args.weights)} exists already")
    started = time.time()
    fit_heads(model, args)
    save_fp16(model.dense.state_dict(), heads_path(args.weights))
    print(f"wrote {heads_path(args.weights)} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
