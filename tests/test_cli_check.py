"""``dockerfile-stages check`` as CI runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

BROKEN = (
    "FROM golang:1.21 AS builder\nRUN CGO_ENABLED=0 go build -o /app\nFROM scratch\nCOPY --from=buidler /app /app\n"
)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", "check", *args], capture_output=True, text=True, timeout=60, cwd=cwd
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(BROKEN)
    (tmp_path / "web.Dockerfile").write_text("FROM nginx:1.27\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "Dockerfile").write_text("FROM bad as Bad\n")
    (tmp_path / "README.md").write_text("not a Dockerfile\n")
    return tmp_path


def test_text_output_and_exit_1(project: Path) -> None:
    result = run(".", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "svc/Dockerfile:4:13: warning DS100 No stage is named 'buidler': BuildKit will try to pull an image called "
        "'buidler'. Did you mean 'builder'?"
    ]


def test_clean_file_exits_0(project: Path) -> None:
    result = run("web.Dockerfile", cwd=project)
    assert (result.returncode, result.stdout) == (0, "")


def test_severity_threshold_select_and_ignore(project: Path) -> None:
    assert run("svc", "--severity", "error", cwd=project).returncode == 0
    hint = run("svc", "--severity", "hint", cwd=project)
    assert "DS110" in hint.stdout and hint.returncode == 1
    assert run("svc", "--ignore", "DS100", cwd=project).returncode == 0
    only = run("svc", "--severity", "hint", "--select", "unused-stage", cwd=project)
    assert [line.split()[2] for line in only.stdout.splitlines()] == ["DS110"]


def test_json_output(project: Path) -> None:
    result = run("svc/Dockerfile", "--format", "json", cwd=project)
    (item,) = json.loads(result.stdout)
    assert item["rule"] == "DS100" and item["line"] == 4 and item["column"] == 13
    assert item["fixes"] == ["Change to 'builder'"]


def test_sarif_output(project: Path) -> None:
    result = run(".", "--format", "sarif", cwd=project)
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    (sarif_result,) = run_["results"]
    assert rules[sarif_result["ruleIndex"]]["id"] == sarif_result["ruleId"] == "DS100"
    location = sarif_result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "svc/Dockerfile"
    assert location["region"] == {"startLine": 4, "startColumn": 13, "endLine": 4, "endColumn": 20}
    assert sarif_result["level"] == "warning"
    try:
        from sarif_pydantic import Sarif
    except ImportError:
        pytest.skip("sarif-pydantic (a SARIF 2.1.0 model) is not installed")
    Sarif.model_validate(log)


def test_sarif_uris_for_absolute_and_outside_paths(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    inside = json.loads(run(str(project / "svc" / "Dockerfile"), "--format", "sarif", cwd=project).stdout)
    location = inside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "svc/Dockerfile", "uriBaseId": "%SRCROOT%"}
    assert inside["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"

    elsewhere = tmp_path_factory.mktemp("elsewhere")
    outside = json.loads(run(str(project / "svc" / "Dockerfile"), "--format", "sarif", cwd=elsewhere).stdout)
    location = outside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (project / "svc" / "Dockerfile").resolve().as_uri()}  # absolute: no base


def test_sarif_help_uris_are_the_published_pages_of_matching_checks(project: Path) -> None:
    driver = json.loads(run(".", "--format", "sarif", cwd=project).stdout)["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver  # the project has no published home page to name
    uris = {rule["id"]: rule.get("helpUri") for rule in driver["rules"]}
    assert uris["DS104"] == "https://docs.docker.com/reference/build-checks/duplicate-stage-name/"
    assert uris["DS100"] == "https://github.com/hadolint/hadolint/wiki/DL3022"
    assert uris["DS111"] is None  # ours alone: its documentation is the rule's help text
    assert all("Why it matters" in rule["help"]["text"] for rule in driver["rules"])


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing")).returncode == 2
    assert run(str(tmp_path)).returncode == 2  # no Dockerfiles found
    assert run("--severity", "loud", str(ROOT / "examples")).returncode == 2
    explain = run("--explain", "DS999")
    assert explain.returncode == 2 and "no rule 'DS999'" in explain.stderr and "--list-rules" in explain.stderr


def test_explain() -> None:
    result = run("--explain", "ds112")
    assert result.returncode == 0
    assert result.stdout.startswith("DS112 cgo-binary-in-static-image (warning)")
    assert "Why it matters" in result.stdout


def test_pre_commit_hook_definition() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "id: dockerfile-stages" in text and "entry: dockerfile-stages check" in text


def test_jobs_keep_the_order_of_one_process(tmp_path: Path) -> None:
    for n in range(40):  # enough files for two processes
        stage = f"s{n}"
        (tmp_path / f"{n:02d}.Dockerfile").write_text(
            f"FROM alpine AS {stage}\nFROM scratch\nCOPY --from={stage}x /a /a\n"
        )
    (tmp_path / "bad.Dockerfile").write_bytes(b"\x00binary")
    one, two = run("--jobs", "1", ".", cwd=tmp_path), run("--jobs", "2", ".", cwd=tmp_path)
    assert (one.returncode, two.returncode) == (2, 2)
    assert two.stdout == one.stdout and two.stderr == one.stderr
    assert [line.split(":")[0] for line in one.stdout.splitlines()] == [f"{n:02d}.Dockerfile" for n in range(40)]
    assert "bad.Dockerfile: binary data" in one.stderr


def test_jobs_must_be_positive(project: Path) -> None:
    result = run("--jobs", "0", ".", cwd=project)
    assert result.returncode == 2 and "--jobs must be at least 1" in result.stderr


def test_the_pools_chunks_cover_the_files_in_order_largest_first() -> None:
    from dockerfile_stages.cli.check import MIN_CHUNK, chunk_bounds

    for count, jobs in ((1, 2), (16, 2), (41, 2), (10_000, 2), (10_000, 8), (999, 3)):
        bounds = chunk_bounds(count, jobs)
        assert [start for start, _ in bounds] == [0] + [end for _, end in bounds[:-1]]
        assert bounds[-1][1] == count
        sizes = [end - start for start, end in bounds]
        assert sizes == sorted(sizes, reverse=True) and all(size >= 1 for size in sizes)
        assert sizes[0] <= max(MIN_CHUNK, count // (jobs * 4))  # the first a quarter of a process's share
        assert all(size <= MIN_CHUNK for size in sizes[-4:]) or len(sizes) < 4  # the last ones small
