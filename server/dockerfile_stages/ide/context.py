"""Where the cursor is: which stage-naming slot, what has been typed there, what to replace."""

from __future__ import annotations

import re
from enum import Enum

import msgspec

from dockerfile_stages.model.stages import StageModel, mount_fields
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span, Trivia


class SlotKind(str, Enum):
    COPY = "copy"  # COPY/ADD --from=
    MOUNT = "mount"  # RUN --mount=...,from=
    FROM = "from"  # FROM <base>
    TARGET = "target"  # --target in a comment (a documented ``docker build`` command)


class Slot(msgspec.Struct, frozen=True):
    """A place where a stage (or image) can be named."""

    kind: SlotKind
    typed: str  # the part of the word before the cursor
    replace: Span  # the whole word under the cursor, so accepting never duplicates text
    stage: int | None  # the stage the cursor is in (None before the first FROM)


_TARGET_FLAG = re.compile(r"--target(?:=|\s+)(\S*)\Z")


def slot_at(document: Document, model: StageModel, line: int, col: int) -> Slot | None:
    node_line, node = document.node_at(line)
    if isinstance(node, Trivia) and node.kind == "comment":
        return _target_slot(document, line, col)
    if not isinstance(node, Instruction):
        return None
    stage = model.stage_at(line)
    stage_index = stage.index if stage else None
    pos = Pos(line, col)
    target = node.sub if node.cmd == "ONBUILD" and node.sub is not None else node
    cmd = target.cmd
    if cmd in ("COPY", "ADD"):
        flag = target.flag("from")
        if flag and flag.value_span:
            span = flag.value_span.shifted(node_line)
            if span.contains(pos):
                return Slot(SlotKind.COPY, _typed(document, span, pos), span, stage_index)
    elif cmd == "RUN":
        for flag in target.flags:
            if (
                flag.name.lower() != "mount"
                or flag.value_span is None
                or flag.value_span.start.line != flag.value_span.end.line
            ):
                continue
            for field in mount_fields(flag):
                span = field.span.shifted(node_line)
                if field.assigned and field.key == "from" and span.contains(pos):
                    return Slot(SlotKind.MOUNT, _typed(document, span, pos), span, stage_index)
    elif cmd == "FROM" and node is target:
        return _from_slot(document, node, node_line, pos, stage_index)
    return None


def _target_slot(document: Document, line: int, col: int) -> Slot | None:
    """``--target `` in a comment (a documented ``docker build`` command): any stage can be built."""
    text = document.line(line)
    match = _TARGET_FLAG.search(text[:col])
    if match is None:
        return None
    end = col
    while end < len(text) and not text[end].isspace():
        end += 1
    span = Span(Pos(line, match.start(1)), Pos(line, end))
    return Slot(SlotKind.TARGET, match.group(1), span, None)


def _from_slot(document: Document, node: Instruction, node_line: int, pos: Pos, stage: int | None) -> Slot | None:
    keyword_end = node.keyword_span.end.shifted(node_line)
    if pos <= keyword_end:
        return None
    for flag in node.flags:
        if flag.span.shifted(node_line).contains(pos):
            return None
    words = node.words
    if words:
        span = words[0].span.shifted(node_line)
        if span.contains(pos):
            return Slot(SlotKind.FROM, _typed(document, span, pos), span, stage)
        if pos < span.start:
            return Slot(SlotKind.FROM, "", Span(pos, pos), stage)
        return None
    return Slot(SlotKind.FROM, "", Span(pos, pos), stage)


def _typed(document: Document, span: Span, pos: Pos) -> str:
    if span.start.line != pos.line:
        return ""
    return document.line(pos.line)[span.start.col : pos.col]
