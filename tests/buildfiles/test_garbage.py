"""Whatever a build file holds (half-typed, binary-ish, huge nesting), reading it gives builds or
nothing, never an exception, and every range it reports lies inside the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfile_stages.model.buildfiles import extract
from dockerfile_stages.model.buildfiles.slots import target_slot

PATHS = [
    "compose.yaml",
    "docker-bake.hcl",
    "docker-bake.json",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "Makefile",
    "justfile",
    "build.sh",
]
PIECES = st.sampled_from(
    [
        "docker build ", "--target ", "--target=", "-f ", '"', "'", "$(", ")", "${", "}", "{{", "}}", "\\\n",
        "\n", "\t", "  ", "services:\n", "  a:\n", "    build:\n", "      target: ", "      context: ",
        'target "x" {\n', "  target = ", "}\n", "inherits = [", "]", "jobs:\n", "  steps:\n", "- run: ", "|\n",
        ">\n", "script:\n", "all:\n", "T ?= x\n", "x := 'y'\n", "é", "日本", "\x00", "&& ", "; ", "*a", "&a ", "<<: ",
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join)


@pytest.mark.parametrize("path", PATHS)
@settings(max_examples=60, deadline=None)
@given(text=TEXTS, cursor=st.integers(min_value=0, max_value=400))
def test_extract_never_fails_and_stays_inside(path: str, text: str, cursor: int) -> None:
    lines = text.split("\n")
    for build in extract(path, text):
        for value in (build.target, build.context.written, build.dockerfile.written):
            if value is not None:
                assert value.span.start <= value.span.end
                assert value.span.end.line < len(lines) and value.span.end.col <= len(lines[value.span.end.line])
    line = min(cursor // 40, len(lines) - 1)
    target_slot(path, text, line, min(cursor % 40, len(lines[line])))


def test_deep_nesting_is_refused_quietly() -> None:
    assert extract("compose.yaml", "[" * 100_000 + "]" * 100_000) == []  # libyaml would crash the process here
    assert extract("docker-bake.hcl", 'target "a" {\n' * 3000) == []


def test_an_unterminated_string_ending_in_a_wide_character() -> None:
    """Found by the generator above: the grammar's string node ends inside a UTF-8 sequence."""
    assert extract("build.sh", '"\x80') == []
    assert extract("build.sh", 'docker build --target "é') == []
    assert extract("docker-bake.hcl", 'target "a" {\n  target = "é') == []
