"""Hover on keywords, flags, mount options, directives and variables."""

from __future__ import annotations

import pytest

from dockerfile_stages.ide.syntax_hover import hover_syntax
from dockerfile_stages.model.stages import build_model
from dockerfile_stages.model.variables import Variables
from dockerfile_stages.syntax.document import Document

from ..conftest import cursor


def hover_text(fixture: str) -> str:
    text, line, col = cursor(fixture)
    document = Document(text)
    model = build_model(document)
    found = hover_syntax(document, line, col, lambda: Variables(document, model))
    return found.markdown if found else ""


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("FR|OM alpine", "https://docs.docker.com/reference/dockerfile/#from"),
        ("FROM alpine\nonbuild RU|N x", "https://docs.docker.com/reference/dockerfile/#run"),
        ("FROM alpine\nCOPY --li|nk a b", "#copy---link"),
        ("FROM alpine\nRUN --network=no|ne x", ""),
        ("FROM alpine\nRUN --mount=type=ca|che,target=/x x", "#run---mounttypecache"),
        ("FROM alpine\nRUN --mount=type=cache,sha|ring=locked x", "`shared`, `private`, `locked`"),
        ("# sy|ntax=docker/dockerfile:1\nFROM alpine", "#syntax"),
        ("FROM alpine\nHEALTHCHECK --inter|val=5s CMD x", "default `30s`"),
    ],
)
def test_docs_link_to_the_reference(fixture: str, expected: str) -> None:
    found = hover_text(fixture)
    assert (expected in found) if expected else found == ""


def test_variable_shows_its_value_where_it_was_set_and_override() -> None:
    found = hover_text("FROM alpine\nARG V=1.2\nENV P=/opt/$V\nRUN echo $P|")
    assert found.splitlines()[0] == "**$P** = `/opt/1.2`" and "ENV, line 3" in found and "--build-arg" not in found


def test_arg_mentions_build_arg_override() -> None:
    assert "`docker build --build-arg V=...` may override it" in hover_text("FROM alpine\nARG V=1\nRUN echo $V|")


def test_variable_in_from_shows_the_global_value() -> None:
    found = hover_text("ARG GO=1.22\nFROM golang:${G|O}-alpine")
    assert found.startswith("**$GO** = `1.22`") and "global ARG" in found


def test_undefined_variable_in_a_stage() -> None:
    found = hover_text("ARG GO=1.22\nFROM golang\nRUN echo $G|O")
    assert found.startswith("**$GO** is not defined here")


def test_definition_counts_its_uses() -> None:
    assert hover_text("FROM alpine\nARG V|=1\nRUN echo $V $V").endswith("used 2 times")
