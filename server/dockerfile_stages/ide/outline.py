"""Document symbols (stages holding their instructions) and folding ranges."""

from __future__ import annotations

import msgspec

from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span, Trivia


class Symbol(msgspec.Struct):
    name: str
    detail: str
    kind: str  # "stage", "instruction", "arg"
    range: Span
    selection: Span
    children: list[Symbol] = msgspec.field(default_factory=list)


def _line_end(document: Document, line: int) -> Pos:
    return Pos(line, document.line_length(line))


def symbols(document: Document, model: StageModel) -> list[Symbol]:
    result: list[Symbol] = []
    stage_symbols: list[Symbol] = []
    for stage in model.stages:
        name = stage.name or f"stage {stage.index}"
        end = _line_end(document, stage.end_line)
        symbol = Symbol(
            name,
            f"FROM {stage.base}",
            "stage",
            Span(stage.keyword_span.start, end),
            stage.name_span or stage.keyword_span,
        )
        stage_symbols.append(symbol)
    stage_iter = iter(zip(model.stages, stage_symbols, strict=True))
    current = next(stage_iter, None)
    upcoming = next(stage_iter, None)
    for line, node in document.nodes():
        if not isinstance(node, Instruction):
            continue
        while upcoming is not None and line >= upcoming[0].start_line:
            current, upcoming = upcoming, next(stage_iter, None)
        before_stages = current is None or line < current[0].start_line
        if node.cmd == "FROM" or (before_stages and node.cmd != "ARG"):
            continue  # a stage's own symbol, made above; or nothing to show
        span = Span(node.keyword_span.start.shifted(line), _line_end(document, line + node.line_count - 1))
        if current is None or before_stages:
            for word in node.words:
                result.append(Symbol(word.text.split("=")[0], word.text, "arg", span, word.span.shifted(line)))
            continue
        detail = node.original[len(node.keyword) :].strip()
        current[1].children.append(Symbol(node.cmd, detail[:80], "instruction", span, node.keyword_span.shifted(line)))
    return result + stage_symbols


class Fold(msgspec.Struct, frozen=True):
    start: int
    end: int
    kind: str  # "region" or "comment"


def folding_ranges(document: Document, model: StageModel) -> list[Fold]:
    folds = [
        Fold(stage.start_line, stage.end_line, "region") for stage in model.stages if stage.end_line > stage.start_line
    ]
    comment_start: int | None = None
    previous = -1
    for line, node in document.nodes():
        is_comment = isinstance(node, Trivia) and node.kind == "comment"
        if is_comment and comment_start is None:
            comment_start = line
        if not is_comment and comment_start is not None:
            if previous > comment_start:
                folds.append(Fold(comment_start, previous, "comment"))
            comment_start = None
        if isinstance(node, Instruction) and node.line_count > 1:
            folds.append(Fold(line, line + node.line_count - 1, "region"))
        previous = line
    if comment_start is not None and previous > comment_start:
        folds.append(Fold(comment_start, previous, "comment"))
    return sorted(folds, key=lambda fold: (fold.start, -fold.end))
