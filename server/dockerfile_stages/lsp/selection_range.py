"""textDocument/selectionRange: word, mount field, flag, instruction, stage, file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.selection import selection_chain
from dockerfile_stages.lsp.convert import cursor, lsp_range

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_SELECTION_RANGE)
    def selection(params: types.SelectionRangeParams) -> list[types.SelectionRange]:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return []
        found = []
        for where in params.positions:
            chain = selection_chain(opened.document, opened.model, *cursor(opened.document, where))
            nested: types.SelectionRange | None = None
            for span in reversed(chain):
                nested = types.SelectionRange(range=lsp_range(opened.document, span), parent=nested)
            found.append(nested or types.SelectionRange(range=types.Range(start=where, end=where)))
        return found
