"""Scratch experiment (session 5): train the vision tower and dense heads of a trainer state on the dense targets alone.
`../scripts/py shapes/experiments/vision_dense.py STATE THREADS LR STEPS` from models/: did the ViT learn shape when it
was its only task? (0.56 -> 0.57 in 400 steps at lr 1e-3: no.)"""
# scratch: can the vision tower learn shape when trained on the dense targets alone?
import sys, time, numpy as np, torch
import shapes.model; shapes.model.PATCH = 8
from shapes.batch import make_batch
from shapes.vocab import build_tokenizer, decoder_start_id
from shapes.train import dense_loss
torch.set_num_threads(int(sys.argv[2])); torch.manual_seed(0)
tok = build_tokenizer(); model = shapes.model.DemoModel(tok)
st = torch.load(sys.argv[1], weights_only=False); model.load_state_dict(st["model"])
params = list(model.vqa.vision_model.parameters()) + list(model.dense.parameters())
opt = torch.optim.AdamW(params, lr=float(sys.argv[3]), weight_decay=0.05)
ev = make_batch(np.random.default_rng(424_242), tok, 128, decoder_start_id(tok))
def probe():
    model.eval()
    with torch.no_grad():
        c, s, n, _ = model.dense(model.vqa.vision_model(pixel_values=ev.pixel_values).last_hidden_state)
    on = ev.patch_colour > 0
    model.train()
    return ((s.argmax(-1) == ev.patch_shape) & on).sum().item() / on.sum().item(), (n.argmax(-1) == ev.kind_counts).all(1).float().mean().item()
print("start", probe(), flush=True)
t0 = time.time()
for step in range(int(sys.argv[4])):
    b = make_batch(np.random.default_rng([99, step]), tok, 64, decoder_start_id(tok))
    loss = dense_loss(model, model.vqa.vision_model(pixel_values=b.pixel_values).last_hidden_state, b)
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(params, 1.0); opt.step()
    if (step + 1) % 100 == 0: print(step + 1, round(loss.item(), 3), probe(), round(time.time() - t0), flush=True)
torch.save(model.state_dict(), "/tmp/vexp/model.pt")
