"""The split refactoring on 32 single-stage Dockerfiles, checked for what matters in the result."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfile_stages.model import build_model
from dockerfile_stages.refactor.split import NoSplit, SplitPlan, plan_split, split_text
from dockerfile_stages.rules import Severity, run_rules
from dockerfile_stages.syntax import Document, Instruction

CASES = Path(__file__).parent / "cases"

# case -> (profile, runner, uncertain?)
EXPECTED = {
    "go-basic": ("go", "gcr.io/distroless/static-debian12", False),
    "go-modcache": ("go", "gcr.io/distroless/static-debian12", False),
    "go-arg-version": ("go", "gcr.io/distroless/static-debian12", False),
    "go-install": ("go", "gcr.io/distroless/static-debian12", False),
    "go-cgo": ("go", "debian:bookworm-slim", False),
    "go-shell-cmd": ("go", "alpine:3.20", False),
    "go-no-output": ("go", "gcr.io/distroless/static-debian12", False),
    "go-crlf": ("go", "gcr.io/distroless/static-debian12", False),
    "maven-basic": ("java", "eclipse-temurin:21-jre", False),
    "maven-wrapper": ("java", "eclipse-temurin:17-jre", False),
    "maven-jdk17": ("java", "eclipse-temurin:17-jre", False),
    "gradle-boot": ("java", "eclipse-temurin:21-jre", False),
    "gradle-wrapper": ("java", "eclipse-temurin:21-jre", False),
    "gradle-installdist": ("java", "eclipse-temurin:17-jre", False),
    "node-build": ("node", "node:20-slim", False),
    "node-install": ("node", "node:18-slim", False),
    "node-yarn": ("node", "node:22-slim", True),
    "node-heredoc": ("node", "node:20-slim", False),
    "python-req": ("python", "python:3.12-slim", False),
    "python-pyproject": ("python", "python:3.11-slim", False),
    "python-poetry": ("python", "python:3.12-slim", True),
    "rust-release": ("rust", "debian:bookworm-slim", False),
    "rust-bin": ("rust", "debian:bookworm-slim", False),
    "rust-musl": ("rust", "gcr.io/distroless/static-debian12", False),
    "rust-install": ("rust", "debian:bookworm-slim", False),
    "dotnet-publish": ("dotnet", "mcr.microsoft.com/dotnet/aspnet:8.0", False),
    "dotnet-relative": ("dotnet", "mcr.microsoft.com/dotnet/aspnet:6.0", False),
    "c-gcc": ("c", "debian:bookworm-slim", False),
    "c-static": ("c", "gcr.io/distroless/static-debian12", False),
    "c-make": ("c", "debian:bookworm-slim", False),
    "cpp-cmake": ("c", "debian:bookworm-slim", False),
    "multi-existing": ("go", "gcr.io/distroless/static-debian12", False),
    "go-tls-scratch": ("go", "gcr.io/distroless/static-debian12", False),
}


def _split(name: str) -> tuple[Document, SplitPlan, str]:
    text = (CASES / f"{name}.Dockerfile").read_bytes().decode()
    document = Document(text)
    plan = plan_split(document, build_model(document))
    assert isinstance(plan, SplitPlan), plan
    return document, plan, split_text(document, plan)


def _instructions(text: str) -> list[tuple[int, Instruction]]:
    document = Document(text)
    model = build_model(document)
    result = []
    for line, node in document.nodes():
        if isinstance(node, Instruction):
            stage = model.stage_at(line)
            result.append((stage.index if stage else -1, node))
    return result


def test_there_are_thirty_cases() -> None:
    assert len(EXPECTED) >= 30
    assert {path.stem for path in CASES.glob("*.Dockerfile")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_split(name: str) -> None:
    profile, runner, uncertain = EXPECTED[name]
    document, plan, result = _split(name)
    original = document.text
    assert (plan.profile, plan.runner) == (profile, runner)
    assert ("# dockerfile-stages:" in result) == uncertain

    # BuildKit's parser accepts it
    dockerfile = pytest.importorskip("dockerfile")
    commands = dockerfile.parse_string(result)
    assert sum(1 for c in commands if c.cmd.upper() == "FROM") == _count_from(original) + 1

    # our own rules report no error
    new_document = Document(result)
    new_model = build_model(new_document)
    errors = [f for f in run_rules(new_document, new_model) if f.severity == Severity.ERROR]
    assert errors == []

    # the final stage's base is the runner, and no further split applies
    assert new_model.stages[-1].base == runner
    assert isinstance(plan_split(new_document, new_model), NoSplit)

    # every build command is in the builder, in order; runtime instructions are in the runner
    before = [node for _, node in _instructions(original)]
    after = _instructions(result)
    final = len(new_model.stages) - 1
    builder = final - 1
    assert [n.original for n in before if n.cmd == "RUN"] == [
        n.original
        for s, n in after
        if n.cmd == "RUN"
        and s <= builder
        and n.original != "RUN npm prune --omit=dev"
        and not n.original.startswith("RUN python -m venv")
    ]
    for cmd in ("CMD", "ENTRYPOINT", "EXPOSE", "HEALTHCHECK", "LABEL"):
        assert [n.original for n in before if n.cmd == cmd] == [
            n.original for s, n in after if n.cmd == cmd and s == final
        ]
    assert any(n.cmd == "COPY" and n.flag("from") for s, n in after if s == final)

    # everything outside the final stage is untouched, byte for byte
    start = build_model(document).stages[-1].start_line
    kept = "".join(document.line(i) + document.line_ending(i) for i in range(start))
    assert result.startswith(kept)
    if "\r\n" in original:
        assert "\n" not in result.replace("\r\n", "")


def _count_from(text: str) -> int:
    return sum(1 for _, node in _instructions(text) if node.cmd == "FROM")


def test_go_golden() -> None:
    _, _, result = _split("go-arg-version")
    assert result == (
        "ARG GO_VERSION=1.21\n"
        "FROM golang:${GO_VERSION} AS builder\n"
        "ARG VERSION=dev\n"
        "WORKDIR /go/src/app\n"
        "COPY . .\n"
        "ENV CGO_ENABLED=0\n"
        'RUN go build -ldflags "-X main.version=${VERSION}" -o /bin/app\n'
        "USER nobody\n"
        "\n"
        "FROM gcr.io/distroless/static-debian12\n"
        "WORKDIR /go/src/app\n"
        "COPY --from=builder /bin/app /bin/app\n"
        "USER nobody\n"
        'ENTRYPOINT ["/bin/app"]\n'
        'CMD ["--help"]\n'
    )


def test_python_golden() -> None:
    _, _, result = _split("python-req")
    assert result == (
        "FROM python:3.12 AS builder\n"
        "WORKDIR /app\n"
        "COPY requirements.txt .\n"
        "RUN python -m venv /opt/venv\n"
        'ENV PATH="/opt/venv/bin:$PATH"\n'
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        "COPY . .\n"
        "\n"
        "FROM python:3.12-slim\n"
        "WORKDIR /app\n"
        'ENV PATH="/opt/venv/bin:$PATH"\n'
        "COPY --from=builder /opt/venv/ /opt/venv/\n"
        "COPY --from=builder /app/ /app/\n"
        "EXPOSE 8000\n"
        'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n'
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('FROM alpine:3.19\nRUN apk add curl\nCMD ["curl"]\n', "already a runtime image"),
        ('FROM golang:1.22\nCOPY app /app\nCMD ["/app"]\n', "nothing is built"),
        ("FROM golang:1.22\nRUN echo no build here\n", "no build recognised"),
        ("# empty\n", "no FROM"),
    ],
)
def test_not_offered_where_it_would_not_help(text: str, reason: str) -> None:
    document = Document(text)
    plan = plan_split(document, build_model(document))
    assert isinstance(plan, NoSplit) and reason in plan.reason


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", "split", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_print_diff_write_and_runner(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    original = (CASES / "go-basic.Dockerfile").read_text()
    target.write_text(original)
    printed = _cli(str(target))
    assert printed.returncode == 0 and "FROM gcr.io/distroless/static-debian12" in printed.stdout
    diff = _cli(str(target), "--diff", "--runner", "scratch")
    assert diff.returncode == 0 and "+FROM scratch" in diff.stdout and diff.stdout.startswith("---")
    assert target.read_text() == original
    written = _cli(str(target), "--write")
    assert written.returncode == 0 and target.read_text() == printed.stdout
    again = _cli(str(target))
    assert again.returncode == 1 and "no split" in again.stderr
    assert _cli(str(tmp_path / "missing")).returncode == 2


def test_certificates_and_zones_follow_to_a_bare_runner() -> None:
    text = (CASES / "go-tls-scratch.Dockerfile").read_text()
    document = Document(text)
    plan = plan_split(document, build_model(document), runner="scratch")
    assert isinstance(plan, SplitPlan)
    assert "COPY --from=builder /etc/ssl/certs/ /etc/ssl/certs/\n" in plan.text
    assert "COPY --from=builder /usr/share/zoneinfo/ /usr/share/zoneinfo/\n" in plan.text


def test_verify_says_why_it_cannot_check(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_text((CASES / "go-basic.Dockerfile").read_text())
    no_engines = subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", "split", "--verify", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": str(tmp_path)},
    )
    assert no_engines.returncode == 2 and "no container engine found" in no_engines.stderr
    from_stdin = _cli("--verify", "-", stdin=target.read_text())
    assert from_stdin.returncode == 2 and "needs a file" in from_stdin.stderr
