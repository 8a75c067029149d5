"""textDocument/foldingRange: stages, heredocs, continuation blocks, comment blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.outline import folding_ranges

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    def folding(params: types.FoldingRangeParams) -> list[types.FoldingRange]:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return []
        return [
            types.FoldingRange(
                start_line=fold.start,
                end_line=fold.end,
                kind=types.FoldingRangeKind.Comment if fold.kind == "comment" else types.FoldingRangeKind.Region,
            )
            for fold in folding_ranges(opened.document, opened.model)
        ]
