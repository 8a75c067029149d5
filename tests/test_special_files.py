"""Files that are not regular files (FIFOs, devices, links to them, huge files) never hang or crash
the command line or the server: they are refused with a clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfile_stages.workspace.context import read_dockerignore
from dockerfile_stages.workspace.files import MAX_DOCKERFILE_BYTES, UnreadableFile, read_bounded

from .fuzz.raw_lsp import RawServer

DOCKERFILE = "FROM golang:1.22 AS build\nCOPY . /src\nRUN go build\nFROM scratch\nCOPY --from=build /app /app\n"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", *args],
        capture_output=True,
        text=True,
        timeout=30,  # a hang fails here instead of blocking the suite
        cwd=cwd,
        env={**os.environ, "DOCKERFILE_STAGES_OFFLINE": "1"},
    )


def special(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    elif kind == "huge":
        with path.open("wb") as out:
            out.truncate(MAX_DOCKERFILE_BYTES + 1)  # sparse: no disk used
    else:
        path.mkdir()


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("fifo", "is a FIFO (named pipe), not a file"),
        ("zero", "is a character device, not a file"),
        ("huge", "is larger than 16 MiB, too large to read"),
    ],
)
@pytest.mark.parametrize("command", [("check", "."), ("check", "Dockerfile"), ("parse", "Dockerfile")])
def test_dockerfile_that_is_not_a_file(tmp_path: Path, kind: str, reason: str, command: tuple[str, str]) -> None:
    special(tmp_path / "Dockerfile", kind)
    result = cli(*command, cwd=tmp_path)
    assert result.returncode == 2
    assert f"Dockerfile: {reason}" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "zero", "directory"])
def test_dockerignore_that_is_not_a_file_leaves_nothing_out(tmp_path: Path, kind: str) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "main.go").write_text("package main\n")
    special(tmp_path / ".dockerignore", kind)
    result = cli("size", "Dockerfile", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert read_dockerignore(tmp_path).patterns == []


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_build_files_that_are_not_files_are_skipped(tmp_path: Path, kind: str) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    special(tmp_path / "compose.yaml", kind)
    result = cli("check", ".", cwd=tmp_path)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr


def test_read_bounded(tmp_path: Path) -> None:
    (tmp_path / "small").write_bytes(b"x" * 10)
    assert read_bounded(tmp_path / "small", 10) == b"x" * 10
    with pytest.raises(UnreadableFile, match="larger than 9 bytes"):
        read_bounded(tmp_path / "small", 9)
    with pytest.raises(FileNotFoundError):
        read_bounded(tmp_path / "missing", 10)


@pytest.mark.parametrize("dockerignore", ["fifo", "[z-a]\n[]\n[^]\n*a*a*a*a*a*a*a*a*a*a*b\n"])
def test_lenses_and_hover_with_a_hostile_dockerignore(tmp_path: Path, dockerignore: str) -> None:
    if dockerignore == "fifo":
        os.mkfifo(tmp_path / ".dockerignore")
    else:
        (tmp_path / ".dockerignore").write_text(dockerignore)
    (tmp_path / ("a" * 40)).write_text("x" * 100)
    uri = (tmp_path / "Dockerfile").as_uri()
    server = RawServer()
    try:
        server.initialize({"sizes": {"online": False}})
        server.open(uri, DOCKERFILE)
        lenses = server.request("textDocument/codeLens", {"textDocument": {"uri": uri}}, timeout=20)
        assert "error" not in lenses and lenses["result"]
        hover = server.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 22}}, timeout=20
        )
        assert "error" not in hover
        assert server.stop() == 0
    finally:
        server.kill()
