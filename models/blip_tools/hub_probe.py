"""Cheap hub checks that run before transformers is imported, so an unreachable hub fails in seconds."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

from .errors import ToolError

# How long we wait for the hub before saying it is unreachable (seconds).
HUB_PROBE_TIMEOUT_S = 3.0
HUB_HOST = "huggingface.co"
HUB_PORT = 443


def hub_offline() -> bool:
    """Whether HF_HUB_OFFLINE asks us not to touch the network."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() not in ("", "0", "false", "no")


def hub_reachable(timeout_s: float = HUB_PROBE_TIMEOUT_S) -> bool:
    """Whether a TCP connection to the hub opens within the timeout (DNS included, bounded by a thread)."""
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((HUB_HOST, HUB_PORT), timeout=timeout_s):
                result.append(True)
        except OSError:
            result.append(False)

    worker = threading.Thread(target=probe, daemon=True)
    worker.start()
    worker.join(timeout_s)
    return bool(result and result[0])


def in_local_cache(model_id: str) -> bool:
    """Whether the Hugging Face cache holds a snapshot of the model (what an offline load would use)."""
    from huggingface_hub.constants import HF_HUB_CACHE

    return (Path(HF_HUB_CACHE) / f"models--{model_id.replace('/', '--')}" / "snapshots").is_dir()


def unreachable_error(model_id: str) -> ToolError:
    """The one-line message for a hub model we cannot get."""
    return ToolError(
        f"the Hugging Face hub is unreachable from this machine and {model_id} is not in the local cache; "
        "export on a machine that reaches the hub, or pass --checkpoint <save_pretrained folder>"
    )


def check_hub_source(model_id: str) -> bool:
    """True when the model must come from the local cache (offline), False when the hub answers; raises when
    neither can provide it."""
    online = not hub_offline() and hub_reachable()
    if not online and not in_local_cache(model_id):
        raise unreachable_error(model_id)
    return not online
