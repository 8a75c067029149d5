"""textDocument/inlayHint: resolved FROM images, names of stages given by number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import cursor, position
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False), empty=[])
    def hints(analysis: Analysis, params: types.InlayHintParams) -> list[types.InlayHint]:
        first, _ = cursor(analysis.document, params.range.start)
        last, _ = cursor(analysis.document, params.range.end)
        return [
            types.InlayHint(
                position=position(analysis.document, hint.position),
                label=hint.label,
                kind=types.InlayHintKind.Type,
                tooltip=hint.tooltip,
            )
            for hint in analysis.inlay_hints(first, last)
        ]
