"""Diagnostics: pushed after open and (debounced) after changes, or pulled by the client."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.lsp.convert import SEVERITIES, lsp_range
from dockerfile_stages.lsp.store import OpenDocument
from dockerfile_stages.lsp.workspace_files import dockerfile_published, targets_for
from dockerfile_stages.rules import RULES_BY_ID

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

SOURCE = "dockerfile-stages"


def to_diagnostics(server: StagesServer, opened: OpenDocument, *, always: bool = False) -> list[types.Diagnostic]:
    """The findings as LSP diagnostics (none when the user turned diagnostics off, unless ``always``)."""
    if not server.settings.diagnostics_enabled and not always:
        return []
    document = opened.document
    result = []
    targets = server.settings.targets + targets_for(server, opened.uri)
    for finding in opened.findings(targets, server.settings.ignore):
        rule = RULES_BY_ID[finding.rule]
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=opened.uri, range=lsp_range(document, span)), message=message
            )
            for span, message in finding.related
        ]
        result.append(
            types.Diagnostic(
                range=lsp_range(document, finding.span),
                message=finding.message,
                severity=SEVERITIES[finding.severity],
                code=finding.rule,
                source=SOURCE,
                tags=[types.DiagnosticTag.Unnecessary] if finding.unnecessary else None,
                related_information=related or None,
                data={"rule": rule.name},
            )
        )
    return result


def _publish(server: StagesServer, uri: str) -> None:
    server.diagnostic_timers.pop(uri, None)
    opened = server.documents.get(uri)
    if opened is None:
        return
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(
            uri=uri, diagnostics=to_diagnostics(server, opened), version=opened.client_version
        )
    )
    dockerfile_published(server, uri)


def schedule(server: StagesServer, uri: str, immediately: bool = False) -> None:
    """Publish soon: a burst of changes within the delay costs one analysis."""
    if not server.pushes_diagnostics(uri):
        return
    timers = server.diagnostic_timers
    pending = timers.pop(uri, None)
    if pending is not None:
        pending.cancel()
    if immediately or server.settings.diagnostics_delay_ms == 0:
        _publish(server, uri)
        return
    loop = asyncio.get_event_loop()
    timers[uri] = loop.call_later(server.settings.diagnostics_delay_ms / 1000, _publish, server, uri)


def clear(server: StagesServer, uri: str) -> None:
    pending = server.diagnostic_timers.pop(uri, None)
    if pending is not None:
        pending.cancel()
    if server.pushes_diagnostics(uri):
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    server.pulled_uris.discard(uri)


def refresh_all(server: StagesServer) -> None:
    if server.pulled_uris and server.client_supports_pull:
        server.workspace_diagnostic_refresh(None)
    for opened in server.documents.all():
        schedule(server, opened.uri, immediately=True)


def register(server: StagesServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False),
    )
    def pull(params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        uri = params.text_document.uri
        if server.settings.diagnostics_mode == "auto" and uri not in server.pulled_uris:
            # The client pulls: stop pushing, and clear what was pushed so nothing shows twice.
            server.pulled_uris.add(uri)
            pending = server.diagnostic_timers.pop(uri, None)
            if pending is not None:
                pending.cancel()
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        opened = server.documents.get(uri)
        items = to_diagnostics(server, opened) if opened else []
        return types.RelatedFullDocumentDiagnosticReport(items=items)
