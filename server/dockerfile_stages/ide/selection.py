"""Selection ranges: word, then flag or argument list, then instruction, then stage, then file."""

from __future__ import annotations

from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span


def selection_chain(document: Document, model: StageModel, line: int, col: int) -> list[Span]:
    """Nested ranges around the cursor, innermost first."""
    pos = Pos(line, col)
    chain: list[Span] = []
    start, node = document.node_at(line)
    text = document.line(line)
    left = col
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = col
    while right < len(text) and not text[right].isspace():
        right += 1
    if isinstance(node, Instruction):
        for flag in node.flags:
            span = flag.span.shifted(start)
            if not span.contains(pos) or flag.value_span is None:
                continue
            value = flag.value_span.shifted(start)
            if value.contains(pos) and "," in (flag.value or "") and value.start.line == value.end.line:
                field_start = text.rfind(",", value.start.col, col) + 1 or value.start.col
                field_end = text.find(",", col, value.end.col)
                chain.append(
                    Span(
                        Pos(line, max(field_start, value.start.col)),
                        Pos(line, value.end.col if field_end < 0 else field_end),
                    )
                )
                chain.append(value)
    if right > left:
        chain.append(Span(Pos(line, left), Pos(line, right)))
    if isinstance(node, Instruction):
        chain.append(node.span.shifted(start))
    stage = model.stage_at(line)
    if stage is not None:
        chain.append(Span(stage.keyword_span.start, Pos(stage.end_line, len(document.line(stage.end_line)))))
    last = document.line_count - 1
    chain.append(Span(Pos(0, 0), Pos(last, len(document.line(last)))))
    unique: list[Span] = []
    for span in chain:
        if not unique or (span != unique[-1] and span.start <= unique[-1].start and unique[-1].end <= span.end):
            unique.append(span)
    return unique
