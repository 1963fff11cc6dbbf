"""Run Hugging Face's own generate() paths on a BLIP model and record what they return."""

from __future__ import annotations

import torch

from .errors import ToolError
from .tensor_summary import DECIMALS

# Every recorded generation uses the reference tutorial's setting.
MAX_LENGTH = 20
NUM_BEAMS = 3
# A greedy step whose top-2 logits are closer than this could flip between PyTorch and OpenVINO FP32.
MIN_GREEDY_MARGIN = 1e-4


def _margins(scores: tuple[torch.Tensor, ...]) -> list[float]:
    """Per step, the gap between the best and second-best logit of the (single) sequence."""
    margins = []
    for step in scores:
        top2 = torch.topk(step[0].float(), 2).values
        margins.append(float(top2[0] - top2[1]))
    return margins


def greedy_record(run, tokenizer, prefix_length: int, eos: int, what: str) -> dict:
    """Greedy: the full sequence, the generated ids, the decoded text and per-step margins (checked)."""
    with torch.no_grad():
        out = run(max_length=MAX_LENGTH, num_beams=1, do_sample=False, output_scores=True,
                  return_dict_in_generate=True)
    sequence = [int(t) for t in out.sequences[0]]
    margins = _margins(out.scores)
    if min(margins) < MIN_GREEDY_MARGIN:
        raise ToolError(f"{what}: a greedy step has top-2 logit margin {min(margins):.2e} < {MIN_GREEDY_MARGIN}; "
                        "pick another --seed for this test model")
    return {
        "sequence": sequence,
        "generated": sequence[prefix_length:],
        "text": tokenizer.decode(sequence, skip_special_tokens=True),
        "finish": "eos" if sequence[-1] == eos else "length",
        "min_margin": round(min(margins), DECIMALS),
        "margins": [round(m, 5) for m in margins],
    }


def beam_record(run, tokenizer, prefix_length: int, eos: int, return_sequences: int) -> dict:
    """Beam search with 3 beams: sequences (best first), their sequences_scores and decoded texts."""
    with torch.no_grad():
        out = run(max_length=MAX_LENGTH, num_beams=NUM_BEAMS, num_return_sequences=return_sequences,
                  do_sample=False, output_scores=True, return_dict_in_generate=True)
    sequences = [[int(t) for t in row] for row in out.sequences]
    # Shorter beams are right-padded after their end token; cut there so each entry is the real sequence.
    sequences = [_cut_after_eos(row, eos, prefix_length) for row in sequences]
    return {
        "num_beams": NUM_BEAMS,
        "num_return_sequences": return_sequences,
        "sequences": sequences,
        "generated": [row[prefix_length:] for row in sequences],
        "sequences_scores": [round(float(s), DECIMALS) for s in out.sequences_scores],
        "texts": [tokenizer.decode(row, skip_special_tokens=True) for row in sequences],
    }


def _cut_after_eos(row: list[int], eos: int, prefix_length: int) -> list[int]:
    """The row up to and including its first end token after the prefix (padding follows it)."""
    for index in range(prefix_length, len(row)):
        if row[index] == eos:
            return row[: index + 1]
    return row


def all_strategies(run, tokenizer, prefix_length: int, eos: int, what: str) -> dict:
    """Greedy, 3-beam best, and 3-beam 3-best for one generate() call site."""
    return {
        "greedy": greedy_record(run, tokenizer, prefix_length, eos, what),
        "beam3": beam_record(run, tokenizer, prefix_length, eos, 1),
        "beam3_nbest3": beam_record(run, tokenizer, prefix_length, eos, NUM_BEAMS),
    }
