"""Where the cursor is: which stage-naming slot, what has been typed there, what to replace."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Flag, Instruction, Pos, Span, Trivia


@dataclass(frozen=True, slots=True)
class Slot:
    """A place where a stage (or image) can be named."""

    kind: str  # "copy" (COPY/ADD --from=), "mount" (RUN --mount=...,from=), "from" (FROM <base>), "target"
    typed: str  # the part of the word before the cursor
    replace: Span  # the whole word under the cursor, so accepting never duplicates text
    stage: int | None  # the stage the cursor is in (None before the first FROM)


def mount_fields(flag: Flag, line: int) -> list[tuple[str, Span]]:
    """``(key=value, value range)`` of each comma-separated field of a single-line ``--mount`` value."""
    if flag.value is None or flag.value_span is None or flag.value_span.start.line != flag.value_span.end.line:
        return []
    fields = []
    start = flag.value_span.start
    offset = 0
    for field in flag.value.split(","):
        key, eq, _ = field.partition("=")
        value_col = start.col + offset + len(key) + len(eq)
        fields.append(
            (field, Span(Pos(start.line + line, value_col), Pos(start.line + line, start.col + offset + len(field))))
        )
        offset += len(field) + 1
    return fields


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
                return Slot("copy", _typed(document, span, pos), span, stage_index)
    elif cmd == "RUN":
        for flag in target.flags:
            if flag.name.lower() != "mount":
                continue
            for field, span in mount_fields(flag, node_line):
                if field.lower().startswith("from=") and span.contains(pos):
                    return Slot("mount", _typed(document, span, pos), span, stage_index)
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
    return Slot("target", match.group(1), span, None)


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
            return Slot("from", _typed(document, span, pos), span, stage)
        if pos < span.start:
            return Slot("from", "", Span(pos, pos), stage)
        return None
    return Slot("from", "", Span(pos, pos), stage)


def _typed(document: Document, span: Span, pos: Pos) -> str:
    if span.start.line != pos.line:
        return ""
    return document.line(pos.line)[span.start.col : pos.col]
