"""Fixtures with the expected value ranges marked: ``«runtime»``; a cursor is ``‸``."""

from __future__ import annotations

from dockerfile_stages.syntax.nodes import Pos, Span


def marked(fixture: str) -> tuple[str, list[Span]]:
    """The text without its « » marks, and the ranges they enclosed (in order)."""
    text: list[str] = []
    spans: list[Span] = []
    opened: list[Pos] = []
    line = col = 0
    for ch in fixture:
        if ch == "«":
            opened.append(Pos(line, col))
        elif ch == "»":
            spans.append(Span(opened.pop(), Pos(line, col)))
        elif ch != "‸":
            text.append(ch)
            line, col = (line + 1, 0) if ch == "\n" else (line, col + 1)
    return "".join(text), spans


def cursor(fixture: str) -> tuple[str, Pos, list[Span]]:
    """The text without its marks, the ‸ cursor's position, and the marked ranges."""
    text, spans = marked(fixture.replace("‸", "«‸»"))
    at = next(index for index, span in enumerate(spans) if span.start == span.end)
    return text, spans.pop(at).start, sorted(spans, key=lambda span: span.start)


def cut(text: str, span: Span) -> str:
    assert span.start.line == span.end.line
    return text.split("\n")[span.start.line][span.start.col : span.end.col]
