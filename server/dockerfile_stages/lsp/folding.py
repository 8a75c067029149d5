"""textDocument/foldingRange: stages, heredocs, continuation blocks, comment blocks (plain JSON,
the shape of lsprotocol's ``FoldingRange``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import JsonList
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_COMMENT, _REGION = types.FoldingRangeKind.Comment.value, types.FoldingRangeKind.Region.value


def folding_ranges(analysis: Analysis) -> JsonList:
    return JsonList(
        {"startLine": fold.start, "endLine": fold.end, "kind": _COMMENT if fold.kind == "comment" else _REGION}
        for fold in analysis.folding_ranges()
    )


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_FOLDING_RANGE, empty=[])
    def folding(analysis: Analysis, params: types.FoldingRangeParams) -> JsonList:
        return folding_ranges(analysis)
