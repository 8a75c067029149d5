"""BuildKit's build checks: each where it fires, where it must not, and what its fix gives."""

from __future__ import annotations

import pytest

from tests.rules.test_rules import apply_fix, findings, lines

# (rule, Dockerfile, 1-based lines where it fires; [] = must stay silent)
CHECK_CASES = [
    ("DS200", "FROM alpine\nRUN apk add \\\n\n    curl\n", [3]),
    ("DS200", "FROM alpine\nRUN apk add \\\n# a comment\n    curl\n", []),
    ("DS200", "FROM alpine\nRUN true\n\nRUN false\n", []),
    ("DS201", "FROM alpine\nrun echo\nRUN echo\n", [2]),
    ("DS201", "from alpine\nrun echo\nRUN echo\n", [3]),
    ("DS201", "FROM alpine\nRun echo\n", [2]),
    ("DS201", "from alpine\nrun echo\n", []),
    ("DS202", "FROM alpine\nCMD echo hello\nENTRYPOINT my-app\n", [2, 3]),
    ("DS202", 'FROM alpine\nCMD ["echo", "hello"]\n', []),
    ("DS202", 'FROM alpine\nSHELL ["/bin/bash", "-c"]\nCMD echo hello\n', []),
    ("DS202", 'FROM alpine AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\nCMD echo hello\n', []),
    ("DS203", "FROM alpine\nMAINTAINER Jane <jane@example.com>\n", [2]),
    ("DS204", "FROM alpine\nWORKDIR app\n", [2]),
    ("DS204", "FROM alpine\nWORKDIR /srv\nWORKDIR app\nWORKDIR $HOME/x\n", []),
    ("DS204", "FROM alpine AS base\nWORKDIR /srv\nFROM base\nWORKDIR app\n", []),
    ("DS205", "FROM alpine AS base\nCOPY $foo .\n", [2]),
    ("DS205", "FROM alpine\nARG VERSION=1\nCOPY app-$VERSON.tar /\nENV PATH=$PATH:/x\n", [3]),
    ("DS205", "FROM scratch\nWORKDIR /opt/$APP\nARG APP\n", [2]),
    ("DS205", "ARG V=1\nFROM alpine\nARG V\nLABEL v=$V w=${W:-none}\nRUN echo $UNSET\n", []),
    ("DS205", 'FROM alpine\nSHELL ["pwsh", "-c", "$ErrorActionPreference = 1;"]\nCMD echo $nothing\n', []),
    ("DS206", 'FROM alpine\nCMD ["a"]\nCMD ["b"]\nFROM alpine\nCMD ["c"]\n', [2]),
    ("DS206", 'FROM alpine\nHEALTHCHECK CMD true\nENTRYPOINT ["x"]\nHEALTHCHECK NONE\n', [2]),
    ("DS207", "FROM alpine\nENV PORT 8080\nLABEL team platform\nENV A=1 B=2\n", [2, 3]),
    ("DS208", "FROM --platform=$TARGETPLATFORM alpine\nFROM --platform=${TARGETPLATFORM} alpine\n", [1, 2]),
    ("DS208", "FROM --platform=$BUILDPLATFORM alpine\n", []),
    ("DS209", "ARG GITHUB_TOKEN\nFROM alpine\nENV DB_PASSWORD=x\nARG API_KEY=1\n", [1, 3, 4]),
    ("DS209", "FROM alpine\nARG PUBLIC_KEY\nENV TOKEN_FILE=/run/t\nARG KEYCLOAK_VERSION\nENV MONKEY=1\n", []),
    ("DS210", "FROM --platform=linux/amd64 alpine AS build\n", [1]),
    ("DS210", "FROM --platform=linux/amd64 alpine AS build-amd64\nFROM --platform=$BUILDPLATFORM alpine\n", []),
    ("DS211", "FROM alpine\nCOPY README.md /\n", []),  # no .dockerignore given: see the test below
    ("DS212", "# check=experimental=all\n# a note\nFROM scratch AS base\n# VERSION of it\nARG VERSION\n", [2]),
    ("DS213", "FROM alpine\nEXPOSE 80/TCP 53/udp\n", [2]),
    ("DS214", "FROM alpine\nEXPOSE 127.0.0.1:8080:80 8080:80/tcp 80\n", [2, 2]),
]


@pytest.mark.parametrize(
    ("rule", "text", "expected"), CHECK_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CHECK_CASES)]
)
def test_check_fires_exactly_where_expected(rule: str, text: str, expected: list[int]) -> None:
    assert lines(text, rule) == expected


# (rule, Dockerfile, the file after the first finding's fix)
FIXES = [
    ("DS200", "FROM alpine\nRUN apk add \\\n\n    curl\n", "FROM alpine\nRUN apk add \\\n    curl\n"),
    ("DS201", "FROM alpine\nrun echo\nRUN echo\n", "FROM alpine\nRUN echo\nRUN echo\n"),
    ("DS202", "FROM alpine\nENTRYPOINT my-app --port=80\n", 'FROM alpine\nENTRYPOINT ["my-app", "--port=80"]\n'),
    (
        "DS203",
        'FROM alpine\nMAINTAINER Jane "J" <$x>\n',
        'FROM alpine\nLABEL org.opencontainers.image.authors="Jane \\"J\\" <\\$x>"\n',
    ),
    ("DS205", "FROM alpine\nARG VERSION=1\nCOPY $VERSON /\n", "FROM alpine\nARG VERSION=1\nCOPY $VERSION /\n"),
    ("DS207", "FROM alpine\nENV PORT 8080\n", "FROM alpine\nENV PORT=8080\n"),
    ("DS207", "FROM alpine\nENV MSG hello  world\n", 'FROM alpine\nENV MSG="hello  world"\n'),
    ("DS207", 'FROM alpine\nENV MSG "hello world"\n', 'FROM alpine\nENV MSG="hello world"\n'),
    ("DS208", "FROM --platform=$TARGETPLATFORM alpine AS a\n", "FROM alpine AS a\n"),
    ("DS213", "FROM alpine\nEXPOSE 80/TCP\n", "FROM alpine\nEXPOSE 80/tcp\n"),
    ("DS214", "FROM alpine\nEXPOSE 8080:80/tcp\n", "FROM alpine\nEXPOSE 80/tcp\n"),
]


@pytest.mark.parametrize(("rule", "text", "fixed"), FIXES, ids=[f"{c[0]}-{i}" for i, c in enumerate(FIXES)])
def test_fix_gives_the_expected_file_and_silences_the_check(rule: str, text: str, fixed: str) -> None:
    after = apply_fix(text, findings(text, rule)[0])
    assert after == fixed
    assert findings(after, rule) == []


@pytest.mark.parametrize(
    "text",
    [
        "FROM alpine\nCMD echo $HOME\n",
        "FROM alpine\nCMD echo 'a b'\n",
        "FROM alpine\nCMD a && b\n",
        "FROM alpine\nCMD A=1 run\n",
        "FROM alpine\nCMD ls *.txt\n",
        "FROM alpine\nCMD run > /log\n",
    ],
)
def test_json_form_fix_only_where_no_shell_feature_is_used(text: str) -> None:
    (finding,) = findings(text, "DS202")
    assert finding.fixes == ()


def test_legacy_value_with_an_escape_gets_no_fix() -> None:
    (finding,) = findings("FROM alpine\nENV A b\\ c d\n", "DS207")
    assert finding.fixes == ()


def test_experimental_checks_run_only_when_selected() -> None:
    text = "# a note\nFROM scratch AS base\n"
    assert lines(text, "DS212") == []
    assert lines(text, "DS212", select=["DS212"]) == [1]
    assert lines(text, "DS212", select=["all"]) == []
    assert lines("# check=experimental=InvalidDefinitionDescription\n" + text, "DS212") == [2]
    assert lines("# check=experimental=all\n" + text, "DS212") == [2]
    assert (
        lines("# base is empty\nFROM scratch AS base\n# VERSION of it\nARG VERSION=1\n", "DS212", select=["DS212"])
        == []
    )


def test_copy_ignored_file_reads_the_patterns_it_is_given() -> None:
    text = "FROM alpine\nCOPY README.md docs/ /x/\nCOPY --from=other README.md /y\nADD https://e.x/README.md /z\n"
    assert lines(text, "DS211", select=["DS211"]) == []
    assert lines(text, "DS211", select=["DS211"], ignore_patterns=("*.md", "docs")) == [2, 2]
    assert lines(text, "DS211", select=["DS211"], ignore_patterns=("*.md", "!README.md")) == []


def test_check_error_true_makes_build_check_findings_errors() -> None:
    text = "# check=error=true\nFROM alpine\nMAINTAINER me\nCOPY --form=x a /a\n"
    severities = {f.rule: f.severity.label for f in findings(text, "DS203") + findings(text, "DS003")}
    assert severities == {"DS203": "error", "DS003": "error"}
    assert findings(text.replace("error=true", "error=false"), "DS203")[0].severity.label == "warning"


def test_check_skip_takes_buildkit_names() -> None:
    text = "# check=skip=MaintainerDeprecated,JSONArgsRecommended\nFROM alpine\nMAINTAINER me\nCMD run it\n"
    assert lines(text, "DS203") == [] and lines(text, "DS202") == []
