"""Stages, stage references, ARG expansion and target reachability, computed from the tree.

Pure: no I/O, no LSP types. Positions are absolute (line, code-point column).

The names below load with their module at first use (PEP 562): importing a light submodule such as
``model.build_files`` (the build-file names, read by the directory walk) does not load the stage
model and the parser, so a ``check`` answered from its cache imports neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dockerfile_stages.model.image import ImageRef, parse_image_ref
    from dockerfile_stages.model.stages import MetaArg, Stage, StageModel, StageRef, build_model

__all__ = ["ImageRef", "MetaArg", "Stage", "StageModel", "StageRef", "build_model", "parse_image_ref"]

_MODULE_OF = {"ImageRef": "image", "parse_image_ref": "image"} | dict.fromkeys(
    ("MetaArg", "Stage", "StageModel", "StageRef", "build_model"), "stages"
)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
