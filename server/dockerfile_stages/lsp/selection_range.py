"""textDocument/selectionRange: word, mount field, flag, instruction, stage, file (plain JSON, the
shape of lsprotocol's ``SelectionRange``: a client may ask for many positions at once)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import JsonList, cursor
from dockerfile_stages.lsp.handlers import DocumentRequest
from dockerfile_stages.lsp.ranges_json import ClientRanges, Json

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def selection_ranges(analysis: Analysis, positions: Sequence[types.Position]) -> JsonList:
    """For each client position, its chain of ever larger ranges (innermost first, ``parent`` outward)."""
    ranges = ClientRanges(analysis.document)
    found = JsonList()
    for where in positions:
        nested: Json | None = None
        for span in reversed(analysis.selection(*cursor(analysis.document, where))):
            nested = {"range": ranges.range(span)} | ({"parent": nested} if nested is not None else {})
        if nested is None:  # nowhere to grow from: the position itself
            point = {"line": where.line, "character": where.character}
            nested = {"range": {"start": point, "end": point}}
        found.append(nested)
    return found


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_SELECTION_RANGE, empty=[])
    def selection(analysis: Analysis, params: types.SelectionRangeParams) -> JsonList:
        return selection_ranges(analysis, params.positions)
