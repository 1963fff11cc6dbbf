"""Exporting twice from the same seed gives byte-identical folders; a failed export leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from blip_tools.manifest import MANIFEST_NAME, read_manifest, sha256_file


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_exports_are_identical(caption_exports):
    first, second = caption_exports
    assert _files(first) == _files(second)
    # vision, cross K/V and decoder (xml + bin each), tokenizer.json, tokenizer_config.json, manifest.json
    assert len(_files(first)) == 9


def test_manifest_hashes_every_other_file(caption_exports):
    folder = caption_exports[0]
    manifest = read_manifest(folder)
    on_disk = _files(folder)
    on_disk.pop(MANIFEST_NAME)
    assert manifest["files"] == on_disk


def test_failed_export_leaves_no_folder(tmp_path, monkeypatch):
    import blip_tools.export_model as export_module
    from blip_tools.sources import random_init

    loaded = random_init("tiny-caption", 0)

    def broken(model):
        raise RuntimeError("conversion failed half way")

    monkeypatch.setattr(export_module, "convert_parts", broken)
    with pytest.raises(RuntimeError):
        export_module.export_model(loaded.model, loaded.tokenizer, tmp_path / "m", "fp32", loaded.source,
                                   progress=lambda line: None)
    assert list(tmp_path.iterdir()) == []


def test_default_precision_is_fp16(tmp_path, caption_exports):
    """Without --precision the parts are FP16-compressed: recorded per part, about half the FP32 bytes, and
    still close to the FP32 export."""
    import numpy as np

    from blip_tools.export_model import export_model
    from blip_tools.ov_reference import FolderParts
    from blip_tools.sources import random_init

    loaded = random_init("tiny-caption", 0)
    manifest = export_model(loaded.model, loaded.tokenizer, tmp_path / "fp16", source=loaded.source,
                            progress=lambda line: None)
    assert {part["precision"] for part in manifest["parts"].values()} == {"fp16"}
    fp32 = caption_exports[0]
    for part in manifest["parts"]:
        ratio = (tmp_path / "fp16" / f"{part}.bin").stat().st_size / (fp32 / f"{part}.bin").stat().st_size
        assert 0.45 < ratio < 0.6, f"{part}: fp16/fp32 size ratio {ratio:.2f}"
    pixels = np.random.RandomState(0).randn(1, 3, 64, 64).astype(np.float32)
    half = FolderParts(tmp_path / "fp16", manifest).run("vision_model", {"pixel_values": pixels})["image_embeds"]
    full = FolderParts(fp32, read_manifest(fp32)).run("vision_model", {"pixel_values": pixels})["image_embeds"]
    assert float(np.abs(half - full).max()) < 5e-2
