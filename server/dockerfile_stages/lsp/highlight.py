"""textDocument/documentHighlight: the stage under the cursor, declaration and uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import cursor, lsp_range
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, empty=[])
    def highlight(analysis: Analysis, params: types.DocumentHighlightParams) -> list[types.DocumentHighlight]:
        line, col = cursor(analysis.document, params.position)
        return [
            types.DocumentHighlight(
                range=lsp_range(analysis.document, o.span),
                kind=types.DocumentHighlightKind.Write if o.is_declaration else types.DocumentHighlightKind.Read,
            )
            for o in analysis.highlights(line, col)
        ]
