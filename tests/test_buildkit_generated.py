"""Our parse against BuildKit's parser (PyPI ``dockerfile``, Go) on generated Dockerfiles,
and against dockerfile-parse where that library handles the input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from dockerfile_stages.rules.parse_error import parse_problems
from dockerfile_stages.syntax import Document, Instruction

from .strategies import dockerfiles, fragments

dockerfile = pytest.importorskip("dockerfile", reason="the PyPI package 'dockerfile' (BuildKit's parser) is missing")


def _ours(text: str) -> list[dict[str, Any]] | None:
    document = Document(text)
    if parse_problems(document):
        return None
    result = []
    for line, node in document.nodes():
        if not isinstance(node, Instruction):
            continue
        value = list(node.value)
        if node.cmd in ("ENV", "LABEL"):
            value = [item for position, item in enumerate(value) if position % 3 != 2]
        result.append(
            {
                "cmd": node.cmd,
                "start": line + 1,
                "end": line + node.line_count,
                "flags": [flag.text for flag in node.flags],
                "value": value if node.sub is None else None,
                "heredocs": [(doc.name, doc.content) for doc in node.heredocs] if node.sub is None else [],
            }
        )
    return result


def _buildkit(text: str) -> list[dict[str, Any]] | None:
    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return None
    return [
        {
            "cmd": (command.cmd or "").upper(),
            "start": command.start_line,
            "end": command.end_line,
            "flags": list(command.flags),  # for ONBUILD: its own flags
            "value": list(command.value) if command.sub_cmd is None else None,
            "heredocs": [(doc.name, doc.content) for doc in command.heredocs] if command.sub_cmd is None else [],
        }
        for command in commands
    ]


@given(text=dockerfiles())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_dockerfiles_parse_as_buildkit_parses_them(text: str) -> None:
    assert _ours(text) == _buildkit(text)


def test_dockerfile_parse_agrees_on_plain_files() -> None:
    """dockerfile-parse as a second reference on what it handles (no heredocs, known variables)."""
    from dockerfile_parse import DockerfileParser

    text = "FROM golang:1.21 AS builder\nRUN go build \\\n  -o /app\nFROM scratch\nCOPY --from=builder /app /app\n"
    parser = DockerfileParser(fileobj=__import__("io").BytesIO(text.encode()))
    theirs = [(item["instruction"], item["startline"], item["endline"]) for item in parser.structure]
    document = Document(text)
    ours = [
        (node.cmd, line, line + node.line_count - 1) for line, node in document.nodes() if isinstance(node, Instruction)
    ]
    assert ours == theirs
    assert [stage["value"].split()[0] for stage in parser.structure if stage["instruction"] == "FROM"] == [
        "golang:1.21",
        "scratch",
    ]


@given(text=fragments)
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_fragments_parse_as_buildkit_parses_them(text: str) -> None:
    assert _ours(text) == _buildkit(text)
