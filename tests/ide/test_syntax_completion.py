"""Completion of keywords, flags, values, mount options, directives and variables."""

from __future__ import annotations

import pytest

from dockerfile_stages.syntax.nodes import Pos, Span

from .helpers import completions, labels


def test_empty_line_offers_every_instruction_as_a_snippet() -> None:
    found = completions("FROM alpine\n|\n")
    assert {c.label for c in found} >= {"FROM", "RUN", "COPY", "HEALTHCHECK", "ONBUILD", "SHELL", "MAINTAINER"}
    assert next(c for c in found if c.label == "FROM").insert == "FROM ${1:image} AS ${2:name}"


def test_keywords_follow_the_files_casing() -> None:
    found = completions("from alpine as a\nrun x\nCOPY a b\n|\n")
    assert next(c for c in found if c.label == "from").insert == "from ${1:image} as ${2:name}"


def test_partial_keyword_is_replaced_whole() -> None:
    found = completions("FROM alpine\nCO|PY\n")
    assert next(c for c in found if c.label == "COPY").replace == Span(Pos(1, 0), Pos(1, 4))


def test_after_onbuild_the_forbidden_instructions_are_left_out() -> None:
    found = labels("FROM alpine\nONBUILD |\n")
    assert "RUN" in found and not {"FROM", "ONBUILD", "MAINTAINER"} & set(found)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("FROM --|", ["--platform"]),
        ("FROM alpine\nCOPY --|", ["--from", "--chmod", "--chown", "--link", "--parents", "--exclude"]),
        ("FROM alpine\nADD --c|", ["--checksum", "--chmod", "--chown"]),
        ("FROM alpine\nRUN --|", ["--mount", "--network", "--security", "--device"]),
        (
            "FROM alpine\nHEALTHCHECK --|",
            ["--interval", "--timeout", "--start-period", "--start-interval", "--retries"],
        ),
        ("FROM alpine\nCOPY --link --|", ["--from", "--chmod", "--chown", "--parents", "--exclude"]),
        ("FROM alpine\nCOPY --exclude=a --|", ["--from", "--chmod", "--chown", "--link", "--parents", "--exclude"]),
        ("FROM alpine\nCOPY a --|", []),
    ],
)
def test_flags(fixture: str, expected: list[str]) -> None:
    assert labels(fixture) == expected


def test_from_dashes_offers_flags_not_stages() -> None:
    found = completions("FROM alpine AS builder\nFROM --|\n")
    assert [(c.label, c.insert, c.replace) for c in found] == [
        ("--platform", "--platform=", Span(Pos(1, 5), Pos(1, 7)))
    ]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("FROM alpine\nRUN --network=|", ["default", "none", "host"]),
        ("FROM alpine\nRUN --security=i|", ["insecure"]),
        ("FROM --platform=linux/a|", ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6"]),
        ("FROM alpine\nCOPY --link=|", ["true", "false"]),
    ],
)
def test_flag_values(fixture: str, expected: list[str]) -> None:
    assert labels(fixture) == expected


def test_platform_values_include_the_build_platform() -> None:
    assert "$BUILDPLATFORM" in labels("FROM --platform=|")


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("FROM alpine\nRUN --mount=|", ["type", "target", "source", "from", "readwrite", "readonly"]),
        ("FROM alpine\nRUN --mount=type=|", ["bind", "cache", "tmpfs", "secret", "ssh"]),
        ("FROM alpine\nRUN --mount=type=cache,s|", ["sharing", "source"]),
        ("FROM alpine\nRUN --mount=type=cache,sharing=|", ["shared", "private", "locked"]),
        ("FROM alpine\nRUN --mount=type=secret,|", ["id", "target", "env", "required", "mode", "uid", "gid"]),
        ("FROM alpine\nRUN --mount=type=tmpfs,target=/t,|", ["size"]),
    ],
)
def test_mount_options(fixture: str, expected: list[str]) -> None:
    assert labels(fixture) == expected


def test_mount_from_offers_stages() -> None:
    assert labels("FROM alpine AS a\nFROM alpine\nRUN --mount=type=cache,from=|,target=/x") == ["a"]


def test_copy_from_still_offers_stages() -> None:
    assert labels("FROM alpine AS a\nFROM alpine\nCOPY --from=| x y") == ["a"]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("# |\nFROM alpine", ["syntax=", "escape=", "check="]),
        ("# syntax=docker/dockerfile:1\n# |\nFROM alpine", ["escape=", "check="]),
        (
            "# syntax=|\nFROM alpine",
            ["docker/dockerfile:1", "docker/dockerfile:1-labs", "docker/dockerfile-upstream:master"],
        ),
        ("# check=|\nFROM alpine", ["skip=", "error="]),
        ("# check=skip=Undef|\nFROM alpine", ["UndefinedArgInFrom", "UndefinedVar"]),
        ("# check=skip=all;error=|\nFROM alpine", ["true", "false"]),
        ("FROM alpine\n# |", []),
    ],
)
def test_directives(fixture: str, expected: list[str]) -> None:
    assert labels(fixture) == expected


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "ARG V=1\nFROM alpine:$|",
            [
                "V",
                "BUILDARCH",
                "BUILDOS",
                "BUILDPLATFORM",
                "BUILDVARIANT",
                "TARGETARCH",
                "TARGETOS",
                "TARGETPLATFORM",
                "TARGETVARIANT",
            ],
        ),
        (
            "ARG V=1\nFROM alpine\nENV E=2\nRUN echo ${|",
            [
                "E",
                "ALL_PROXY",
                "FTP_PROXY",
                "HTTPS_PROXY",
                "HTTP_PROXY",
                "NO_PROXY",
                "all_proxy",
                "ftp_proxy",
                "http_proxy",
                "https_proxy",
                "no_proxy",
            ],
        ),
        ("ARG V=1\nFROM alpine\nARG V\nARG A=x\nWORKDIR /$|", ["A", "V"]),
        ("FROM alpine\nARG A=x\nENV E=1\nCMD echo $|", ["E"]),
        ("FROM alpine\nARG A=x\nWORKDIR \\$|", []),
    ],
)
def test_variables_in_scope(fixture: str, expected: list[str]) -> None:
    assert labels(fixture) == expected


def test_variable_detail_is_its_value_and_braces_close() -> None:
    found = completions("FROM alpine\nARG VERSION=1.2\nRUN echo ${VE|")
    assert [(c.label, c.detail, c.insert, c.replace) for c in found] == [
        ("VERSION", "`1.2`", "VERSION}", Span(Pos(2, 11), Pos(2, 13)))
    ]


def test_healthcheck_then_cmd_or_none() -> None:
    assert labels("FROM alpine\nHEALTHCHECK --interval=5s |") == ["CMD", "NONE"]


def test_arg_names_offer_global_and_platform_args() -> None:
    found = labels("ARG GO_VERSION=1.22\nFROM golang\nARG |")
    assert found[0] == "GO_VERSION" and "TARGETARCH" in found


def test_from_with_nothing_typed_offers_stages_and_images() -> None:
    assert labels("FROM alpine AS base\nFROM |", images=("debian:12",)) == ["base", "debian:12"]
