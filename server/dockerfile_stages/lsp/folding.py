"""textDocument/foldingRange: stages, heredocs, continuation blocks, comment blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_FOLDING_RANGE, empty=[])
    def folding(analysis: Analysis, params: types.FoldingRangeParams) -> list[types.FoldingRange]:
        return [
            types.FoldingRange(
                start_line=fold.start,
                end_line=fold.end,
                kind=types.FoldingRangeKind.Comment if fold.kind == "comment" else types.FoldingRangeKind.Region,
            )
            for fold in analysis.folding_ranges()
        ]
