"""Patterns Docker refuses in a .dockerignore are shown: warnings from ``check`` and ``size`` with
the line and the reason, and diagnostics on the .dockerignore in the editor (cleared once fixed)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from ..lsp.conftest import SERVER, diagnostics_for, open_doc, start

IGNORE = "*.log\n  [z-a]\nbuild/\n"
WARNING = "'[z-a]' is refused by docker build (invalid character class range: z-a); it matches nothing here"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\nCOPY . /app\n")
    (tmp_path / ".dockerignore").write_text(IGNORE)
    return tmp_path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dockerfile_stages", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_check_and_size_warn_with_the_line_and_why(project: Path) -> None:
    expected = f"{project / '.dockerignore'}:2: warning: {WARNING}"
    checked = _run("check", str(project))
    assert expected in checked.stderr.splitlines(), checked.stderr
    sized = _run("size", "--offline", str(project / "Dockerfile"))
    assert sized.returncode == 0 and expected in sized.stderr.splitlines(), sized.stderr


def test_the_dockerfiles_own_ignore_file_is_the_one_checked(project: Path) -> None:
    (project / "Dockerfile.dockerignore").write_text("[]\n")  # BuildKit reads this one, not .dockerignore
    checked = _run("check", str(project / "Dockerfile"))
    warnings = [line for line in checked.stderr.splitlines() if ": warning: " in line]
    assert warnings == [
        f"{project / 'Dockerfile.dockerignore'}:1: warning: "
        + WARNING.replace("[z-a]", "[]").replace(
            "invalid character class range: z-a", "an empty or malformed character class"
        )
    ]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await start(lsp_client)
    yield
    await lsp_client.shutdown_session()


async def test_the_editor_shows_them_on_the_dockerignore_until_fixed(client: LanguageClient, project: Path) -> None:
    ignore_uri = (project / ".dockerignore").as_uri()
    open_doc(client, (project / "Dockerfile").read_text(), (project / "Dockerfile").as_uri())
    shown = await diagnostics_for(client, ignore_uri, where=lambda found: len(found) == 1)
    assert shown[0].message == WARNING and shown[0].severity == types.DiagnosticSeverity.Warning
    assert (shown[0].range.start, shown[0].range.end) == (
        types.Position(line=1, character=2),
        types.Position(line=1, character=7),
    )
    (project / ".dockerignore").write_text("*.log\n[a-z]\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=ignore_uri, type=types.FileChangeType.Changed)])
    )
    assert not await diagnostics_for(client, ignore_uri, where=lambda found: not found)


async def test_the_editor_checks_copies_of_ignored_files_with_the_builds_ignore_file(
    client: LanguageClient, tmp_path: Path
) -> None:
    """CopyIgnoredFile (experimental) gets the lines the build's ignore file has, read off the loop,
    and is checked again when that file changes."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("# check=experimental=CopyIgnoredFile\nFROM alpine:3.19\nCOPY notes.md /app/\n")
    (tmp_path / ".dockerignore").write_text("*.md\n")
    uri = dockerfile.as_uri()
    open_doc(client, dockerfile.read_text(), uri)
    shown = await diagnostics_for(client, uri, where=lambda found: any(d.code == "DS211" for d in found))
    [ignored] = [d for d in shown if d.code == "DS211"]
    assert ignored.range.start.line == 2
    (tmp_path / ".dockerignore").write_text("*.log\n")
    ignore_uri = (tmp_path / ".dockerignore").as_uri()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=ignore_uri, type=types.FileChangeType.Changed)])
    )
    await diagnostics_for(client, uri, where=lambda found: not any(d.code == "DS211" for d in found))
