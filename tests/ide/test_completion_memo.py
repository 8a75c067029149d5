"""The completion memo: the same candidate list while the stages and the slot are the same (the
server then reuses the items it encoded), a fresh one as soon as either changes."""

from __future__ import annotations

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.ide.completion import CompletionMemo
from dockerfile_stages.model.stages import build_model
from dockerfile_stages.syntax.document import Document

from ..conftest import cursor

FIXTURE = """\
FROM golang:1.22 AS builder
# notes
FROM alpine AS tested
FROM alpine
COPY --from=| /x /x
"""


def keystroke(document: Document, line: int, col: int, text: str) -> None:
    document.apply_change(line, col, line, col, text)


def test_an_edit_that_changes_no_stage_gives_the_same_list() -> None:
    text, line, col = cursor(FIXTURE)
    document = Document(text, "utf-32")
    memo = CompletionMemo()
    model = build_model(document)
    first = Analysis(document, model).completion(line, col, memo)
    keystroke(document, 1, len("# notes"), "!")
    again = build_model(document, previous=model)
    second = Analysis(document, again).completion(line, col, memo)
    assert [c.label for c in first] == ["builder", "tested"]
    assert again is model and second is first
    assert second == Analysis(document, build_model(document)).completion(line, col)  # what a fresh one says


def test_a_renamed_stage_is_offered_at_once() -> None:
    text, line, col = cursor(FIXTURE)
    document = Document(text, "utf-32")
    memo = CompletionMemo()
    model = build_model(document)
    Analysis(document, model).completion(line, col, memo)
    keystroke(document, 0, len("FROM golang:1.22 AS builder"), "2")
    changed = build_model(document, previous=model)
    assert [c.label for c in Analysis(document, changed).completion(line, col, memo)] == ["builder2", "tested"]


def test_typing_in_the_slot_filters_again() -> None:
    text, line, col = cursor(FIXTURE)
    document = Document(text, "utf-32")
    memo = CompletionMemo()
    model = build_model(document)
    Analysis(document, model).completion(line, col, memo)
    keystroke(document, line, col, "t")
    typed = build_model(document, previous=model)
    assert [c.label for c in Analysis(document, typed).completion(line, col + 1, memo)] == ["tested"]
