"""Stages, stage references, ARG expansion and target reachability, computed from the tree.

Pure: no I/O, no LSP types. Positions are absolute (line, code-point column).
"""

from dockerfile_stages.model.image import ImageRef, parse_image_ref
from dockerfile_stages.model.stages import MetaArg, Stage, StageModel, StageRef, build_model

__all__ = ["ImageRef", "MetaArg", "Stage", "StageModel", "StageRef", "build_model", "parse_image_ref"]
