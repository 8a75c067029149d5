"""textDocument/documentHighlight: the stage under the cursor, declaration and uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.navigation import references
from dockerfile_stages.ide.variable_navigation import variable_occurrences
from dockerfile_stages.lsp.convert import cursor, lsp_range

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    def highlight(params: types.DocumentHighlightParams) -> list[types.DocumentHighlight]:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return []
        line, col = cursor(opened.document, params.position)
        return [
            types.DocumentHighlight(
                range=lsp_range(opened.document, o.span),
                kind=types.DocumentHighlightKind.Write if o.is_declaration else types.DocumentHighlightKind.Read,
            )
            for o in references(opened.model, line, col, include_declaration=True)
            or variable_occurrences(opened.variables, line, col)
        ]
