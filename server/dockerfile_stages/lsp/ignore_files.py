"""Patterns Docker refuses in a ``.dockerignore``, as diagnostics on that file.

``docker build`` fails on such a line, and here it matches nothing, so the user should see it. The
ignore file a Dockerfile's build uses (``<name>.dockerignore`` beside it, else ``.dockerignore``) is
read on the workspace worker when the Dockerfile opens, and again when the client says an ignore
file changed; its problems are published for its own URI (cleared once fixed or gone), and its lines
are kept with the Dockerfile for the rule that reads them (CopyIgnoredFile).
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.lsp import diagnostics
from dockerfile_stages.lsp.diagnostic_json import SOURCE
from dockerfile_stages.lsp.uris import path_of, uri_of
from dockerfile_stages.rules import reads_ignore_file
from dockerfile_stages.syntax.positions import Encoding, from_code_points
from dockerfile_stages.workspace.context import IgnoreFile

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

IGNORE_SUFFIX = ".dockerignore"


def check_for(server: StagesServer, dockerfile_uri: str) -> None:
    """Read the ignore file this Dockerfile's build uses (off the loop), then publish its problems."""
    dockerfile = path_of(dockerfile_uri)
    loop = server.main_loop
    if dockerfile is None or loop is None:
        return
    future = server.session.workspace.ignore_file(dockerfile)

    def read(done: Future[IgnoreFile | None]) -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(_read, server, dockerfile_uri, dockerfile, done)

    future.add_done_callback(read)


def changed(server: StagesServer, paths: list[Path]) -> None:
    """Files changed on disk: where an ignore file is among them, read again for every open Dockerfile."""
    if any(path.name.endswith(IGNORE_SUFFIX) for path in paths):
        for opened in server.session.documents.all():
            check_for(server, opened.uri)


def _read(server: StagesServer, dockerfile_uri: str, dockerfile: Path, done: Future[IgnoreFile | None]) -> None:
    if done.cancelled() or done.exception() is not None:
        return  # the worker is shutting down
    found = done.result()
    _keep_lines(server, dockerfile_uri, found.lines if found is not None else None)
    _publish(server, dockerfile, found)


def _keep_lines(server: StagesServer, dockerfile_uri: str, lines: tuple[str, ...] | None) -> None:
    """Keep the lines with the Dockerfile; where a rule reads them and they changed, check it again."""
    opened = server.session.documents.get(dockerfile_uri)
    if opened is None or opened.ignore_lines == lines:
        return
    opened.ignore_lines = lines
    if reads_ignore_file(opened.document):
        diagnostics.refresh(server, dockerfile_uri)


def _publish(server: StagesServer, dockerfile: Path, found: IgnoreFile | None) -> None:
    flagged = server.session.flagged_ignore_files
    for candidate in (dockerfile.with_name(dockerfile.name + IGNORE_SUFFIX), dockerfile.parent / IGNORE_SUFFIX):
        uri = uri_of(candidate)
        diagnostics = _diagnostics(found, server.encoding) if found is not None and found.path == candidate else []
        if diagnostics:
            flagged.add(uri)
        elif uri in flagged:
            flagged.discard(uri)  # fixed, removed, or no longer the one used: say so
        else:
            continue
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))


def _diagnostics(found: IgnoreFile, encoding: Encoding) -> list[types.Diagnostic]:
    diagnostics = []
    for problem in found.problems:
        line = problem.line - 1
        text = found.lines[line] if line < len(found.lines) else ""
        start = len(text) - len(text.lstrip())
        end = start + len(text.strip())
        diagnostics.append(
            types.Diagnostic(
                range=types.Range(
                    start=types.Position(line=line, character=from_code_points(text, start, encoding)),
                    end=types.Position(line=line, character=from_code_points(text, end, encoding)),
                ),
                message=problem.message,
                severity=types.DiagnosticSeverity.Warning,
                source=SOURCE,
            )
        )
    return diagnostics
