"""Semantic tokens, decoded back to (text, type[, declaration])."""

from __future__ import annotations

import pytest

from dockerfile_stages.ide.semantic_tokens import TOKEN_TYPES, semantic_tokens
from dockerfile_stages.model.stages import build_model
from dockerfile_stages.syntax.document import Document


def tokens(text: str, first: int = 0, last: int | None = None) -> list[str]:
    document = Document(text, encoding="utf-32")
    data = semantic_tokens(document, build_model(document), first, last)
    found = []
    line = col = 0
    for index in range(0, len(data), 5):
        delta_line, delta_col, length, kind, mods = data[index : index + 5]
        line += delta_line
        col = col + delta_col if delta_line == 0 else delta_col
        word = document.line(line)[col : col + length]
        found.append(f"{word}:{TOKEN_TYPES[kind]}" + ("*" if mods & 1 else ""))
    return found


def test_stages_images_keywords_and_flags() -> None:
    text = (
        "FROM --platform=$BUILDPLATFORM golang:1 AS build\nFROM build\n"
        "COPY --from=build /a /b\nCOPY --from=nginx /c /d\n"
    )
    assert tokens(text) == [
        "FROM:keyword",
        "--platform:parameter",
        "$BUILDPLATFORM:variable",
        "golang:1:type",
        "AS:keyword",
        "build:class*",
        "FROM:keyword",
        "build:class",
        "COPY:keyword",
        "--from:parameter",
        "build:class",
        "COPY:keyword",
        "--from:parameter",
        "nginx:type",
    ]


def test_variables_comments_directives_heredocs_mounts() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n# a comment\nFROM alpine\nARG V=1\n"
        "RUN --mount=type=cache,target=/c <<EOF\necho $V\nEOF\nEXPOSE 80/tcp\n"
    )
    assert tokens(text) == [
        "syntax:macro",
        "docker/dockerfile:1:string",
        "# a comment:comment",
        "FROM:keyword",
        "alpine:type",
        "ARG:keyword",
        "V:variable*",
        "RUN:keyword",
        "--mount:parameter",
        "type:property",
        "cache:string",
        "target:property",
        "/c:string",
        "<<EOF:operator",
        "$V:variable",
        "EOF:operator",
        "EXPOSE:keyword",
        "80/tcp:number",
    ]


def test_variable_inside_a_flag_value_cuts_it() -> None:
    assert tokens("FROM a\nCOPY --chown=$U:g x y\n")[3:] == ["--chown:parameter", "$U:variable", ":g:string"]


def test_quoted_strings_and_heredoc_markers_on_one_line_and_across_lines() -> None:
    text = 'FROM a\nCMD ["sh", "-c"]\nLABEL k="v"\nRUN cat <<EOF <<-"END"\nEOF\nEND\nCMD ["a", \\\n  "b"]\n'
    assert tokens(text)[2:] == [
        "CMD:keyword",
        '"sh":string',
        '"-c":string',
        "LABEL:keyword",
        '"v":string',
        "RUN:keyword",
        "<<EOF:operator",
        '<<-"END":operator',
        "EOF:operator",
        "END:operator",
        "CMD:keyword",
        '"a":string',
        '"b":string',
    ]


def test_comment_inside_a_continuation() -> None:
    assert tokens("FROM a\nRUN x \\\n  # note\n  y\n") == ["FROM:keyword", "a:type", "RUN:keyword", "# note:comment"]


def test_range_keeps_only_its_lines() -> None:
    assert tokens("FROM a\nRUN x\nRUN y\n", 1, 1) == ["RUN:keyword"]


def test_the_fast_paths_say_what_the_general_ones_say(monkeypatch: pytest.MonkeyPatch) -> None:
    """``_flatten`` returns the tokens as found when they are in order and none overlaps the one
    before (most instructions), without sorting; ``_add_word`` and ``_word_start`` read a word's
    columns without making its span on a one-line instruction. The answers are the same as through
    the sort and the spans, on the corpus, on mutated and generated files (fuzzer shapes), in every
    encoding."""
    import random

    from dockerfile_stages.ide import semantic_tokens as module
    from tests.fuzz.analysis import generated, mutate

    from ..conftest import CORPUS, corpus_names, corpus_text

    rng = random.Random(16)
    texts = [corpus_text(name) for name in corpus_names()[:60]] if (CORPUS / "oracle").is_dir() else []
    texts += [mutate(rng.choice(texts), rng) for _ in range(60)] if texts else []
    texts += [generated(rng, long_shapes=False) for _ in range(200)]
    texts += ["FROM a AS b\nCOPY --from= /a /b\nRUN --mount=type=cache,from=,target=/x ${A:-$B} x\n"]
    sorted_always = module._flatten

    def answers() -> list[list[int]]:
        found = []
        for index, text in enumerate(texts):
            document = Document(text, encoding=("utf-16", "utf-8", "utf-32")[index % 3])
            found.append(semantic_tokens(document, build_model(document)))
        return found

    fast = answers()
    monkeypatch.setattr(module, "_in_order", lambda found: False)
    monkeypatch.setattr(
        module, "_add_word", lambda found, word, kind, mods=0: module._add(found, word.span, kind, mods)
    )
    monkeypatch.setattr(module, "_word_start", lambda word: tuple(word.span.start))
    assert module._flatten is sorted_always
    assert answers() == fast
