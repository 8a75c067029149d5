"""textDocument/completion: stage names after COPY --from=, RUN --mount=...,from= and FROM."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.completion import complete
from dockerfile_stages.lsp.convert import cursor, lsp_range

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_KINDS = {"stage": types.CompletionItemKind.Reference, "image": types.CompletionItemKind.Module}


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["=", " ", ","]))
    def completion(params: types.CompletionParams) -> types.CompletionList:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return types.CompletionList(is_incomplete=False, items=[])
        document = opened.document
        line, col = cursor(document, params.position)
        images = common_images(server) if server.settings.complete_images else ()
        items = [
            types.CompletionItem(
                label=candidate.label,
                kind=_KINDS[candidate.kind],
                detail=candidate.detail,
                sort_text=candidate.sort_key,
                filter_text=candidate.label,
                text_edit=types.TextEdit(range=lsp_range(document, candidate.replace), new_text=candidate.label),
            )
            for candidate in complete(document, opened.model, line, col, images)
        ]
        return types.CompletionList(is_incomplete=False, items=items)


def common_images(server: StagesServer) -> tuple[str, ...]:
    """Common base images offered after FROM (from the bundled size snapshot once it is there)."""
    try:
        from dockerfile_stages.sizes.snapshot import snapshot_images
    except ImportError:
        return ()
    return snapshot_images()
