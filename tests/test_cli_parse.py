"""``dockerfile-stages parse`` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", *args], input=stdin, capture_output=True, timeout=60
    )


def test_parse_json_of_the_example() -> None:
    result = run("parse", str(ROOT / "examples" / "go-multistage" / "Dockerfile"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [stage["name"] for stage in report["stages"]] == ["builder", None]
    copy = next(item for item in report["instructions"] if item["flags"] == ["--from=builder"])
    assert copy["cmd"] == "COPY" and copy["stage"] == 1
    assert report["errors"] == []


def test_parse_stdin_with_heredoc_and_error() -> None:
    text = b"# syntax=docker/dockerfile:1\nFROM alpine AS a\nRUN <<EOF\necho hi\nEOF\nENV broken\n"
    result = run("parse", "-", "--json", stdin=text)
    report = json.loads(result.stdout)
    assert report["directives"]["syntax"] == "docker/dockerfile:1"
    run_item = report["instructions"][1]
    assert run_item["heredocs"] == [{"name": "EOF", "content": "echo hi\n"}]
    assert (run_item["start_line"], run_item["end_line"]) == (3, 5)
    assert report["errors"] == [{"line": 6, "message": "ENV must have two arguments"}]


def test_bad_inputs_exit_2_with_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "junk"
    binary.write_bytes(bytes(range(256)))
    for target in (str(tmp_path / "missing"), str(tmp_path), str(binary)):
        result = run("parse", target, "--json")
        assert result.returncode == 2
        assert result.stdout == b""
        assert len(result.stderr.decode().strip().splitlines()) == 1
