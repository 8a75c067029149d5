"""One-mistake Dockerfiles: each has one thing BuildKit refuses or one of its build checks flags.

Shared by ``peer_diagnostics.py`` (ours against the peer server) and the tests that keep our
column complete. ``line`` is the 1-based line of the mistake.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    line: int
    refused: bool  # BuildKit refuses the file (otherwise: one of its build checks warns)


CASES: tuple[Case, ...] = (
    Case("unknown instruction", "FROM alpine:3.19\nRUNN echo hi\n", 2, True),
    Case("unknown COPY flag", "FROM alpine:3.19 AS b\nFROM alpine:3.19\nCOPY --form=b /a /a\n", 3, True),
    Case("unknown FROM flag", "FROM --plataform=linux/amd64 alpine:3.19\n", 1, True),
    Case("unknown flag on WORKDIR", "FROM alpine:3.19\nWORKDIR --parents /app\n", 2, True),
    Case("EXPOSE without port", "FROM alpine:3.19\nEXPOSE\n", 2, True),
    Case("EXPOSE bad protocol", "FROM alpine:3.19\nEXPOSE 80/http\n", 2, True),
    Case("EXPOSE not a port", "FROM alpine:3.19\nEXPOSE abc\n", 2, True),
    Case("EXPOSE port out of range", "FROM alpine:3.19\nEXPOSE 70000\n", 2, True),
    Case("no FROM", "RUN echo hi\n", 1, True),
    Case("instruction before FROM", "RUN echo hi\nFROM alpine:3.19\n", 1, True),
    Case("garbage text", "this is not a dockerfile\n", 1, True),
    Case("empty file", "", 1, True),
    Case("ONBUILD FROM", "FROM alpine:3.19\nONBUILD FROM alpine:3.19\n", 2, True),
    Case("ONBUILD ONBUILD", "FROM alpine:3.19\nONBUILD ONBUILD RUN true\n", 2, True),
    Case("ONBUILD MAINTAINER", "FROM alpine:3.19\nONBUILD MAINTAINER me\n", 2, True),
    Case("SHELL not JSON", "FROM alpine:3.19\nSHELL /bin/sh -c\n", 2, True),
    Case("STOPSIGNAL bogus", "FROM alpine:3.19\nSTOPSIGNAL SIGBOGUS\n", 2, True),
    Case("STOPSIGNAL missing", "FROM alpine:3.19\nSTOPSIGNAL\n", 2, True),
    Case("HEALTHCHECK bad interval", "FROM alpine:3.19\nHEALTHCHECK --interval=abc CMD true\n", 2, True),
    Case("HEALTHCHECK interval too short", "FROM alpine:3.19\nHEALTHCHECK --timeout=10us CMD true\n", 2, True),
    Case("HEALTHCHECK negative retries", "FROM alpine:3.19\nHEALTHCHECK --retries=-1 CMD true\n", 2, True),
    Case("HEALTHCHECK NONE with args", "FROM alpine:3.19\nHEALTHCHECK NONE CMD true\n", 2, True),
    Case("HEALTHCHECK unknown type", "FROM alpine:3.19\nHEALTHCHECK CONNECT localhost\n", 2, True),
    Case("HEALTHCHECK CMD without command", "FROM alpine:3.19\nHEALTHCHECK CMD\n", 2, True),
    Case("COPY without destination", "FROM alpine:3.19\nCOPY app.jar\n", 2, True),
    Case("ADD without destination", "FROM alpine:3.19\nADD app.tar\n", 2, True),
    Case("WORKDIR without path", "FROM alpine:3.19\nWORKDIR\n", 2, True),
    Case("USER without name", "FROM alpine:3.19\nUSER\n", 2, True),
    Case("ENV without value", "FROM alpine:3.19\nENV ONLYKEY\n", 2, True),
    Case("LABEL without value", "FROM alpine:3.19\nLABEL onlykey\n", 2, True),
    Case("ARG without name", "FROM alpine:3.19\nARG\n", 2, True),
    Case("VOLUME empty string", 'FROM alpine:3.19\nVOLUME [""]\n', 2, True),
    Case("FROM without image", "FROM\n", 1, True),
    Case("FROM with extra words", "FROM alpine:3.19 AS a b\n", 1, True),
    Case("invalid stage name", "FROM alpine:3.19 AS 2fast\n", 1, True),
    Case("duplicate stage name", "FROM alpine:3.19 AS a\nFROM alpine:3.19 AS a\n", 2, True),
    Case("reserved stage name", "FROM alpine:3.19 AS scratch\n", 1, True),
    Case("RUN bad network", "FROM alpine:3.19\nRUN --network=hots true\n", 2, True),
    Case("RUN bad security", "FROM alpine:3.19\nRUN --security=unsafe true\n", 2, True),
    Case("RUN bad mount type", "FROM alpine:3.19\nRUN --mount=type=cahce,target=/c true\n", 2, True),
    Case("RUN bad mount key", "FROM alpine:3.19\nRUN --mount=type=cache,tagret=/c true\n", 2, True),
    Case("COPY bad chmod", "FROM alpine:3.19\nCOPY --chmod=abc a /a\n", 2, True),
    Case("COPY bad link value", "FROM alpine:3.19\nCOPY --link=yes a /a\n", 2, True),
    Case("COPY flag twice", "FROM alpine:3.19\nCOPY --chown=1 --chown=2 a /a\n", 2, True),
    Case("invalid escape directive", "# escape=x\nFROM alpine:3.19\n", 1, True),
    Case("unterminated heredoc", "FROM alpine:3.19\nRUN <<EOF\necho hi\n", 2, True),
    Case("JSON with single quotes", "FROM alpine:3.19\nCMD ['echo', 'hi']\n", 2, False),
    Case("MAINTAINER", "FROM alpine:3.19\nMAINTAINER me@example.com\n", 2, False),
    Case("two CMD", 'FROM alpine:3.19\nCMD ["a"]\nCMD ["b"]\n', 2, False),
    Case("two ENTRYPOINT", 'FROM alpine:3.19\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\n', 2, False),
    Case("two HEALTHCHECK", "FROM alpine:3.19\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b\n", 2, False),
    Case("instruction casing", "FROM alpine:3.19\nrun echo hi\nRUN echo ho\n", 2, False),
    Case("FROM/AS casing", "FROM alpine:3.19 as build\n", 1, False),
    Case("stage name casing", "FROM alpine:3.19 AS Build\n", 1, False),
    Case("legacy ENV form", "FROM alpine:3.19\nENV PORT 8080\n", 2, False),
    Case("relative WORKDIR", "FROM alpine:3.19\nWORKDIR app\n", 2, False),
    Case("empty continuation line", "FROM alpine:3.19\nRUN echo \\\n\n  hi\n", 3, False),
    Case("redundant target platform", "FROM --platform=$TARGETPLATFORM alpine:3.19\n", 1, False),
    Case("constant platform", "FROM --platform=linux/amd64 alpine:3.19 AS build\n", 1, False),
    Case("secret in ARG", "FROM alpine:3.19\nARG GITHUB_TOKEN\n", 2, False),
    Case("EXPOSE protocol casing", "FROM alpine:3.19\nEXPOSE 80/TCP\n", 2, False),
    Case("EXPOSE host port", "FROM alpine:3.19\nEXPOSE 8080:80\n", 2, False),
    Case("undefined variable", "FROM scratch\nCOPY $SRC /app\n", 2, False),
    Case("CMD shell form", "FROM alpine:3.19\nCMD my-app --serve\n", 2, False),
    Case("undefined ARG in FROM", "FROM alpine:${TAG}\n", 1, False),
    Case("invalid default ARG in FROM", "ARG TAG\nFROM alpine:${TAG}\n", 2, False),
)
