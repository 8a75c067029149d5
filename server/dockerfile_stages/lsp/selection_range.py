"""textDocument/selectionRange: word, mount field, flag, instruction, stage, file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import cursor, lsp_range
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_SELECTION_RANGE, empty=[])
    def selection(analysis: Analysis, params: types.SelectionRangeParams) -> list[types.SelectionRange]:
        found = []
        for where in params.positions:
            chain = analysis.selection(*cursor(analysis.document, where))
            nested: types.SelectionRange | None = None
            for span in reversed(chain):
                nested = types.SelectionRange(range=lsp_range(analysis.document, span), parent=nested)
            found.append(nested or types.SelectionRange(range=types.Range(start=where, end=where)))
        return found
