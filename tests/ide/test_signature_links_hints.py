"""Signature help, document links, inlay hints and selection ranges."""

from __future__ import annotations

import pytest

from dockerfile_stages.ide.inlay_hints import inlay_hints
from dockerfile_stages.ide.links import document_links
from dockerfile_stages.ide.selection import selection_chain
from dockerfile_stages.ide.signature_help import signature_help
from dockerfile_stages.model.stages import build_model
from dockerfile_stages.syntax.document import Document

from ..conftest import cursor


def active(fixture: str) -> str:
    """The active signature with the active parameter in brackets."""
    text, line, col = cursor(fixture)
    found = signature_help(Document(text), line, col)
    if found is None:
        return ""
    signature = found.signatures[found.active_signature]
    param = signature.parameters[found.active_parameter]
    return (
        signature.label[: param.start]
        + "[["
        + signature.label[param.start : param.end]
        + "]]"
        + signature.label[param.end :]
    )


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("FROM |", "FROM [--platform=<platform>] [[<image>[:<tag>|@<digest>]]] [AS <name>]"),
        ("FROM golang AS |", "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS [[<name>]]]"),
        ("FROM a\nCOPY --from=b src |", "COPY [OPTIONS] <src> ... [[<dest>]]"),
        ("FROM a\nCOPY |", "COPY [OPTIONS] [[<src>]] ... <dest>"),
        (
            "FROM a\nENV A=|",
            "ENV [[<key>]]=<value> [<key>=<value>...]".replace("[[<key>]]=<value>", "<key>=[[<value>]]"),
        ),
        ("FROM a\nEXPOSE 80/|", "EXPOSE <port>[[[/<protocol>]]] ..."),
        ("FROM a\nUSER app:|", "USER <user>[[[:<group>]]]"),
        ("FROM a\nHEALTHCHECK --interval=5s CMD |", "HEALTHCHECK [OPTIONS] CMD [[<command>]]"),
        ('FROM a\nCMD ["run", |', 'CMD ["<executable>", [["<param>"]], ...]'),
        ("FROM a\nRU|N x", ""),
    ],
)
def test_signature_help(fixture: str, expected: str) -> None:
    assert active(fixture) == expected


def test_links_to_registry_pages() -> None:
    text = (
        "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS b\nFROM ghcr.io/o/app\nFROM quay.io/x/y:1\n"
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\nFROM gcr.io/distroless/static\nFROM bitnami/redis\nFROM b\n"
        "COPY --from=nginx:1 /a /b\n"
    )
    document = Document(text)
    assert [link.target for link in document_links(document, build_model(document))] == [
        "https://hub.docker.com/r/docker/dockerfile",
        "https://hub.docker.com/_/golang",
        "https://ghcr.io/o/app",
        "https://quay.io/repository/x/y",
        "https://mcr.microsoft.com/en-us/artifact/mar/dotnet/sdk",
        "https://gcr.io/distroless/static",
        "https://hub.docker.com/r/bitnami/redis",
        "https://hub.docker.com/_/nginx",
    ]


def test_inlay_hints_resolve_from_and_name_numbered_stages() -> None:
    document = Document("ARG V=3.20\nFROM alpine:${V} AS base\nFROM scratch\nCOPY --from=0 /a /b\n")
    assert [(h.position.line, h.label) for h in inlay_hints(build_model(document), 0, 10)] == [
        (1, " = alpine:3.20"),
        (3, " (base)"),
    ]


def test_selection_grows_from_word_to_file() -> None:
    text, line, col = cursor("FROM a AS b\nRUN --mount=type=cache,tar|get=/x make\n")
    document = Document(text)
    chain = selection_chain(document, build_model(document), line, col)
    assert [(s.start.line, s.start.col, s.end.line, s.end.col) for s in chain] == [
        (1, 23, 1, 32),
        (1, 12, 1, 32),
        (1, 4, 1, 32),
        (1, 0, 1, 37),
        (0, 0, 1, 37),
        (0, 0, 2, 0),
    ]
