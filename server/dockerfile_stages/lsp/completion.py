"""textDocument/completion: stage names after COPY --from=, RUN --mount=...,from= and FROM."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from dockerfile_stages.ide.completion import complete
from dockerfile_stages.lsp.convert import cursor, lsp_range
from dockerfile_stages.lsp.server import JsonResult

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_KINDS = {"stage": types.CompletionItemKind.Reference, "image": types.CompletionItemKind.Module}


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["=", " ", ","]))
    def completion(params: types.CompletionParams) -> JsonResult:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return JsonResult(isIncomplete=False, items=[])
        document = opened.document
        line, col = cursor(document, params.position)
        images = common_images(server) if server.settings.complete_images else ()
        candidates = complete(document, opened.model, line, col, images)
        # Plain JSON-shaped items: a file with hundreds of stages answers hundreds of items on every
        # keystroke, and building lsprotocol objects for them costs more than finding them.
        items = []
        for candidate in candidates:
            where = to_json(lsp_range(document, candidate.replace))
            items.append(
                {
                    "label": candidate.label,
                    "kind": _KINDS[candidate.kind].value,
                    "detail": candidate.detail,
                    "sortText": candidate.sort_key,
                    "filterText": candidate.label,
                    "textEdit": {"range": where, "newText": candidate.label},
                }
            )
        return JsonResult(isIncomplete=False, items=items)


def to_json(where: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": where.start.line, "character": where.start.character},
        "end": {"line": where.end.line, "character": where.end.character},
    }


def common_images(server: StagesServer) -> tuple[str, ...]:
    """Common base images offered after FROM (from the bundled size snapshot once it is there)."""
    try:
        from dockerfile_stages.sizes.snapshot import snapshot_images
    except ImportError:
        return ()
    return snapshot_images()
