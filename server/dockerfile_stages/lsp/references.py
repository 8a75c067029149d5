"""textDocument/references: every place that names a stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.navigation import references
from dockerfile_stages.lsp.convert import cursor, lsp_range

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def find_references(params: types.ReferenceParams) -> list[types.Location]:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return []
        line, col = cursor(opened.document, params.position)
        found = references(opened.model, line, col, params.context.include_declaration)
        return [types.Location(uri=opened.uri, range=lsp_range(opened.document, o.span)) for o in found]
