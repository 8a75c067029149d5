"""Text synchronisation: didOpen, incremental didChange, didClose."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path

from dockerfile_stages.lsp.diagnostics import clear, schedule
from dockerfile_stages.targets import find_targets

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        opened = server.documents.open(item.uri, item.text, item.version, server.encoding, server.settings.platform)
        opened.model  # noqa: B018  (built now, so it is frozen with the tree)
        path = to_fs_path(item.uri) if item.uri.startswith("file:") else None
        if path:
            opened.workspace_targets = find_targets(Path(path))
        server.gc_policy.opened(opened.document.line_count)
        schedule(server, item.uri, immediately=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            server.warn(f"didChange for {params.text_document.uri}, which is not open: ignored")
            return
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                opened.document.apply_change(start.line, start.character, end.line, end.character, change.text)
            else:
                opened.document.set_text(change.text)
        opened.client_version = params.text_document.version
        server.gc_policy.edited()
        schedule(server, opened.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.documents.close(params.text_document.uri)
        clear(server, params.text_document.uri)
        server.gc_policy.closed()
