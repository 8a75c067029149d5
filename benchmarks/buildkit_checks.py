"""Each BuildKit build check and each instruction error BuildKit raises, on an example of the kind its
documentation gives: do we detect it?

    python benchmarks/buildkit_checks.py

Prints a table: the BuildKit name (check) or error, our rule, and whether our rule fires on the
example's line. The examples are written after the "Bad" examples of Docker's "Build checks"
reference and the errors of its Dockerfile reference; experimental checks are selected explicitly,
CopyIgnoredFile is given `.dockerignore` patterns as the command line and the editor read them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import RULES, run_rules
from dockerfile_stages.syntax import Document


@dataclass(frozen=True)
class Example:
    name: str  # BuildKit's check name, or the error it raises
    text: str
    line: int  # 1-based line of the mistake; 0: nothing to detect (not knowable without a registry)
    ignore_patterns: tuple[str, ...] = ()


CHECKS = (
    Example("StageNameCasing", "FROM alpine AS BuilderBase\n", 1),
    Example("FromAsCasing", "FROM debian:latest as builder\n", 1),
    Example("NoEmptyContinuation", "FROM alpine\nEXPOSE \\\n\n80\n", 3),
    Example("ConsistentInstructionCasing", "FROM alpine\nRUN echo hello\nrun echo world\nRUN echo !\n", 3),
    Example("DuplicateStageName", "FROM debian:latest AS builder\nRUN true\nFROM golang:latest AS builder\n", 3),
    Example("ReservedStageName", "FROM alpine AS scratch\n", 1),
    Example("JSONArgsRecommended", "FROM alpine\nENTRYPOINT my-program start\n", 2),
    Example("MaintainerDeprecated", "FROM alpine\nMAINTAINER moby@example.com\n", 2),
    Example("UndefinedArgInFrom", "FROM node:22${VARIANT} AS dev\n", 1),
    Example("WorkdirRelativePath", "FROM alpine\nWORKDIR app\n", 2),
    Example("UndefinedVar", "FROM alpine AS base\nCOPY $foo .\n", 2),
    Example(
        "MultipleInstructionsDisallowed", 'FROM alpine\nENTRYPOINT ["echo", "Hello"]\nENTRYPOINT ["echo", "x"]\n', 2
    ),
    Example("LegacyKeyValueFormat", "FROM alpine\nENV DEPS curl git make\n", 2),
    Example("InvalidBaseImagePlatform", "FROM --platform=linux/arm64 some/amd64-only-image\n", 0),
    Example("RedundantTargetPlatform", "FROM --platform=$TARGETPLATFORM alpine AS builder\n", 1),
    Example("SecretsUsedInArgOrEnv", 'FROM scratch\nARG AWS_SECRET_ACCESS_KEY="xyz"\n', 2),
    Example("InvalidDefaultArgInFrom", "ARG TAG\nFROM busybox:${TAG}\n", 2),
    Example("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 alpine AS base\n", 1),
    Example("CopyIgnoredFile", "FROM scratch\nCOPY Dockerfile .\n", 2, ("Dockerfile",)),
    Example("InvalidDefinitionDescription", "# a non-descriptive comment\nFROM scratch AS base\n", 1),
    Example("ExposeProtoCasing", "FROM alpine\nEXPOSE 80/TcP\n", 2),
    Example("ExposeInvalidFormat", "FROM alpine\nEXPOSE 127.0.0.1:80:80\n", 2),
)
ERRORS = (
    Example("unknown instruction", "FROM alpine\nRUNN echo hi\n", 2),
    Example("unknown flag", "FROM alpine\nCOPY --form=build /a /a\n", 2),
    Example("expecting boolean value for flag", "FROM alpine\nCOPY --link=yes a /a\n", 2),
    Example("missing a value on flag", "FROM alpine\nCOPY --chown a /a\n", 2),
    Example("duplicate flag specified", "FROM alpine\nCOPY --chown=1 --chown=2 a /a\n", 2),
    Example("time: invalid duration", "FROM alpine\nHEALTHCHECK --interval=abc CMD true\n", 2),
    Example("Interval cannot be less than 1ms", "FROM alpine\nHEALTHCHECK --interval=1us CMD true\n", 2),
    Example("--retries cannot be negative", "FROM alpine\nHEALTHCHECK --retries=-2 CMD true\n", 2),
    Example("invalid chmod", "FROM alpine\nCOPY --chmod=rwx a /a\n", 2),
    Example("unsupported network mode", "FROM alpine\nRUN --network=bridge true\n", 2),
    Example("unsupported security mode", "FROM alpine\nRUN --security=privileged true\n", 2),
    Example("unsupported mount type", "FROM alpine\nRUN --mount=type=volume,target=/v true\n", 2),
    Example("unexpected key in mount", "FROM alpine\nRUN --mount=type=cache,dest=/c true\n", 2),
    Example("unexpected key for mount type", "FROM alpine\nRUN --mount=type=bind,size=1m,target=/b true\n", 2),
    Example("invalid mount field value", "FROM alpine\nRUN --mount=type=cache,target=/c,uid=root true\n", 2),
    Example("requires at least two arguments (COPY)", "FROM alpine\nCOPY app.jar\n", 2),
    Example("requires exactly one argument (WORKDIR)", "FROM alpine\nWORKDIR\n", 2),
    Example("requires at least one argument (EXPOSE)", "FROM alpine\nEXPOSE\n", 2),
    Example("no build stage in current context", "RUN echo hi\nFROM alpine\n", 1),
    Example("dockerfile contains no stages to build", "ARG A=1\n", 1),
    Example("file with no instructions", "", 1),
    Example("invalid containerPort / invalid proto", "FROM alpine\nEXPOSE 80/http\n", 2),
    Example("SHELL requires the arguments to be in JSON form", "FROM alpine\nSHELL /bin/bash -c\n", 2),
    Example("FROM isn't allowed as an ONBUILD trigger", "FROM alpine\nONBUILD FROM alpine\n", 2),
    Example("Chaining ONBUILD via ONBUILD ONBUILD", "FROM alpine\nONBUILD ONBUILD RUN x\n", 2),
    Example("MAINTAINER isn't allowed as an ONBUILD trigger", "FROM alpine\nONBUILD MAINTAINER me\n", 2),
    Example("HEALTHCHECK NONE takes no arguments", "FROM alpine\nHEALTHCHECK NONE CMD true\n", 2),
    Example("Unknown type in HEALTHCHECK", "FROM alpine\nHEALTHCHECK TCP 80\n", 2),
    Example("Missing command after HEALTHCHECK CMD", "FROM alpine\nHEALTHCHECK CMD\n", 2),
    Example("failed to parse signal", "FROM alpine\nSTOPSIGNAL SIGFOO\n", 2),
    Example("FROM requires either one or three arguments", "FROM alpine AS a b\n", 1),
    Example("invalid name for build stage", "FROM alpine AS 1st\n", 1),
    Example("ENV must have two arguments", "FROM alpine\nENV ONLYKEY\n", 2),
    Example("can't find = in (ENV a=b c)", "FROM alpine\nENV a=b c\n", 2),
    Example("unterminated heredoc", "FROM alpine\nRUN <<EOF\necho\n", 2),
    Example("invalid escape token", "# escape=x\nFROM alpine\n", 1),
    Example("JSON form with single quotes (silently a shell form)", "FROM alpine\nCMD ['a', 'b']\n", 2),
)


def _detected(example: Example) -> list[str]:
    document = Document(example.text, encoding="utf-32")
    every = [rule.id for rule in RULES]
    found = run_rules(
        document,
        build_model(document),
        select=every,
        ignore=["DS110", "DS116"],
        ignore_patterns=example.ignore_patterns,
    )
    return sorted({f.rule for f in found if f.span.start.line + 1 == example.line})


def _table(title: str, examples: tuple[Example, ...]) -> int:
    print(f"\n| {title} | detected | by |\n| --- | --- | --- |")
    hits = 0
    for example in examples:
        rules = _detected(example) if example.line else []
        hits += bool(rules)
        verdict = "yes" if rules else ("no (needs the image)" if not example.line else "no")
        print(f"| {example.name} | {verdict} | {', '.join(rules)} |")
    print(f"\n{hits} of {len(examples)} detected")
    return hits


def main() -> None:
    checks = _table("BuildKit check", CHECKS)
    errors = _table("BuildKit error", ERRORS)
    sys.exit(0 if checks >= len(CHECKS) - 1 and errors == len(ERRORS) else 1)


if __name__ == "__main__":
    main()
