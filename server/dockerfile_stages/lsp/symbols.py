"""textDocument/documentSymbol: stages holding their instructions; ARGs before FROM on top.

A file of thousands of stages answers thousands of symbols, so they are built as plain JSON (the
shape lsprotocol's ``DocumentSymbol`` unstructures to) with each range converted once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.ide.outline import Symbol
from dockerfile_stages.lsp.convert import JsonList
from dockerfile_stages.lsp.handlers import DocumentRequest
from dockerfile_stages.lsp.ranges_json import ClientRanges, Json

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_KINDS = {
    "stage": types.SymbolKind.Class.value,
    "instruction": types.SymbolKind.Function.value,
    "arg": types.SymbolKind.Variable.value,
}


def _convert(ranges: ClientRanges, symbol: Symbol) -> Json:
    return {
        "name": symbol.name,
        "kind": _KINDS[symbol.kind],
        "range": ranges.range(symbol.range),
        "selectionRange": ranges.range(symbol.selection),
        "detail": symbol.detail,
        "children": [_convert(ranges, child) for child in symbol.children],
    }


def document_symbols(analysis: Analysis) -> JsonList:
    ranges = ClientRanges(analysis.document)
    return JsonList(_convert(ranges, symbol) for symbol in analysis.symbols())


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, empty=[])
    def symbols(analysis: Analysis, params: types.DocumentSymbolParams) -> JsonList:
        return document_symbols(analysis)
