"""Build, hash and validate a model folder's manifest.json (schema: models/manifest.schema.json)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import jsonschema

from .errors import ToolError

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "manifest.schema.json"
MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1
HASH_CHUNK_BYTES = 1 << 20
# The folder name becomes the manifest's `name` (the schema's pattern), which the API shows as a model id.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def check_name(name: str) -> None:
    """Refuse a folder name the manifest cannot carry, before minutes of conversion."""
    if not NAME_PATTERN.match(name):
        raise ToolError(f"model folder name {name!r} must be letters, digits, '.', '_' or '-' (not starting with "
                        "'.', '_' or '-')")


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks so multi-GB parts do not fill memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def hash_folder(folder: Path) -> dict[str, str]:
    """sha256 of every file under the folder except the manifest, keyed by POSIX relative path, sorted."""
    manifest = folder / MANIFEST_NAME
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p != manifest)
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in files}


def load_schema() -> dict:
    """The manifest JSON Schema."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_manifest(manifest: dict) -> None:
    """Raise ToolError naming the first violation if the manifest does not match the schema."""
    try:
        jsonschema.validate(manifest, load_schema())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        raise ToolError(f"manifest invalid at {where}: {exc.message}") from None


def write_manifest(folder: Path, manifest: dict) -> dict:
    """Fill `files` with the folder's hashes, validate, and write manifest.json (stable key order)."""
    manifest = {**manifest, "files": hash_folder(folder)}
    validate_manifest(manifest)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (folder / MANIFEST_NAME).write_text(text, encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> dict:
    """Load and validate a folder's manifest."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise ToolError(f"{folder} is not a model folder: no {MANIFEST_NAME}")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    validate_manifest(manifest)
    return manifest
