"""Benchmark contender (b): the reference tutorial's pipeline, rebuilt from its description.

OpenVINO's Python API runs the model folder's own IR files; Hugging Face `generate()` drives the decoder through a
model whose `forward` calls the OpenVINO decoder, as the tutorial's patched `text_decoder.forward` does.

One difference of graphs, made faithful in time: the tutorial's single decoder graph takes the question embeddings
and recomputes cross-attention keys/values inside every step. Our folder splits that projection into
`text_decoder_cross_kv`, so the wrapper runs `text_decoder_cross_kv` inside every `forward` — the same work per step
as the tutorial's graph. The self-attention cache travels between steps inside generate()'s own DynamicCache.

Usage: scripts/py models/bench/reference_pipeline.py --model models/blip-vqa-base-random --images DIR
       --question "what is this?" [--tokens 20] [--reps 30] [--threads 2] [--out report.json]
"""

from __future__ import annotations

import time

import numpy as np
import openvino as ov
import torch
from transformers import GenerationMixin
from transformers.cache_utils import DynamicCache
from transformers.modeling_outputs import CausalLMOutputWithCrossAttentions
from transformers.models.blip.configuration_blip import BlipTextConfig
from transformers.models.blip.modeling_blip_text import BlipTextPreTrainedModel

from contender_common import Inputs, Sample, TokenClock, finish_sample, load_manifest, ov_config, parse_args, report, \
    run_all


def text_config(manifest: dict) -> BlipTextConfig:
    """The decoder's text config as generate() needs it (sizes, ids); no weights are built from it."""
    d, t = manifest["decoder"], manifest["tokens"]
    return BlipTextConfig(vocab_size=t["vocab_size"], hidden_size=d["hidden"], num_hidden_layers=d["layers"],
                          num_attention_heads=d["heads"], max_position_embeddings=d["max_positions"],
                          bos_token_id=t["decoder_start"], pad_token_id=t["pad"], sep_token_id=t["eos"],
                          eos_token_id=t["eos"], is_decoder=True)


def _outputs(compiled: ov.CompiledModel, result) -> dict[str, np.ndarray]:
    """An OpenVINO result by output name."""
    return {next(iter(port.get_names())): result[port] for port in compiled.outputs}


class OVTextDecoder(BlipTextPreTrainedModel, GenerationMixin):
    """A weightless stand-in for BlipTextLMHeadModel whose forward runs the OpenVINO decoder graphs."""

    def __init__(self, config: BlipTextConfig, cross_kv: ov.CompiledModel, step: ov.CompiledModel, manifest: dict):
        super().__init__(config)
        self.cross_kv, self.step = cross_kv, step
        d = manifest["decoder"]
        self.layers, self.empty = d["layers"], np.zeros((1, d["heads"], 0, d["head_size"]), np.float32)
        self.anchor = torch.nn.Parameter(torch.zeros(1), requires_grad=False)  # gives generate() a device and dtype
        self.step_times: list[float] = []
        self.has_positions = any("position_ids" in port.get_names() for port in step.inputs)
        self.post_init()

    def _init_weights(self, module) -> None:
        pass  # nothing to initialise: the weights live in the IR files

    def forward(self, input_ids, attention_mask=None, past_key_values: DynamicCache | None = None,
                encoder_hidden_states=None, encoder_attention_mask=None, **_ignored) -> CausalLMOutputWithCrossAttentions:
        # encoder_attention_mask is all ones, as the graph assumes (Hugging Face and the tutorial pass all ones).
        states = encoder_hidden_states.numpy()
        cross = _outputs(self.cross_kv, self.cross_kv({"encoder_hidden_states": states}))  # every step, as the tutorial
        past = {}
        for i in range(self.layers):
            layer = past_key_values.layers[i] if past_key_values is not None else None
            ready = layer is not None and layer.is_initialized
            past[f"past_key.{i}"] = layer.keys.numpy() if ready else self.empty
            past[f"past_value.{i}"] = layer.values.numpy() if ready else self.empty
        ids = input_ids.numpy().astype(np.int64)
        mask = (attention_mask.numpy() if attention_mask is not None
                else np.ones((1, past["past_key.0"].shape[2] + ids.shape[1]))).astype(np.int64)
        inputs = {"input_ids": ids, "attention_mask": mask, **past, **cross}
        if self.has_positions:  # folders exported with continuous batching's inputs: an unpadded row
            seen = past["past_key.0"].shape[2]
            inputs["position_ids"] = np.arange(seen, seen + ids.shape[1], dtype=np.int64)[None].repeat(ids.shape[0], 0)
            inputs["encoder_attention_mask"] = np.ones(states.shape[:2], np.int64)
        out = _outputs(self.step, self.step(inputs))
        cache = past_key_values if past_key_values is not None else DynamicCache(config=self.config)
        for i, layer in enumerate(cache.layers):
            keys, values = torch.from_numpy(out[f"present_key.{i}"]), torch.from_numpy(out[f"present_value.{i}"])
            layer.dtype, layer.device = keys.dtype, keys.device
            layer.keys, layer.values, layer.is_initialized = keys, values, True
        return CausalLMOutputWithCrossAttentions(logits=torch.from_numpy(out["logits"]), past_key_values=cache)


class ReferencePipeline:
    """The tutorial's OVBlipModel.generate_answer: vision IR, text-encoder IR, then generate() over the decoder."""

    def __init__(self, args, manifest: dict) -> None:
        core, config = ov.Core(), ov_config(args.threads)
        compile_part = lambda name: core.compile_model(str(args.model / manifest["parts"][name]["xml"]), "CPU", config)  # noqa: E731
        self.vision, self.text_encoder = compile_part("vision_model"), compile_part("text_encoder")
        self.decoder = OVTextDecoder(text_config(manifest), compile_part("text_decoder_cross_kv"),
                                     compile_part("text_decoder"), manifest).eval()
        self.tokens, self.new_tokens, self.question = manifest["tokens"], args.tokens, args.question
        self.inputs = Inputs(args.model, manifest)

    def answer(self, jpeg: bytes) -> Sample:
        """One answer from JPEG bytes, every stage timed."""
        sample, clock = Sample(), TokenClock()
        start = time.perf_counter()
        pixels = self.inputs.pixels(jpeg)
        t1 = time.perf_counter()
        image_embeds = self.vision(pixels)[0]
        t2 = time.perf_counter()
        input_ids, attention_mask = self.inputs.question(self.question)
        question_embeds = self.text_encoder([input_ids, attention_mask, image_embeds])[0]
        t3 = time.perf_counter()
        bos = torch.full((1, 1), self.tokens["decoder_start"], dtype=torch.long)
        with torch.no_grad():
            out = self.decoder.generate(
                input_ids=bos, eos_token_id=self.tokens["eos"], pad_token_id=self.tokens["pad"],
                encoder_hidden_states=torch.from_numpy(question_embeds),
                encoder_attention_mask=torch.ones(question_embeds.shape[:-1], dtype=torch.long),
                min_new_tokens=self.new_tokens, max_new_tokens=self.new_tokens, num_beams=1, do_sample=False,
                streamer=clock)
        end = time.perf_counter()
        sample.preprocessMs, sample.visionMs, sample.textEncoderMs = (t1 - start) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3
        return finish_sample(sample, start, clock.times, end, [int(t) for t in out[0, 1:]])


def main() -> None:
    """Compile, warm up, answer `reps` times, report."""
    args = parse_args(__doc__.split("\n\n")[0])
    manifest = load_manifest(args.model)
    torch.set_num_threads(args.threads)
    pipeline = ReferencePipeline(args, manifest)
    samples = run_all(args, pipeline.answer)
    report(args, "reference", {**ov_config(args.threads), "driver": "Hugging Face generate() + OpenVINO Python API"},
           samples, {})


if __name__ == "__main__":
    main()
