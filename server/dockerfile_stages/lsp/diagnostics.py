"""Diagnostics: pushed after open and (debounced) after changes, or pulled by the client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp import (
    diagnostic_json,
    workspace_files,  # the module: it imports this one (through ignore_files)
)
from dockerfile_stages.lsp.convert import JsonResult
from dockerfile_stages.lsp.diagnostic_json import PUBLISH_DIAGNOSTICS, SOURCE, Json, publish_params
from dockerfile_stages.lsp.memory import collector_paused

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


class DiagnosticsScheduler:
    """The debounce timers, one per document: a burst of changes within the delay costs one analysis."""

    def __init__(self) -> None:
        self._timers: dict[str, asyncio.TimerHandle] = {}

    def later(self, uri: str, delay_s: float, publish: Callable[[str], None]) -> None:
        self.cancel(uri)
        self._timers[uri] = asyncio.get_event_loop().call_later(delay_s, self._fire, uri, publish)

    def cancel(self, uri: str) -> None:
        pending = self._timers.pop(uri, None)
        if pending is not None:
            pending.cancel()

    def _fire(self, uri: str, publish: Callable[[str], None]) -> None:
        self._timers.pop(uri, None)
        publish(uri)


def to_diagnostics(server: StagesServer, uri: str, analysis: Analysis) -> list[Json]:
    """The findings as LSP diagnostics, in JSON (none when the user turned diagnostics off; at
    most ``diagnostics.maxProblems`` and a note on the rest)."""
    settings = server.session.settings
    return diagnostic_json.diagnostics(uri, analysis, settings.diagnostics_enabled, settings.max_problems)


def _publish(server: StagesServer, uri: str) -> None:
    opened = server.session.documents.get(uri)
    if opened is None:
        return
    params = publish_params(uri, opened.client_version, to_diagnostics(server, uri, server.session.analysis_of(opened)))
    if server.early_diagnostics.pop(uri, None) != params:  # the bootstrap sent these already: not twice
        server.notify_json(PUBLISH_DIAGNOSTICS, params)
    workspace_files.dockerfile_published(server, uri)


def schedule(server: StagesServer, uri: str, immediately: bool = False) -> None:
    """Publish soon: a burst of changes within the delay costs one analysis."""
    if not server.session.pushes_diagnostics(uri):
        return
    delay_ms = server.session.settings.diagnostics_delay_ms
    if immediately or delay_ms == 0:
        server.diagnostic_timers.cancel(uri)
        _publish(server, uri)
    else:
        server.diagnostic_timers.later(uri, delay_ms / 1000, lambda later: _publish(server, later))


def clear(server: StagesServer, uri: str) -> None:
    server.diagnostic_timers.cancel(uri)
    if server.session.pushes_diagnostics(uri):
        server.notify_json(PUBLISH_DIAGNOSTICS, publish_params(uri, None, []))
    server.session.pulled_uris.discard(uri)


def refresh_all(server: StagesServer) -> None:
    session = server.session
    if session.pulled_uris and session.capabilities.pull_diagnostics:
        server.workspace_diagnostic_refresh(None)
    for opened in session.documents.all():
        schedule(server, opened.uri, immediately=True)


def refresh(server: StagesServer, uri: str) -> None:
    """Something this document's findings read changed: push them again, or ask the client to pull."""
    session = server.session
    if uri in session.pulled_uris:
        if session.capabilities.pull_diagnostics:
            server.workspace_diagnostic_refresh(None)
    else:
        schedule(server, uri, immediately=True)


def register(server: StagesServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False),
    )
    def pull(params: types.DocumentDiagnosticParams) -> JsonResult:
        uri = params.text_document.uri
        session = server.session
        if session.settings.diagnostics_mode == "auto" and uri not in session.pulled_uris:
            # The client pulls: stop pushing, and clear what was pushed so nothing shows twice.
            session.pulled_uris.add(uri)
            server.diagnostic_timers.cancel(uri)
            server.notify_json(PUBLISH_DIAGNOSTICS, publish_params(uri, None, []))
        with collector_paused():  # an answer's JSON forms no cycles; a first pull also analyses (lsp/memory.py)
            analysis = session.analysis(uri)
            items = to_diagnostics(server, uri, analysis) if analysis else []
        return JsonResult(kind="full", items=items)  # a RelatedFullDocumentDiagnosticReport
