"""The stage model after an edit: the very same object when nothing it reads changed (a keystroke
in a comment), a new one equal to a fresh build as soon as a stage, a stage end or a name moves."""

from __future__ import annotations

import pytest

from dockerfile_stages.model.stages import StageModel, build_model
from dockerfile_stages.syntax.document import Document

TEXT = """\
FROM golang:1.22 AS build
RUN go build ./...
# a note

FROM alpine AS test
RUN true

FROM scratch
COPY --from=build /out /out
RUN true
# the end
"""


def stages(model: StageModel) -> list[tuple[str | None, int, int]]:
    return [(stage.name, stage.start_line, stage.end_line) for stage in model.stages]


def edited(line: int, col: int, text: str) -> tuple[StageModel, StageModel, Document]:
    document = Document(TEXT, "utf-32")
    before = build_model(document)
    document.apply_change(line, col, line, col, text)
    return before, build_model(document, previous=before), document


def test_typing_in_a_comment_keeps_the_model() -> None:
    before, after, _ = edited(2, len("# a note"), "s")
    assert after is before


@pytest.mark.parametrize(
    ("line", "col", "text"),
    [
        (3, 0, "RUN make"),  # an instruction on the blank line: the first stage now ends there
        (0, len("FROM golang:1.22 AS build"), "er"),  # a renamed stage
        (5, len("RUN true"), " \\\n  && false"),  # a continuation: the stage ends a line later
        (6, 0, "FROM busybox AS extra\n"),  # a new stage
        (9, len("RUN true"), " \\"),  # the last RUN takes in the comment after it: nothing else moves
    ],
)
def test_an_edit_the_model_reads_gives_what_a_fresh_build_gives(line: int, col: int, text: str) -> None:
    before, after, document = edited(line, col, text)
    assert after is not before
    assert stages(after) == stages(build_model(Document(document.text, "utf-32")))
