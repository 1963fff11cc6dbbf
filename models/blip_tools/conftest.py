"""Shared fixtures for the toolchain's tests: the committed tiny models rebuilt in PyTorch, fresh CLI exports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

MODELS_DIR = Path(__file__).resolve().parent.parent
REPO = MODELS_DIR.parent


def run_cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m blip_tools ...` as a subprocess, the way `npm run models --` runs it."""
    full_env = {**os.environ, "PYTHONPATH": str(MODELS_DIR), **(env or {})}
    return subprocess.run([sys.executable, "-m", "blip_tools", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=MODELS_DIR)


@pytest.fixture(scope="session")
def tiny_vqa():
    """The seeded PyTorch model the committed models/tiny-vqa was exported from."""
    from blip_tools.manifest import read_manifest
    from blip_tools.sources import random_init

    manifest = read_manifest(MODELS_DIR / "tiny-vqa")
    return random_init("tiny-vqa", manifest.get("seed", 0)), MODELS_DIR / "tiny-vqa", manifest


@pytest.fixture(scope="session")
def caption_exports(tmp_path_factory):
    """tiny-caption exported FP32 twice by the CLI, into two folders of the same name, concurrently."""
    roots = [tmp_path_factory.mktemp(f"export{i}") for i in range(2)]
    env = {**os.environ, "PYTHONPATH": str(MODELS_DIR)}
    procs = [subprocess.Popen([sys.executable, "-m", "blip_tools", "export", "--random-init", "tiny-caption",
                               "--precision", "fp32", "--out", str(root / "tiny-caption")],
                              env=env, cwd=MODELS_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for root in roots]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    return [root / "tiny-caption" for root in roots]
