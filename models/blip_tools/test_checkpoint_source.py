"""A local save_pretrained folder exports to the same weights as the model that was saved."""

from __future__ import annotations

from blip_tools.export_model import export_model
from blip_tools.manifest import read_manifest, sha256_file
from blip_tools.sources import load_checkpoint, random_init


def test_checkpoint_export_matches_random_init_export(tmp_path, caption_exports):
    saved = random_init("tiny-caption", 0)
    checkpoint = tmp_path / "my-checkpoint"
    saved.model.save_pretrained(checkpoint)
    saved.tokenizer.save_pretrained(checkpoint)

    loaded = load_checkpoint(str(checkpoint))
    assert loaded.family == "blip-caption" and loaded.source == "checkpoint:my-checkpoint"
    manifest = export_model(loaded.model, loaded.tokenizer, tmp_path / "out", "fp32", loaded.source,
                            progress=lambda line: None)
    assert read_manifest(tmp_path / "out")["source"] == "checkpoint:my-checkpoint"
    reference = caption_exports[0]
    for part in manifest["parts"]:
        assert sha256_file(tmp_path / "out" / f"{part}.bin") == sha256_file(reference / f"{part}.bin"), part
    assert manifest["tokens"] == read_manifest(reference)["tokens"]


def test_checkpoint_with_missing_weights_is_refused(tmp_path):
    """from_pretrained would silently re-initialise missing weights; the export must refuse instead."""
    import pytest
    from safetensors.torch import load_file, save_file

    from blip_tools.errors import ToolError

    saved = random_init("tiny-caption", 0)
    checkpoint = tmp_path / "partial"
    saved.model.save_pretrained(checkpoint)
    saved.tokenizer.save_pretrained(checkpoint)
    weights = load_file(checkpoint / "model.safetensors")
    dropped = next(name for name in weights if "vision_model" in name)
    save_file({k: v for k, v in weights.items() if k != dropped}, checkpoint / "model.safetensors",
              metadata={"format": "pt"})
    with pytest.raises(ToolError, match="missing keys"):
        load_checkpoint(str(checkpoint))
