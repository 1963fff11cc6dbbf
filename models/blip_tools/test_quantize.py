"""`quantize` on the tiny test model: the INT8 folder loads, validates, really is INT8 part by part, stays close to
the FP model's outputs; and every bad input is one error line with a non-zero exit."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import openvino as ov
import pytest
from PIL import Image
from transformers import AutoTokenizer, BlipProcessor
from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil

from blip_tools.cli import main
from blip_tools.configs import CONFIGS
from blip_tools.manifest import hash_folder, read_manifest, sha256_file
from blip_tools.ov_reference import decoder_step_inputs
from blip_tools.quantize import (
    QUESTIONS_FILE,
    TOKENIZER_FILES,
    pixel_values,
    question_inputs,
    resized_rgb,
    shapes_calibration,
)
from shapes.questions import random_question
from shapes.world import random_scene, render

TINY_VQA = Path(__file__).resolve().parent.parent / "tiny-vqa"
TINY_CAPTION = TINY_VQA.parent / "tiny-caption"
SUBSET = 8
CALIBRATION_IMAGES = 10
CALIBRATION_SEED = 11
CHECK_SEED = 12  # scenes for the closeness check, not the calibration ones
CHECK_SAMPLES = 10
FIRST_TOKEN_AGREEMENT = 0.9  # measured 0.975 over 40 scenes; random-init weights (std 0.1) make close calls
F32 = {"INFERENCE_PRECISION_HINT": "f32"}
# Ops a weight passes through between its Constant and the layer (f16 decompression, int8 dequantization).
DEQUANTIZE_OPS = {"Convert", "Subtract", "Multiply", "Reshape", "Transpose", "Unsqueeze", "FakeQuantize"}
# Closeness to the FP model on scenes it was not calibrated on: per sample (minimum cosine similarity, maximum
# relative L2 error), and the maximum mean relative error. Measured over 40 scenes after 8-sample calibration:
# encoders mean error 0.05-0.07 (worst 0.24), decoder parts 0.007-0.02 (worst 0.025). Activation quantization
# of the encoders costs more than the decoder's weight-only compression.
CLOSENESS = {"vision_model": (0.95, 0.35, 0.12), "text_encoder": (0.95, 0.35, 0.12),
             "text_decoder_cross_kv": (0.999, 0.05, 0.03), "text_decoder": (0.999, 0.05, 0.03)}


def run_cli(*argv: str) -> int:
    """The real command line, in-process."""
    return main(["quantize", *map(str, argv)])


def write_calibration(folder: Path, images: int, seed: int) -> Path:
    """A calibration folder: shapes-world PNGs and one question per image in questions.jsonl."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(images):
        scene = random_scene(rng)
        render(scene).save(folder / f"scene{i}.png")
        lines.append(json.dumps({"image": f"scene{i}.png", "question": random_question(scene, rng).question}))
    (folder / QUESTIONS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def calibration_dir(tmp_path_factory) -> Path:
    return write_calibration(tmp_path_factory.mktemp("calibration"), CALIBRATION_IMAGES, CALIBRATION_SEED)


@pytest.fixture(scope="module")
def int8_folder(tmp_path_factory, calibration_dir) -> Path:
    out = tmp_path_factory.mktemp("quantized") / "tiny-vqa-int8"
    assert run_cli(TINY_VQA, "--out", out, "--calibration", calibration_dir, "--subset-size", SUBSET) == 0
    return out


# --- the INT8 folder ------------------------------------------------------------------------------------------


def test_manifest_validates_and_records_the_quantization(int8_folder: Path) -> None:
    source, manifest = read_manifest(TINY_VQA), read_manifest(int8_folder)  # read_manifest validates the schema
    assert manifest["name"] == "tiny-vqa-int8"
    for entry in source["parts"].values():  # which FP weights it came from
        assert f"{entry['bin']}={sha256_file(TINY_VQA / entry['bin'])[:12]}" in manifest["notes"]
    assert manifest["files"] == hash_folder(int8_folder)
    assert {p: e["precision"] for p, e in manifest["parts"].items()} == dict.fromkeys(source["parts"], "int8")
    q = manifest["quantization"]
    assert q["parts"]["vision_model"].startswith("nncf.quantize") and q["parts"]["text_encoder"].startswith("nncf.quantize")
    assert q["parts"]["text_decoder"].startswith("nncf.compress_weights")
    assert q["parts"]["text_decoder_cross_kv"].startswith("nncf.compress_weights")
    assert q["subset_size"] == SUBSET and q["calibration"].startswith("folder:") and q["nncf"] == "3.4.0"
    for key in ("family", "image", "tokens", "vision", "decoder", "generation", "caption_prompt", "source"):
        assert manifest[key] == source[key], key
    copied = [name for name in TOKENIZER_FILES if (TINY_VQA / name).is_file()]
    assert "tokenizer.json" in copied
    for name in copied:
        assert (int8_folder / name).read_bytes() == (TINY_VQA / name).read_bytes()


def test_every_part_compiles_and_shrinks_to_one_byte_per_weight(int8_folder: Path) -> None:
    core, source = ov.Core(), read_manifest(TINY_VQA)
    for part, entry in read_manifest(int8_folder)["parts"].items():
        compiled = core.compile_model(int8_folder / entry["xml"], "CPU", F32)
        assert len(compiled.inputs) == len(core.read_model(TINY_VQA / entry["xml"]).inputs), part
        ratio = (int8_folder / entry["bin"]).stat().st_size / (TINY_VQA / entry["bin"]).stat().st_size
        width = {"fp32": 4, "fp16": 2}[source["parts"][part]["precision"]]
        assert 0.9 / width < ratio < 1.25 / width, (part, ratio)  # int8 weights plus per-channel scales


def weight_element_type(node) -> str | None:
    """The element type of the Constant a layer's weight comes from, through (de)quantization ops; None if none."""
    for _ in range(8):
        kind = node.get_type_name()
        if kind == "Constant":
            return node.get_element_type().get_type_name()
        if kind not in DEQUANTIZE_OPS:
            return None
        node = node.input_value(0).get_node()
    return None


def weight_layers(model: ov.Model) -> Counter:
    """(op type, weight element type) of every MatMul/Convolution with a constant weight and every embedding Gather."""
    found: Counter = Counter()
    for op in model.get_ops():
        kind = op.get_type_name()
        if kind in ("MatMul", "Convolution"):
            weight = weight_element_type(op.input_value(1).get_node())
        elif kind == "Gather":
            weight = weight_element_type(op.input_value(0).get_node())
            weight = None if weight in ("i32", "i64") else weight
        else:
            continue
        if weight is not None:
            found[(kind, weight)] += 1
    return found


def expected_int8_layers(part: str) -> dict[tuple[str, str], int]:
    """What NNCF must have made INT8 in tiny-vqa, layer by layer (as optimum-intel's tests count per sub-model)."""
    text_layers = CONFIGS["tiny-vqa"].text["num_hidden_layers"]  # tiny-caption has the same dimensions
    vision_layers = CONFIGS["tiny-vqa"].vision["num_hidden_layers"]
    return {
        # qkv, projection, fc1, fc2 per ViT layer; the patch embedding convolution
        "vision_model": {("MatMul", "i8"): 4 * vision_layers, ("Convolution", "i8"): 1},
        # self q,k,v,o + cross q,k,v,o + fc1, fc2 per layer; word and position embeddings
        "text_encoder": {("MatMul", "i8"): 10 * text_layers, ("Gather", "i8"): 2},
        # cross-attention key and value per decoder layer
        "text_decoder_cross_kv": {("MatMul", "u8"): 2 * text_layers},
        # self q,k,v,o + cross q,o + fc1, fc2 per layer, LM-head transform and projection; the embeddings
        "text_decoder": {("MatMul", "u8"): 8 * text_layers + 2, ("Gather", "u8"): 2},
    }[part]


@pytest.mark.parametrize("part", ["vision_model", "text_encoder", "text_decoder_cross_kv", "text_decoder"])
def test_nncf_made_every_weight_layer_int8(int8_folder: Path, part: str) -> None:
    core = ov.Core()
    source = core.read_model(TINY_VQA / f"{part}.xml")
    quantized = core.read_model(int8_folder / f"{part}.xml")
    expected = expected_int8_layers(part)
    assert sum(weight_layers(source).values()) == sum(expected.values())  # the FP model has exactly these layers
    assert dict(weight_layers(quantized)) == expected
    fake_quantize = sum(op.get_type_name() == "FakeQuantize" for op in quantized.get_ops())
    if part in ("vision_model", "text_encoder"):
        assert fake_quantize >= expected[("MatMul", "i8")]  # activations quantized too, at least one per layer input
    else:
        assert fake_quantize == 0  # weight-only: the decoder's activations stay floating point


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Cosine similarity and relative L2 error of b against a."""
    a, b = a.ravel().astype(np.float64), b.ravel().astype(np.float64)
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)), float(np.linalg.norm(a - b) / np.linalg.norm(a))


def compiled_parts(folder: Path, manifest: dict) -> dict:
    """Every part of a folder compiled for f32 inference."""
    core = ov.Core()
    return {part: core.compile_model(folder / entry["xml"], "CPU", F32) for part, entry in manifest["parts"].items()}


def reference_inputs(fp: dict, manifest: dict, image: Image.Image, question: str, tokenizer) -> dict[str, dict]:
    """Each part's inputs for one sample, made by the FP model's chain, so that both models' parts are judged
    on the same inputs and errors do not compound."""
    d = manifest["decoder"]
    vision = {"pixel_values": pixel_values(image, manifest["image"])}
    text = {**question_inputs(tokenizer, question), "encoder_hidden_states": fp["vision_model"](vision)[0]}
    cross = {"encoder_hidden_states": fp["text_encoder"](text)[0]}
    cross_kv = {o.get_any_name(): v for o, v in fp["text_decoder_cross_kv"](cross).items()}
    empty = np.zeros((1, d["heads"], 0, d["head_size"]), np.float32)
    start = np.array([[manifest["tokens"]["decoder_start"]]], np.int64)
    step = {**decoder_step_inputs(start, 0, cross["encoder_hidden_states"].shape[1]), **cross_kv}
    step.update({f"past_{kind}.{layer}": empty for layer in range(d["layers"]) for kind in ("key", "value")})
    return {"vision_model": vision, "text_encoder": text, "text_decoder_cross_kv": cross, "text_decoder": step}


def all_outputs(compiled, inputs: dict) -> dict[str, np.ndarray]:
    """Every output of one inference, by tensor name."""
    return {o.get_any_name(): np.array(v) for o, v in compiled(inputs).items()}


def test_outputs_stay_close_to_the_fp_model(int8_folder: Path) -> None:
    manifest = read_manifest(TINY_VQA)
    fp, q8 = compiled_parts(TINY_VQA, manifest), compiled_parts(int8_folder, manifest)
    tokenizer = AutoTokenizer.from_pretrained(str(TINY_VQA))
    rng = np.random.default_rng(CHECK_SEED)
    errors: dict[str, list[float]] = {part: [] for part in CLOSENESS}
    first_tokens_agree = 0
    for _ in range(CHECK_SAMPLES):
        scene = random_scene(rng)
        image = resized_rgb(render(scene), manifest["image"]["size"], "bicubic")
        inputs = reference_inputs(fp, manifest, image, random_question(scene, rng).question, tokenizer)
        for part, (min_cosine, max_error, _) in CLOSENESS.items():
            expected, got = all_outputs(fp[part], inputs[part]), all_outputs(q8[part], inputs[part])
            assert expected.keys() == got.keys()
            assert any(not np.array_equal(expected[n], got[n]) for n in expected), part  # really another model
            for name in expected:
                cosine, error = similarity(expected[name], got[name])
                assert cosine >= min_cosine and error <= max_error, (part, name, cosine, error)
                errors[part].append(error)
            if part == "text_decoder":  # the first answer token the greedy search would pick
                first_tokens_agree += int(expected["logits"][0, -1].argmax() == got["logits"][0, -1].argmax())
    for part, (_, _, max_mean_error) in CLOSENESS.items():
        assert np.mean(errors[part]) <= max_mean_error, (part, np.mean(errors[part]))
    assert first_tokens_agree >= FIRST_TOKEN_AGREEMENT * CHECK_SAMPLES, first_tokens_agree


def test_a_captioning_model_quantizes_its_vision_encoder_and_compresses_its_decoder(tmp_path: Path) -> None:
    out = tmp_path / "tiny-caption-int8"
    assert run_cli(TINY_CAPTION, "--out", out, "--shapes", "--subset-size", 4) == 0
    manifest = read_manifest(out)
    assert manifest["family"] == "blip-caption" and "text_encoder" not in manifest["parts"]
    assert manifest["quantization"]["calibration"].startswith("shapes-world:") and manifest["quantization"]["subset_size"] == 4
    assert set(manifest["quantization"]["parts"]) == {"vision_model", "text_decoder_cross_kv", "text_decoder"}
    core = ov.Core()
    for part, entry in manifest["parts"].items():
        core.compile_model(out / entry["xml"], "CPU", F32)
        assert dict(weight_layers(core.read_model(out / entry["xml"]))) == expected_int8_layers(part), part


# --- calibration inputs ---------------------------------------------------------------------------------------


def test_calibration_inputs_are_what_the_hf_processor_makes() -> None:
    manifest = read_manifest(TINY_VQA)
    spec, size = manifest["image"], manifest["image"]["size"]
    image = Image.fromarray(np.random.default_rng(3).integers(0, 256, (50, 70, 4), dtype=np.uint8), "RGBA")
    tokenizer = AutoTokenizer.from_pretrained(str(TINY_VQA))
    processor = BlipProcessor(BlipImageProcessorPil(size={"height": size, "width": size}), tokenizer)
    question = "How many red circles are there?"
    expected = processor(images=image, text=question, return_tensors="np")
    ours = pixel_values(resized_rgb(image, size, spec["resample"]), spec)
    assert ours.shape == expected["pixel_values"].shape and ours.dtype == np.float32
    assert np.abs(ours - expected["pixel_values"]).max() < 1e-5
    ids = question_inputs(tokenizer, question)
    assert ids["input_ids"].tolist() == expected["input_ids"].tolist()
    assert ids["attention_mask"].tolist() == expected["attention_mask"].tolist()


def test_shapes_calibration_is_fresh_deterministic_and_sized() -> None:
    first, again = shapes_calibration(5, 64, "bicubic"), shapes_calibration(5, 64, "bicubic")
    assert len(first.samples) == 5 and first.source.startswith("shapes-world:seed=")
    assert all(s.image.size == (64, 64) and s.image.mode == "RGB" and s.question for s in first.samples)
    assert [s.question for s in first.samples] == [s.question for s in again.samples]
    assert np.array_equal(np.asarray(first.samples[0].image), np.asarray(again.samples[0].image))


# --- bad inputs: one line on stderr, exit 1, nothing written --------------------------------------------------


def assert_one_line_error(capsys, code: int, *fragments: str) -> None:
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    for fragment in fragments:
        assert fragment in err, err


def test_empty_calibration_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "cal").mkdir()
    code = run_cli(TINY_VQA, "--out", tmp_path / "out", "--calibration", tmp_path / "cal")
    assert_one_line_error(capsys, code, "has no images")
    assert not (tmp_path / "out").exists()


def test_images_without_questions(tmp_path: Path, capsys) -> None:
    cal = write_calibration(tmp_path / "cal", 2, CALIBRATION_SEED)
    (cal / QUESTIONS_FILE).unlink()
    code = run_cli(TINY_VQA, "--out", tmp_path / "out", "--calibration", cal)
    assert_one_line_error(capsys, code, "no questions.jsonl")


def test_questions_naming_missing_images(tmp_path: Path, capsys) -> None:
    cal = write_calibration(tmp_path / "cal", 2, CALIBRATION_SEED)
    (cal / "scene1.png").unlink()
    code = run_cli(TINY_VQA, "--out", tmp_path / "out", "--calibration", cal)
    assert_one_line_error(capsys, code, "not in the folder", "scene1.png")


def test_malformed_questions_line(tmp_path: Path, capsys) -> None:
    cal = write_calibration(tmp_path / "cal", 2, CALIBRATION_SEED)
    with (cal / QUESTIONS_FILE).open("a", encoding="utf-8") as handle:
        handle.write('{"image": "scene0.png"}\n')
    code = run_cli(TINY_VQA, "--out", tmp_path / "out", "--calibration", cal)
    assert_one_line_error(capsys, code, "questions.jsonl:3", '"question"')


def test_already_int8(int8_folder: Path, calibration_dir: Path, tmp_path: Path, capsys) -> None:
    code = run_cli(int8_folder, "--out", tmp_path / "out", "--calibration", calibration_dir)
    assert_one_line_error(capsys, code, "already INT8")


def test_missing_source_folder(tmp_path: Path, capsys) -> None:
    code = run_cli(tmp_path / "nope", "--out", tmp_path / "out", "--shapes")
    assert_one_line_error(capsys, code, "does not exist")


def test_source_without_manifest(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    code = run_cli(tmp_path / "empty", "--out", tmp_path / "out", "--shapes")
    assert_one_line_error(capsys, code, "not a model folder")


def test_source_with_a_broken_manifest(tmp_path: Path, capsys) -> None:
    source = tmp_path / "src"
    shutil.copytree(TINY_VQA, source)
    (source / "manifest.json").write_text("{ not json", encoding="utf-8")
    code = run_cli(source, "--out", tmp_path / "out", "--shapes")
    assert_one_line_error(capsys, code, "manifest.json is not JSON")


def test_source_with_a_changed_file(tmp_path: Path, capsys) -> None:
    source = tmp_path / "src"
    shutil.copytree(TINY_VQA, source)
    with (source / "text_decoder.bin").open("r+b") as handle:
        byte = handle.read(1)
        handle.seek(0)
        handle.write(bytes([byte[0] ^ 0xFF]))
    code = run_cli(source, "--out", tmp_path / "out", "--shapes")
    assert_one_line_error(capsys, code, "text_decoder.bin", "hash")


def test_existing_output_without_force(tmp_path: Path, calibration_dir: Path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    code = run_cli(TINY_VQA, "--out", out, "--calibration", calibration_dir)
    assert_one_line_error(capsys, code, "already exists", "--force")
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_bad_subset_size(tmp_path: Path, capsys) -> None:
    code = run_cli(TINY_VQA, "--out", tmp_path / "out", "--shapes", "--subset-size", "0")
    assert_one_line_error(capsys, code, "--subset-size")
