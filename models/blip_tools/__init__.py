"""BLIP model toolchain: export to OpenVINO model folders, golden fixtures, tiny test models."""

__all__ = ["export_model"]


def __getattr__(name: str):
    # Lazy, so `python -m blip_tools --help` and light modules do not load torch and OpenVINO.
    if name == "export_model":
        from .export_model import export_model

        return export_model
    raise AttributeError(name)
