"""textDocument/documentSymbol: stages holding their instructions; ARGs before FROM on top."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.ide.outline import Symbol
from dockerfile_stages.lsp.convert import lsp_range
from dockerfile_stages.lsp.handlers import DocumentRequest
from dockerfile_stages.syntax.document import Document

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_KINDS = {"stage": types.SymbolKind.Class, "instruction": types.SymbolKind.Function, "arg": types.SymbolKind.Variable}


def _convert(document: Document, symbol: Symbol) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name,
        detail=symbol.detail,
        kind=_KINDS[symbol.kind],
        range=lsp_range(document, symbol.range),
        selection_range=lsp_range(document, symbol.selection),
        children=[_convert(document, child) for child in symbol.children],
    )


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, empty=[])
    def document_symbols(analysis: Analysis, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        return [_convert(analysis.document, symbol) for symbol in analysis.symbols()]
