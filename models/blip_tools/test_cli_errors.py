"""Bad inputs end with one line on stderr and a non-zero exit, and leave no folder behind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from blip_tools.conftest import run_cli


def _assert_one_line_error(result, *needles: str) -> None:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one stderr line, got: {result.stderr!r}"
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    assert "Traceback" not in result.stderr


def test_unknown_config(tmp_path):
    result = run_cli("export", "--random-init", "blip-giant", "--out", str(tmp_path / "m"))
    _assert_one_line_error(result, "unknown random-init config 'blip-giant'", "tiny-vqa")
    assert not (tmp_path / "m").exists()


def test_unreachable_hub_fails_fast(tmp_path):
    """Offline (and with an empty HF cache) the hub source says what to do instead of hanging."""
    env = {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    result = run_cli("export", "--hub", "Salesforce/blip-vqa-base", "--out", str(tmp_path / "m"), env=env,
                     timeout=120)
    _assert_one_line_error(result, "hub is unreachable", "--checkpoint")
    assert not (tmp_path / "m").exists()


def test_unreachable_hub_without_offline_flag_is_quick(tmp_path):
    """The network probe is bounded: no hang even when HF_HUB_OFFLINE is not set."""
    from blip_tools.hub_probe import hub_reachable

    if hub_reachable():
        pytest.skip("this machine reaches the hub")
    started = time.monotonic()
    result = run_cli("export", "--hub", "Salesforce/blip-vqa-base", "--out", str(tmp_path / "m"),
                     env={"HF_HOME": str(tmp_path / "hf")}, timeout=60)
    _assert_one_line_error(result, "hub is unreachable")
    assert time.monotonic() - started < 30


def test_corrupt_checkpoint(tmp_path):
    checkpoint = tmp_path / "ckpt"
    checkpoint.mkdir()
    (checkpoint / "config.json").write_text("{ this is not json", encoding="utf-8")
    (checkpoint / "model.safetensors").write_bytes(b"\x00" * 64)
    result = run_cli("export", "--checkpoint", str(checkpoint), "--out", str(tmp_path / "m"))
    _assert_one_line_error(result, "cannot load BLIP checkpoint:ckpt")
    assert not (tmp_path / "m").exists()


def test_missing_checkpoint_folder(tmp_path):
    result = run_cli("export", "--checkpoint", str(tmp_path / "nope"), "--out", str(tmp_path / "m"))
    _assert_one_line_error(result, "does not exist")


@pytest.mark.parametrize("parent", ["file", "proc"])
def test_output_folder_not_writable(tmp_path, parent):
    # Tests may run as root, for whom permission bits do not bind: use places nobody can create folders in.
    if parent == "file":
        blocker = tmp_path / "a-file"
        blocker.write_text("x")
        out = blocker / "sub" / "m"
    else:
        out = Path("/proc/blip-tools-test/m")
    result = run_cli("export", "--random-init", "tiny-vqa", "--out", str(out))
    _assert_one_line_error(result, "output folder")


def test_existing_folder_without_force(tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run_cli("export", "--random-init", "tiny-vqa", "--out", str(out))
    _assert_one_line_error(result, "already exists", "--force")
    assert (out / "keep.txt").read_text() == "mine"


def test_folder_name_the_manifest_cannot_carry(tmp_path):
    result = run_cli("export", "--random-init", "tiny-vqa", "--out", str(tmp_path / "my model!"))
    _assert_one_line_error(result, "model folder name 'my model!'")
    assert list(tmp_path.iterdir()) == []


def test_golden_needs_checkpoint_for_non_random_folder(tmp_path):
    result = run_cli("golden", str(tmp_path))
    _assert_one_line_error(result, "not a model folder")
