"""Context sizes leave out what the ignore file BuildKit picks leaves out: ``<name>.dockerignore``
beside the Dockerfile first, the context's ``.dockerignore`` only when there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerfile_stages.cli.size import size_report
from dockerfile_stages.sizes.service import SizeService, SizeSettings
from dockerfile_stages.workspace.background import WorkspaceReader

BIG = 300_000
TEXT = "FROM alpine:3.19\nCOPY . /src\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.Dockerfile").write_text(TEXT)
    (tmp_path / "Dockerfile").write_text(TEXT)
    (tmp_path / "big.bin").write_bytes(b"x" * BIG)
    (tmp_path / ".dockerignore").write_text("*.txt\n")
    (tmp_path / "app.Dockerfile.dockerignore").write_text("big.bin\n")
    return tmp_path


def _context_bytes(project: Path, dockerfile: str) -> int:
    service = SizeService(SizeSettings(online=False))
    try:
        report = size_report(TEXT, project, service, "linux/amd64", project / dockerfile)
    finally:
        service.close()
    [part] = [part for part in report["stages"][0]["estimate"]["parts"] if part["kind"] == "context"]
    size = part["bytes"]
    assert isinstance(size, int)
    return size


def test_size_uses_the_dockerfiles_own_ignore_file(project: Path) -> None:
    assert _context_bytes(project, "app.Dockerfile") < BIG
    assert _context_bytes(project, "Dockerfile") > BIG  # only .dockerignore applies to it


def test_the_editor_measures_each_dockerfile_with_its_ignore_file(project: Path) -> None:
    reader = WorkspaceReader()
    try:
        contexts = [reader.context(project, project / name) for name in ("app.Dockerfile", "Dockerfile")]
        for context in contexts:
            assert context.size(".") is None  # measured on the worker, never on the caller's thread
            for pending in context.pending():
                pending.result(timeout=30)
        own, shared = (context.size(".") for context in contexts)
    finally:
        reader.close()
    assert own is not None and own < BIG
    assert shared is not None and shared > BIG
