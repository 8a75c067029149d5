"""What BuildKit refuses before building: one fixture per error, where it fires and where it must not."""

from __future__ import annotations

import pytest

from tests.rules.test_rules import apply_fix, findings, lines

# (rule, Dockerfile, 1-based lines where it fires; [] = must stay silent)
ERROR_CASES = [
    ("DS002", "FROM alpine\nRUNN apk add curl\n", [2]),
    ("DS002", "hello world\n", [1]),
    ("DS002", "FROM alpine\nrun true\nOnBuild RUN true\n", []),
    ("DS003", "FROM alpine AS b\nFROM alpine\nCOPY --form=b /a /a\n", [3]),
    ("DS003", "FROM alpine\nWORKDIR --parents /a\nCOPY --FROM=x /a /a\n", [2, 3]),
    ("DS003", "FROM alpine\nCOPY --link --chmod=755 --parents --exclude=*.md a /a\nADD --checksum=sha256:0 a /\n", []),
    ("DS003", "FROM alpine\nHEALTHCHECK --bogus NONE\n", []),
    ("DS004", "FROM alpine\nHEALTHCHECK --interval=abc CMD true\n", [2]),
    ("DS004", "FROM alpine\nHEALTHCHECK --interval=1m30s --timeout=0 --retries=3 CMD true\n", []),
    ("DS004", "FROM alpine\nHEALTHCHECK --timeout=10us CMD true\nHEALTHCHECK --retries=-1 CMD true\n", [2, 3]),
    ("DS004", "FROM alpine\nCOPY --link=yes a /a\nCOPY --chmod=8 a /a\nCOPY --chmod=u+x,go-w a /a\n", [2, 3]),
    ("DS004", "FROM alpine\nRUN --network=hots true\nRUN --security=insecure --network=none true\n", [2]),
    ("DS004", "FROM alpine\nCOPY --from=a --from=b x /x\nCOPY --exclude=a --exclude=b x /x\n", [2]),
    (
        "DS004",
        "FROM alpine\nRUN --mount=type=cahce,target=/c true\nRUN --mount=type=bind,sharing=shared true\n"
        "RUN --mount=type=cache,target=/c,mode=999 true\nRUN --mount=type=secret,from=x,id=s true\n"
        "RUN --mount=typ=cache true\nRUN --mount=type=tmpfs,target=/t,size=1x true\n",
        [2, 3, 4, 5, 6, 7],
    ),
    (
        "DS004",
        "FROM alpine\nRUN --mount=type=cache,target=/root/.cache,sharing=locked,uid=1000 \\\n"
        "    --mount=type=secret,id=npm,required --mount=type=ssh --mount=type=tmpfs,target=/t,size=64m \\\n"
        "    --mount=type=bind,from=build,source=/out,target=/in,rw --mount=type=cache,target=$DIR true\n",
        [],
    ),
    ("DS005", "FROM alpine\nCOPY app.jar\nADD <<EOF\nx\nEOF\n", [2, 3]),
    (
        "DS005",
        "FROM alpine\nWORKDIR\nUSER\nEXPOSE\nVOLUME\nENV\nLABEL\nSTOPSIGNAL\nONBUILD\n",
        [2, 3, 4, 5, 6, 7, 8, 9],
    ),
    ("DS005", "FROM alpine\nCOPY a b /c/\nRUN\nCMD\nCOPY <<EOF /x\nEOF\n", []),
    ("DS006", "RUN echo hi\nARG V=1\nFROM alpine\n", [1]),
    ("DS006", "# syntax=docker/dockerfile:1\nARG V=1\nFROM alpine\nRUN true\n", []),
    ("DS007", "ARG V=1\n", [1]),
    ("DS007", "RUN a\nRUN b\n", [1]),
    ("DS008", "FROM alpine\nEXPOSE 80/http 99999 abc\n", [2, 2, 2]),
    ("DS008", "FROM alpine\nEXPOSE 80 53/udp 8000-8010/tcp 9/SCTP $PORT\n", []),
    ("DS009", "FROM alpine\nSHELL /bin/bash -c\n", [2]),
    ("DS009", 'FROM alpine\nSHELL ["/bin/bash", "-c"]\n', []),
    ("DS010", "FROM alpine\nONBUILD FROM alpine\nONBUILD ONBUILD RUN x\nONBUILD MAINTAINER me\n", [2, 3, 4]),
    ("DS010", "FROM alpine\nONBUILD RUN true\n", []),
    ("DS011", "FROM alpine\nSTOPSIGNAL SIGQUITE\n", [2]),
    ("DS011", "FROM alpine\nSTOPSIGNAL 0\n", [2]),
    (
        "DS011",
        "FROM alpine\nSTOPSIGNAL SIGTERM\nSTOPSIGNAL 9\nSTOPSIGNAL kill\nSTOPSIGNAL SIGRTMIN+3\nSTOPSIGNAL $S\n",
        [],
    ),
    ("DS012", "FROM alpine\nCMD ['echo', 'hi']\nRUN [\"a\", \"b\",]\n", [2, 3]),
    ("DS012", 'FROM alpine\nRUN [ "$A" = "b" ]\nRUN [ -f /x ]\nCMD ["ok"]\n', []),
    ("DS013", "FROM alpine\nHEALTHCHECK NONE CMD true\nHEALTHCHECK CONNECT x\nHEALTHCHECK CMD\n", [2, 3, 4]),
    ("DS013", 'FROM alpine\nHEALTHCHECK NONE\nHEALTHCHECK CMD true\nHEALTHCHECK cmd ["true"]\n', []),
]


@pytest.mark.parametrize(
    ("rule", "text", "expected"), ERROR_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(ERROR_CASES)]
)
def test_error_fires_exactly_where_expected(rule: str, text: str, expected: list[int]) -> None:
    assert lines(text, rule) == expected


FIXES = [
    ("DS002", "FROM alpine\nRUNN apk add curl\n", "FROM alpine\nRUN apk add curl\n"),
    ("DS002", "from alpine\nrunn true\n", "from alpine\nrun true\n"),
    (
        "DS003",
        "FROM alpine AS b\nFROM alpine\nCOPY --form=b /a /a\n",
        "FROM alpine AS b\nFROM alpine\nCOPY --from=b /a /a\n",
    ),
    ("DS009", "FROM alpine\nSHELL /bin/bash -c\n", 'FROM alpine\nSHELL ["/bin/bash", "-c"]\n'),
    ("DS012", "FROM alpine\nCMD ['echo', 'hi']\n", 'FROM alpine\nCMD ["echo", "hi"]\n'),
]


@pytest.mark.parametrize(("rule", "text", "fixed"), FIXES, ids=[f"{c[0]}-{i}" for i, c in enumerate(FIXES)])
def test_fix_gives_the_expected_file(rule: str, text: str, fixed: str) -> None:
    after = apply_fix(text, findings(text, rule)[0])
    assert after == fixed
    assert findings(after, rule) == []


def test_messages_say_what_buildkit_wants() -> None:
    (unknown,) = findings("FROM alpine\nRUNN x\n", "DS002")
    assert "Did you mean 'RUN'?" in unknown.message
    (flag,) = findings("FROM alpine\nCOPY --form=b /a /a\n", "DS003")
    assert "Did you mean '--from'?" in flag.message
    (mount,) = findings("FROM alpine\nRUN --mount=type=cahce,target=/c true\n", "DS004")
    assert "did you mean 'cache'?" in mount.message
