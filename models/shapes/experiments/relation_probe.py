"""Does the model's first answer token tell relation questions' "yes" from "no" at all? The decoder's first step on
relation questions (training phrasings, own generator): how often it says "yes", accuracy, and the AUC of the
yes-minus-no logit against the truth (0.5 = no signal), overall and per relation word.

`python -m shapes.experiments.relation_probe WEIGHTS [BATCHES]` from models/ (64 questions a batch, default 4).
Session 10, run 10 at step 17,423 (the names' positions learnt, `where` 0.03): said "yes" to 90 %, accuracy 0.48,
AUC 0.44; some 200 steps later "yes" to 13 %, AUC 0.48. The answer swings between mostly "yes" and mostly "no" with no signal: hence shapes.train.relation_loss.
Run 12 at step 18,600 (600 steps of that loss, 300 with it on the naming words): AUC 0.36 overall, "right" 0.19,
"below" 0.26, "above" 0.62: the first answer token reads the offset, with one sign whatever the side asked; at
18,915 AUC 0.45 again, per side 0.25-0.74 on 10-37 questions each. Session 11, the curriculum of sides
(`--boost relation=4,right=0.15,below=0.15`, then 0.4, 0.7, 1): AUC 0.55 -> 0.91 over steps 19,300-20,520, the favoured
sides first (left 0.68 -> 1.00), the mirrored ones turning from below 0.5 (right 0.30 -> 0.97, below 0.23 -> 0.67).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

from shapes.batch import make_batch
from shapes.vocab import build_tokenizer, decoder_start_id
from shapes.weights import load_model

SIDES = {"left": ("left",), "right": ("right",), "above": ("above", "over", "higher"),
         "below": ("below", "under", "lower", "beneath")}  # the training phrasings' words for each side


@torch.no_grad()
def margins(weights: Path, batches: int = 4) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(yes-minus-no logit, 1 if the answer is "yes", question) for every relation question of `batches` batches."""
    model, tok = load_model(weights), build_tokenizer()
    dec = decoder_start_id(tok)
    yes, no = tok.convert_tokens_to_ids(["yes", "no"])
    rng, out, truth, questions = np.random.default_rng(4242), [], [], []
    for _ in range(batches):
        b = make_batch(rng, tok, 64, dec, boost={"relation": 1000.0}, itm=2)
        image = model.vqa.vision_model(pixel_values=b.pixel_values).last_hidden_state
        q = model.vqa.text_encoder(input_ids=b.question_ids, attention_mask=b.question_mask, encoder_hidden_states=image,
                                   encoder_attention_mask=torch.ones(image.shape[:2], dtype=torch.long)).last_hidden_state
        logits = model.vqa.text_decoder(input_ids=torch.full((len(q), 1), dec), encoder_hidden_states=q,
                                        encoder_attention_mask=b.question_mask).logits[:, -1]
        rows = b.relation_side.ne(0).any(1)
        out += (logits[rows, yes] - logits[rows, no]).tolist()
        truth += (b.answer_labels[rows, 1] == yes).long().tolist()
        questions += [t for t, r in zip(tok.batch_decode(b.question_ids, skip_special_tokens=True), rows, strict=True) if r]
    return np.array(out), np.array(truth), questions


def auc(score: np.ndarray, truth: np.ndarray) -> float:
    pos, neg = score[truth == 1], score[truth == 0]
    return float((pos[:, None] > neg[None, :]).mean())


def main(weights: Path, batches: int) -> None:
    m, t, qs = margins(weights, batches)
    print(f"{len(t)} relation questions: said yes {np.mean(m > 0):.2f}, accuracy {np.mean((m > 0) == t):.3f}, AUC {auc(m, t):.3f}")
    for side, words in SIDES.items():
        sel = np.array([any(w in q.split() for w in words) for q in qs])
        if sel.sum() >= 5:
            print(f"  {side:6s} {sel.sum():3d} said yes {np.mean(m[sel] > 0):.2f} accuracy {np.mean((m[sel] > 0) == t[sel]):.2f} "
                  f"AUC {auc(m[sel], t[sel]):.2f}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 4)
