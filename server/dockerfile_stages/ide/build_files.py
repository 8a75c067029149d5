"""Stage-name completion in Compose (``build.target``) and Bake (``target = "..."``) files.

Pure: the caller gives the build file's text and a way to read a Dockerfile's stages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from dockerfile_stages.model.build_files import is_bake_file, is_compose_file
from dockerfile_stages.syntax.nodes import Pos, Span

_YAML_TARGET = re.compile(r"^(\s*)target:\s*[\"']?([\w.-]*)$")
_YAML_KEY = re.compile(r"^(\s*)(context|dockerfile):\s*[\"']?([^\"'#\s]+)")
_HCL_TARGET = re.compile(r"^\s*target\s*=\s*\"([\w.-]*)$")
_HCL_KEY = re.compile(r"^\s*(context|dockerfile)\s*=\s*\"([^\"]+)\"")
_HCL_BLOCK = re.compile(r"^\s*target\s+\"[^\"]*\"\s*\{")


@dataclass(frozen=True)
class TargetSlot:
    dockerfile: PurePosixPath  # relative to the build file's directory
    typed: str
    replace: Span


def target_slot(path: str, lines: list[str], line: int, col: int) -> TargetSlot | None:
    """The ``target`` value being typed at the position, and the Dockerfile it builds from."""
    if line >= len(lines):
        return None
    before = lines[line][:col]
    if is_compose_file(path):
        match = _YAML_TARGET.match(before)
        if match is None:
            return None
        keys = _yaml_block_keys(lines, line, len(match.group(1)))
        typed = match.group(2)
    elif is_bake_file(path) and path.endswith(".hcl"):
        hcl = _HCL_TARGET.match(before)
        if hcl is None:
            return None
        keys = _hcl_block_keys(lines, line)
        typed = hcl.group(1)
    else:
        return None
    end = col
    text = lines[line]
    while end < len(text) and (text[end].isalnum() or text[end] in "._-"):
        end += 1
    context = keys.get("context", ".")
    dockerfile = PurePosixPath(context) / keys.get("dockerfile", "Dockerfile")
    return TargetSlot(dockerfile, typed, Span(Pos(line, col - len(typed)), Pos(line, end)))


def _yaml_block_keys(lines: list[str], line: int, indent: int) -> dict[str, str]:
    """``context``/``dockerfile`` at the same indentation as ``target`` in its mapping."""
    keys: dict[str, str] = {}
    for step in (-1, 1):
        index = line + step
        while 0 <= index < len(lines):
            text = lines[index]
            stripped = text.strip()
            if stripped and not stripped.startswith("#"):
                depth = len(text) - len(text.lstrip())
                if depth < indent:
                    break
                match = _YAML_KEY.match(text)
                if match and len(match.group(1)) == indent:
                    keys.setdefault(match.group(2), match.group(3))
            index += step
    return keys


def _hcl_block_keys(lines: list[str], line: int) -> dict[str, str]:
    keys: dict[str, str] = {}
    start = line
    while start > 0 and not _HCL_BLOCK.match(lines[start]):
        start -= 1
    index = start + 1
    while index < len(lines) and lines[index].strip() != "}":
        match = _HCL_KEY.match(lines[index])
        if match:
            keys.setdefault(match.group(1), match.group(2))
        index += 1
    return keys


def complete_target(slot: TargetSlot, stages: Callable[[], list[tuple[str, str]]]) -> list[tuple[str, str, Span]]:
    """(stage name, detail, range to replace) for the stages the Dockerfile names."""
    typed = slot.typed.lower()
    return [(name, detail, slot.replace) for name, detail in stages() if name.lower().startswith(typed)]
