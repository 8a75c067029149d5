"""The ``--target`` value under the cursor, also while it is still being typed."""

from __future__ import annotations

import msgspec

from dockerfile_stages.model.buildfiles import extract
from dockerfile_stages.model.buildfiles.uses import Build
from dockerfile_stages.syntax.nodes import Pos, Span

# Typed into a copy of the text at the cursor, so that an empty or half-typed value still parses
# as a value (the way rust-analyzer completes at a fake identifier).
CURSOR_WORD = "dsStagesCursorWord"


class TargetSlot(msgspec.Struct, frozen=True):
    build: Build  # the build being written (its target is the half-typed value plus CURSOR_WORD)
    typed: str  # the part of the value before the cursor
    replace: Span  # the value's range in the real text


def target_slot(path: str, text: str, line: int, col: int) -> TargetSlot | None:
    lines = text.split("\n")
    if line >= len(lines):
        return None
    lines[line] = lines[line][:col] + CURSOR_WORD + lines[line][col:]
    for build in extract(path, "\n".join(lines)):
        target = build.target
        if target is None or CURSOR_WORD not in target.text or target.span.start.line != line:
            continue
        typed = target.text[: target.text.index(CURSOR_WORD)]
        end = Pos(line, target.span.end.col - len(CURSOR_WORD))
        return TargetSlot(build, typed, Span(target.span.start, end))
    return None


def build_at(builds: list[Build], line: int, col: int) -> Build | None:
    """The build whose ``--target`` value is at the position."""
    pos = Pos(line, col)
    return next((build for build in builds if build.target and build.target.span.contains(pos)), None)
