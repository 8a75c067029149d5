"""Formatting: fixtures for each rule, and over the whole shared corpus, the parse before and after
is the same and a second pass changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfile_stages.ide.formatting import FormatOptions, KeywordCase, format_edits, format_on_type
from dockerfile_stages.model.stages import build_model
from dockerfile_stages.rules.base import Edit
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.lexer import shell_words
from dockerfile_stages.syntax.nodes import Instruction

from ..conftest import corpus_names, corpus_text, needs_corpus


def apply(text: str, edits: list[Edit]) -> str:
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        start, end = edit.span.start, edit.span.end
        assert start.line == end.line, "the formatter edits within one line"
        line = lines[start.line]
        lines[start.line] = line[: start.col] + edit.text + line[end.col :]
    return "\n".join(lines)


def formatted(text: str, options: FormatOptions | None = None) -> str:
    return apply(text, format_edits(Document(text), options or FormatOptions()))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("from alpine AS a\nrun x\nCOPY a b\n", "from alpine as a\nrun x\ncopy a b\n"),
        ("FROM alpine\n  RUN x   \n", "FROM alpine\nRUN x\n"),
        ("FROM alpine\nRUN a && \\\nb && \\\n\t\tc\n", "FROM alpine\nRUN a && \\\n    b && \\\n    c\n"),
        ('FROM alpine\nRUN echo "a \\\n   b"\n', 'FROM alpine\nRUN echo "a \\\n   b"\n'),
        ("FROM alpine\nRUN <<EOF\n  indented   \nEOF\n", "FROM alpine\nRUN <<EOF\n  indented   \nEOF\n"),
        ("FROM alpine\nonbuild run x\nRUN y\nRUN z\n", "FROM alpine\nONBUILD RUN x\nRUN y\nRUN z\n"),
        ("# escape=`\nFROM alpine\nRUN a `\n b\n", "# escape=`\nFROM alpine\nRUN a `\n    b\n"),
        ("FROM alpine\nRUN a \\\n# note\n        b\n", "FROM alpine\nRUN a \\\n    # note\n    b\n"),
    ],
)
def test_rules(before: str, after: str) -> None:
    assert formatted(before) == after


def test_indent_and_casing_settings() -> None:
    options = FormatOptions(indent="\t", keyword_case=KeywordCase.KEEP)
    assert formatted("from a\nRUN a \\\n  b\n", options) == "from a\nRUN a \\\n\tb\n"


def test_range_formats_only_the_lines_in_it() -> None:
    text = "from a\n  run b\n  run c\n"
    document = Document(text)
    assert apply(text, format_edits(document, FormatOptions(), 1, 1)) == "from a\nrun b\n  run c\n"


def test_on_type_after_the_escape_character_indents_the_new_line() -> None:
    document = Document("FROM a\nRUN a \\\n\n")
    assert [(e.span.start.line, e.text) for e in format_on_type(document, 2, FormatOptions())] == [(2, "    ")]


def _parse(text: str) -> list[object]:
    document = Document(text)
    found: list[object] = []
    for _, node in document.nodes():
        if not isinstance(node, Instruction):
            continue
        found.append(_shape(node))
    model = build_model(document)
    found += [(s.index, s.name, s.base, s.platform, s.start_line, s.end_line) for s in model.stages]
    return found


def _shape(node: Instruction) -> object:
    value: object = node.value
    if node.cmd in ("RUN", "CMD", "ENTRYPOINT") and not node.json and len(node.value) == 1:
        value = shell_words(node.value[0], raw_quotes=True, skip_unset=True) or node.value
    if node.cmd == "FROM" and len(node.value) >= 3 and node.value[1].lower() == "as":
        value = (node.value[0], "AS", *node.value[2:])  # BuildKit reads AS in any case
    sub = _shape(node.sub) if node.sub is not None else None
    heredocs = [(h.name, h.content, h.chomp, h.expand) for h in node.heredocs]
    return (node.cmd, [f.text for f in node.flags], value, node.json, heredocs, sub, node.line_count)


@needs_corpus
@pytest.mark.parametrize("name", corpus_names())
def test_corpus_parse_is_unchanged_and_formatting_is_idempotent(name: str) -> None:
    text = corpus_text(name)
    once = formatted(text)
    assert _parse(once) == _parse(text)
    assert formatted(once) == once


_PIECES = [
    "FROM a", "RUN ", "COPY ", "ENV A=b ", "ENV A b ", 'LABEL x="y z" ', "USER u", "WORKDIR /w ", "  ", "\t",
    "$X", '"', "'", "\\\n", "\n", "# c\n", "<<EOF\n", "EOF\n", "x", "y z", "run ", "from b as c\n", '["a", "b"]',
    "onbuild run ", "\\ \n",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=25).map("".join))
def test_random_fragments_keep_their_parse(text: str) -> None:
    once = formatted(text)
    assert _parse(once) == _parse(text)
    assert formatted(once) == once


def test_a_range_is_the_whole_answer_within_it() -> None:
    """Ranges at the edges and beyond them (a last line before the first, lines past the end, a
    negative first): the edits of the whole file that start on the range's lines, no more."""
    import random

    from tests.fuzz.analysis import generated

    rng = random.Random(16)
    texts = [generated(rng, long_shapes=False) for _ in range(120)]
    texts += ["FROM a  \n  run x \\\n   y  \n\n\t\n", "", "\n", "RUN a\\\n"]
    for text in texts:
        document = Document(text)
        options = FormatOptions(keyword_case=rng.choice(list(KeywordCase)))
        whole = format_edits(document, options)
        for _ in range(6):
            first, last = rng.randrange(-3, document.line_count + 3), rng.randrange(-3, document.line_count + 3)
            expected = [edit for edit in whole if first <= edit.span.start.line <= last]
            assert format_edits(document, options, first, last) == expected, (text, first, last)
