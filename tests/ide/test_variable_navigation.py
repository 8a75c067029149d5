"""Variables as symbols: definition, references, rename (BuildKit's scoping)."""

from __future__ import annotations

import pytest

from dockerfile_stages.ide.navigation import RenameError
from dockerfile_stages.ide.variable_navigation import (
    prepare_variable_rename,
    rename_variable,
    variable_definition,
    variable_occurrences,
)
from dockerfile_stages.model.stages import build_model
from dockerfile_stages.model.variables import Variables
from dockerfile_stages.syntax.document import Document

from ..conftest import cursor


def at(fixture: str) -> tuple[Variables, int, int]:
    text, line, col = cursor(fixture)
    document = Document(text)
    return Variables(document, build_model(document)), line, col


TEXT = "ARG V=1\nFROM alpine:$V AS a\nARG V\nRUN echo $V\nFROM alpine\nARG V=2\nRUN echo $|V\n"


def test_definition_goes_to_the_arg_in_scope() -> None:
    span = variable_definition(*at(TEXT))
    assert span is not None and (span.start.line, span.start.col) == (5, 4)


def test_bare_arg_goes_to_the_global_it_takes_its_value_from() -> None:
    span = variable_definition(*at("ARG V=1\nFROM a\nARG |V\n"))
    assert span is not None and span.start.line == 0


def test_references_stay_in_their_scope() -> None:
    found = variable_occurrences(*at(TEXT))
    assert [(o.span.start.line, o.is_declaration) for o in found] == [(5, True), (6, False)]


def test_references_of_a_global_include_its_redeclaration() -> None:
    found = variable_occurrences(*at(TEXT.replace("$|V", "$V").replace("ARG V\nRUN echo $V", "ARG V\nRUN echo $|V")))
    assert [o.span.start.line for o in found] == [0, 1, 2, 3]


def test_rename_edits_the_group() -> None:
    edits = rename_variable(*at("FROM a\nARG |X=1\nENV Y=$X\nRUN echo ${X:-0}\n"), "Z")
    assert [(s.start.line, s.start.col, text) for s, text in edits] == [(1, 4, "Z"), (2, 7, "Z"), (3, 11, "Z")]


@pytest.mark.parametrize(
    "fixture",
    ["FROM a\nRUN echo $HO|ME\n", "FROM a\nARG TARGET|ARCH\nRUN echo $TARGETARCH\n", "FR|OM a\n"],
)
def test_nothing_to_rename(fixture: str) -> None:
    assert prepare_variable_rename(*at(fixture)) is None


def test_rename_refuses_a_name_in_use() -> None:
    with pytest.raises(RenameError, match="already used"):
        rename_variable(*at("FROM a\nARG |X=1 Y=2\nRUN echo $X $Y\n"), "Y")
