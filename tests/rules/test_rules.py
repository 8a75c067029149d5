"""One fixture per rule: where it fires, where it must not, and what its fix produces."""

from __future__ import annotations

import pytest

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import RULES, Finding, ids, run_rules
from dockerfile_stages.sizes.snapshot import snapshot_images
from dockerfile_stages.syntax import Document

IMAGES = snapshot_images()  # what the CLI and the server tell the rules exists


def findings(text: str, rule: str, **kwargs: object) -> list[Finding]:
    document = Document(text)
    return [f for f in run_rules(document, build_model(document), images=IMAGES, **kwargs) if f.rule == rule]  # type: ignore[arg-type]


def lines(text: str, rule: str, **kwargs: object) -> list[int]:
    return [f.span.start.line + 1 for f in findings(text, rule, **kwargs)]


def apply_fix(text: str, finding: Finding, which: int = 0) -> str:
    document = Document(text, encoding="utf-32")
    for edit in sorted(finding.fixes[which].edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        document.apply_change(
            edit.span.start.line, edit.span.start.col, edit.span.end.line, edit.span.end.col, edit.text
        )
    return document.text


GO = "FROM golang:1.21 AS builder\nRUN CGO_ENABLED=0 go build -o /app\n"

# (rule, Dockerfile, 1-based lines where it fires; [] = must stay silent)
CASES = [
    ("DS001", "FROM alpine\nENV onlykey\n", [2]),
    ("DS001", "# only a comment\n", [1]),
    ("DS001", "FROM alpine\nRUN <<EOF\nunterminated\n", [2]),
    ("DS100", GO + "FROM scratch\nCOPY --from=buidler /app /app\n", [4]),
    (
        "DS100",
        GO + "FROM scratch\nCOPY --from=docker/buildx-bin /buildx /buildx\nCOPY --from=busybox:1.36 /bin/sh /sh\n",
        [],
    ),
    ("DS100", GO + "FROM scratch\nRUN --mount=type=cache,from=bilder,target=/x true\n", [4]),
    ("DS100", GO + "FROM scratch\nCOPY --from=7 /app /app\n", [4]),
    ("DS100", GO + "FROM scratch\nCOPY --from=alpine /etc/ssl /etc/ssl\nONBUILD COPY --from=downstream /a /a\n", []),
    ("DS101", "FROM alpine AS app\nCOPY --from=app /a /b\n", [2]),
    ("DS102", "FROM alpine\nCOPY --from=later /a /a\nFROM alpine AS later\n", [2]),
    ("DS102", "FROM later AS x\nFROM alpine AS later\n", [1]),
    ("DS103", "FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n", [1]),
    ("DS104", "FROM alpine AS build\nFROM alpine AS BUILD\n", [2]),
    ("DS105", "FROM alpine AS scratch\nFROM alpine AS context\n", [1, 2]),
    ("DS106", "FROM alpine AS 2fast\n", [1]),
    ("DS107", "FROM alpine AS Build\n", [1]),
    ("DS108", "FROM alpine as build\nfrom alpine AS other\nFROM alpine AS fine\n", [1, 2]),
    ("DS109", GO + "FROM scratch\nCOPY --from=0 /app /app\n", [4]),
    ("DS110", GO + "FROM alpine:3.19 AS unused\nFROM scratch\nCOPY --from=builder /app /app\n", [3]),
    ("DS110", "FROM alpine:3.19\n", []),
    ("DS111", "FROM golang:1.21\nCOPY . .\nRUN go build -o /app\n", [1]),
    ("DS111", "FROM maven:3.9-eclipse-temurin-21\nCOPY . .\nRUN mvn package\n", [1]),
    ("DS111", "FROM node:20\nCOPY . .\nRUN npm ci && npm run build\n", [1]),
    ("DS111", "FROM golang:1.21 AS dev\nCOPY . .\nRUN go build -o /app\n", []),
    ("DS111", "FROM golang:1.21\nRUN go install example.com/tool@latest\n", []),
    ("DS111", "FROM node:20\nONBUILD COPY . .\nONBUILD RUN npm ci && npm run build\n", []),
    ("DS111", "FROM buildpack-deps:trixie\nENV PYTHON_VERSION=3.14\nCOPY entry.sh /\n", []),
    ("DS111", "FROM node:20-slim\nRUN npm ci\n", []),
    ("DS111", "FROM eclipse-temurin:21-jre\n", []),
    ("DS111", "FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . .\n", [1]),
    ("DS111", GO + "FROM gcr.io/distroless/static-debian12\nCOPY --from=builder /app /app\n", []),
    ("DS112", "FROM golang:1.21 AS b\nRUN go build -o /app\nFROM scratch\nCOPY --from=b /app /app\n", [4]),
    (
        "DS112",
        "FROM golang:1.21 AS b\nENV CGO_ENABLED=0\nRUN go build -o /app\nFROM scratch\nCOPY --from=b /app /app\n",
        [],
    ),
    ("DS112", "FROM golang:1.21 AS b\nRUN go build -o /app\nFROM debian:12-slim\nCOPY --from=b /app /app\n", []),
    (
        "DS112",
        "FROM golang:1.21 AS b\nENV CGO_ENABLED 0\nRUN go build -o /app\nFROM scratch\nCOPY --from=b /app /app\n",
        [],
    ),
    (
        "DS112",
        "FROM golang:1.21 AS b\nENV A=1 CGO_ENABLED=0\nRUN go build -o /app\nFROM scratch\nCOPY --from=b /app /a\n",
        [],
    ),
    ("DS112", "FROM rust:1 AS b\nRUN cargo build --release\nFROM scratch\nCOPY --from=b /t/app /app\n", []),
    (
        "DS112",
        "FROM golang:1 AS b\nRUN go install x/tool@v1\nRUN tool > /out.txt\nFROM scratch\nCOPY --from=b /out.txt /\n",
        [],
    ),
    ("DS112", "FROM golang:1 AS b\nRUN go install x/tool@v1\nFROM scratch\nCOPY --from=b /go/bin/tool /tool\n", [4]),
    ("DS112", "FROM golang:1-alpine AS b\nRUN go build -o /app\nFROM scratch\nCOPY --from=b /app /app\n", []),
    (
        "DS112",
        "FROM golang:1-alpine AS b\nRUN apk add gcc musl-dev\nRUN go build -o /app\n"
        "FROM scratch\nCOPY --from=b /app /a\n",
        [5],
    ),
    (
        "DS112",
        "FROM golang:1 AS b\nWORKDIR /w\nRUN go build -o app .\nRUN CGO_ENABLED=0 go build -o app .\n"
        "FROM scratch\nCOPY --from=b /w/app /app\n",
        [],
    ),
    ("DS113", GO + "FROM alpine:3.19\nCOPY --from=builder / /\n", [4]),
    ("DS113", "FROM tonistiigi/xx:1.6.1 AS xx\nFROM alpine:3.19\nCOPY --from=xx / /\n", []),
    ("DS114", "FROM golang:${GO_VERSION}\n", [1]),
    ("DS114", "ARG GO_VERSION=1.21\nFROM --platform=$BUILDPLATFORM golang:${GO_VERSION}\n", []),
    ("DS114", "FROM ${A:-${A:-${A:-x}}}:$A\n", [1]),  # one finding per name, not one per use
    ("DS114", "FROM ${A}${B}\n", [1, 1]),
    ("DS115", "ARG TAG\nFROM alpine:${TAG}\n", [2]),
    ("DS115", 'ARG IMAGE="bad image"\nFROM ${IMAGE}\n', [2]),
    ("DS115", "ARG TAG=3.19\nFROM alpine:${TAG}\n", []),
    ("DS116", "FROM alpine\nFROM node:latest\nFROM alpine:3.19\nFROM alpine@sha256:" + "a" * 64 + "\n", [1, 2]),
    ("DS117", "FROM\n", [1]),
    ("DS117", "FROM alpine AS a b\n", [1]),
    # DS150/DS151 report in the files that build a Dockerfile (tests/buildfiles); never in the Dockerfile
    ("DS150", "FROM alpine AS a\nFROM alpine\n", []),
    ("DS151", "FROM alpine AS a\nFROM alpine\n", []),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_exactly_where_expected(rule: str, text: str, expected: list[int]) -> None:
    assert lines(text, rule) == expected


def test_every_rule_has_a_fixture_and_docs() -> None:
    from tests.rules.test_buildkit_checks import CHECK_CASES
    from tests.rules.test_instruction_errors import ERROR_CASES

    covered = {case[0] for case in CASES + CHECK_CASES + ERROR_CASES}
    for rule in RULES:
        assert rule.id in covered, f"{rule.id} has no fixture"
        assert rule.what and rule.why and rule.example and rule.summary and rule.use_instead, rule.id
        assert rule.id in rule.explain() and "Why it matters" in rule.explain()


def test_fixable_is_what_rules_do() -> None:
    """``fixable`` is checked: only fixable rules attach fixes, and each fixable rule has a fixture with one."""
    from tests.rules.test_buildkit_checks import CHECK_CASES
    from tests.rules.test_buildkit_checks import FIXES as CHECK_FIXES
    from tests.rules.test_instruction_errors import ERROR_CASES
    from tests.rules.test_instruction_errors import FIXES as ERROR_FIXES

    texts = [text for _, text, _ in CASES + CHECK_CASES + ERROR_CASES + CHECK_FIXES + ERROR_FIXES]
    fixed = {finding.rule for text in texts for finding in findings_of_all(text) if finding.fixes}
    for rule in RULES:
        if rule.id in BUILD_FILE_RULES:
            continue  # they report in Compose/Bake files: their fixes are checked in tests/buildfiles
        if rule.fixable:
            assert rule.id in fixed, f"{rule.id} says it is fixable but no fixture gets a fix"
        else:
            assert rule.id not in fixed, f"{rule.id} attaches fixes but does not say fixable=True"


BUILD_FILE_RULES = {ids.UNKNOWN_TARGET, ids.MISSING_BUILD_PATH}


def findings_of_all(text: str) -> list[Finding]:
    document = Document(text)
    return run_rules(document, build_model(document), images=IMAGES)


def test_cgo_names_the_stage_as_written() -> None:
    text = "FROM golang:1.21 AS build\nRUN go build -o /app\nFROM scratch\nCOPY --from=0 /app /app\n"
    assert findings(text, "DS112")[0].message.startswith("Stage 'build' builds Go")
    unnamed = "FROM golang:1.21\nRUN go build -o /app\nFROM scratch\nCOPY --from=0 /app /app\n"
    assert findings(unnamed, "DS112")[0].message.startswith("Stage 0 (golang:1.21) builds Go")


def test_did_you_mean_fix() -> None:
    text = GO + "FROM scratch\nCOPY --from=buidler /app /app\n"
    (finding,) = findings(text, "DS100")
    assert "Did you mean 'builder'?" in finding.message
    assert apply_fix(text, finding).endswith("COPY --from=builder /app /app\n")


def test_lowercase_fix_renames_references() -> None:
    text = "FROM alpine AS Build\nRUN true\nFROM Build AS next\nCOPY --from=Build /a /a\n"
    (finding,) = findings(text, "DS107")
    assert apply_fix(text, finding) == "FROM alpine AS build\nRUN true\nFROM build AS next\nCOPY --from=build /a /a\n"


def test_as_casing_fix() -> None:
    text = "FROM alpine as build\n"
    (finding,) = findings(text, "DS108")
    assert apply_fix(text, finding) == "FROM alpine AS build\n"


def test_numeric_reference_fix_names_the_stage() -> None:
    text = (
        "FROM golang:1.21\nRUN go build -o /app\nFROM scratch\n"
        "COPY --from=0 /app /app\nCOPY --from=0 /etc/ssl /etc/ssl\n"
    )
    first = findings(text, "DS109")[0]
    fixed = apply_fix(text, first)
    assert fixed == (
        "FROM golang:1.21 AS builder\nRUN go build -o /app\nFROM scratch\n"
        "COPY --from=builder /app /app\nCOPY --from=builder /etc/ssl /etc/ssl\n"
    )
    assert findings(fixed, "DS109") == []


def test_numeric_reference_name_is_unique() -> None:
    text = "FROM alpine:3.19 AS alpine\nFROM alpine:3.19\nRUN true\nFROM scratch\nCOPY --from=1 /a /a\n"
    (finding,) = findings(text, "DS109")
    assert "FROM alpine:3.19 AS alpine-2\n" in apply_fix(text, finding)


def test_unused_stage_counts_targets() -> None:
    text = GO + "FROM alpine:3.19 AS debug\nFROM scratch\nCOPY --from=builder /app /app\n"
    assert lines(text, "DS110") == [3]
    assert lines(text, "DS110", targets=("debug",)) == []
    assert findings(text, "DS110")[0].unnecessary


def test_suppressions() -> None:
    text = (
        "# check=skip=StageNameCasing,DS116\nFROM alpine AS Build\n"
        "# dockerfile-stages: ignore=DS108\nFROM alpine as b2\nFROM alpine as b3\n"
    )
    document = Document(text)
    got = {(f.rule, f.span.start.line + 1) for f in run_rules(document, build_model(document), images=IMAGES)}
    assert ("DS107", 2) not in got  # skipped by BuildKit's name for the check
    assert not any(rule == "DS116" for rule, _ in got)
    assert ("DS108", 4) not in got and ("DS108", 5) in got


def test_select_and_ignore() -> None:
    document = Document("FROM alpine as Build\n")
    model = build_model(document)
    assert {f.rule for f in run_rules(document, model, select=["DS108"], images=IMAGES)} == {"DS108"}
    assert "DS108" not in {f.rule for f in run_rules(document, model, ignore=["from-as-casing"], images=IMAGES)}
