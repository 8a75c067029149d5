"""textDocument/inlayHint: resolved FROM images, names of stages given by number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.inlay_hints import inlay_hints
from dockerfile_stages.lsp.convert import cursor, position

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    def hints(params: types.InlayHintParams) -> list[types.InlayHint]:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return []
        first, _ = cursor(opened.document, params.range.start)
        last, _ = cursor(opened.document, params.range.end)
        return [
            types.InlayHint(
                position=position(opened.document, hint.position),
                label=hint.label,
                kind=types.InlayHintKind.Type,
                tooltip=hint.tooltip,
            )
            for hint in inlay_hints(opened.model, first, last)
        ]
