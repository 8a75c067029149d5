"""The invariant: after any sequence of edits the incremental tree equals a fresh parse."""

from __future__ import annotations

import os
from itertools import accumulate
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerfile_stages.syntax import Document, parse_lines, split_lines
from dockerfile_stages.syntax import document as document_module
from dockerfile_stages.syntax.nodes import Instruction, Node

from .conftest import corpus_names, corpus_text, needs_corpus
from .strategies import EDIT_TEXT, dockerfiles

EXAMPLES = int(os.environ.get("DS_PROPERTY_EXAMPLES", "150"))
SLOW_EXAMPLES = int(os.environ.get("DS_PROPERTY_SLOW_EXAMPLES", "3000"))


@st.composite
def edit_sequences(draw: st.DrawFn, text: str) -> list[tuple[int, int, int, int, str]]:
    """Edits as (start offset, end offset) into the text as it is at each step, plus new text."""
    edits = []
    length = len(text)
    for _ in range(draw(st.integers(1, 8))):
        start = draw(st.integers(0, length))
        end = draw(st.integers(start, min(length, start + draw(st.sampled_from([0, 1, 3, 40])))))
        new = draw(EDIT_TEXT)
        edits.append((start, end, 0, 0, new))
        length += len(new) - (end - start)
    return edits


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def _outside_crlf(text: str, offset: int) -> int:
    """LSP positions cannot point between "\r" and "\n": move such an offset before the "\r"."""
    offset = min(offset, len(text))
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return offset - 1
    return offset


def _keyword(node: Node) -> tuple[int, str] | None:
    return (node.line_count, node.cmd) if isinstance(node, Instruction) else None


def apply_and_check(text: str, edits: list[tuple[int, int, int, int, str]]) -> None:
    document = Document(text, encoding="utf-32")
    document.select("test:keywords", _keyword)  # kept up to date edit by edit from here on
    expected = text
    for start, end, _, _, new in edits:
        start, end = _outside_crlf(expected, start), _outside_crlf(expected, end)
        start_pos = _position(expected, start)
        end_pos = _position(expected, end)
        document.apply_change(*start_pos, *end_pos, new)
        expected = expected[:start] + new + expected[end:]
        assert document.text == expected
        fresh, escape = parse_lines(split_lines(expected))
        assert document.tree_nodes() == fresh
        assert document.escape == escape
        assert sum(node.line_count for node in fresh) == document.line_count
        picked = [(line, _keyword(node)) for line, node in document.nodes() if _keyword(node) is not None]
        assert list(document.select("test:keywords", _keyword)) == picked
        assert [line for line, _ in document.nodes()] == [0, *accumulate(node.line_count for node in fresh)][:-1]


@given(data=st.data(), text=dockerfiles())
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_edits_on_generated_documents(data: st.DataObject, text: str) -> None:
    apply_and_check(text, data.draw(edit_sequences(text)))


@pytest.mark.slow
@given(data=st.data(), text=dockerfiles())
@settings(max_examples=SLOW_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_edits_on_generated_documents_slow(data: st.DataObject, text: str) -> None:
    apply_and_check(text, data.draw(edit_sequences(text)))


@given(data=st.data(), text=dockerfiles())
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_edits_across_small_chunks(data: st.DataObject, text: str) -> None:
    """Chunks of 2 nodes: edits replace, split and renumber chunks, and the selections follow."""
    with mock.patch.object(document_module, "CHUNK", 2):
        apply_and_check(text, data.draw(edit_sequences(text)))


CORPUS_SAMPLE = corpus_names()[::7]


@needs_corpus
@given(data=st.data())
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_edits_on_corpus_files(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(CORPUS_SAMPLE or ["none"]))
    text = corpus_text(name)
    apply_and_check(text, data.draw(edit_sequences(text)))


def test_edit_that_opens_a_heredoc_swallows_following_lines() -> None:
    text = "FROM a\nRUN x\nhello\nEOF\nRUN y\n"
    apply_and_check(text, [(12, 12, 0, 0, " <<EOF")])
    document = Document(text)
    document.apply_change(1, 5, 1, 5, " <<EOF")
    _, node = document.node_at(1)
    assert node.line_count == 3


def test_edit_at_end_extends_an_open_continuation() -> None:
    text = "FROM a\nRUN x \\\n"
    apply_and_check(text, [(len(text), len(text), 0, 0, "  && y")])


def test_escape_directive_change_reparses_everything() -> None:
    text = "# escape=\\\nFROM a\nRUN x `\n  y\n"
    apply_and_check(text, [(9, 10, 0, 0, "`")])
    document = Document(text)
    document.apply_change(0, 9, 0, 10, "`")
    assert document.escape == "`"
    _, node = document.node_at(2)
    assert node.line_count == 2


def test_lines_stay_lossless() -> None:
    text = "\ufeffFROM a\r\nRUN b \\\r\n c\r\n# end"
    document = Document(text)
    assert document.text == text
    assert sum(node.line_count for _, node in document.nodes()) == document.line_count
