"""textDocument/completion: stage names after COPY --from=, RUN --mount=...,from= and FROM."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from dockerfile_stages.ide.completion import Candidate, CandidateKind, complete
from dockerfile_stages.ide.image_tags import tag_candidates, tag_slot
from dockerfile_stages.ide.syntax_completion import complete_syntax
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import cursor, lsp_range
from dockerfile_stages.lsp.server import JsonResult
from dockerfile_stages.model.image import DOCKER_HUB, ImageRef
from dockerfile_stages.sizes.snapshot import load_snapshot
from dockerfile_stages.syntax.document import Document

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_KINDS = {
    CandidateKind.STAGE: types.CompletionItemKind.Reference,
    CandidateKind.IMAGE: types.CompletionItemKind.Module,
    CandidateKind.KEYWORD: types.CompletionItemKind.Keyword,
    CandidateKind.FLAG: types.CompletionItemKind.Property,
    CandidateKind.VALUE: types.CompletionItemKind.Value,
    CandidateKind.VARIABLE: types.CompletionItemKind.Variable,
    CandidateKind.DIRECTIVE: types.CompletionItemKind.Keyword,
    CandidateKind.TAG: types.CompletionItemKind.Constant,
}
TRIGGER_CHARACTERS = ["=", " ", ",", '"', ":", "$", "{", "-", "/", ";"]
_PLACEHOLDER = re.compile(r"\$\{\d+:([^}]*)\}|\$\d+")


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS))
    async def completion(params: types.CompletionParams) -> JsonResult:
        if workspace_files.is_build_uri(params.text_document.uri):
            items = await workspace_files.target_completion(server, params.text_document.uri, params.position)
            return JsonResult(isIncomplete=False, items=items)
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return JsonResult(isIncomplete=False, items=[])
        document = opened.document
        line, col = cursor(document, params.position)
        model = opened.model
        slot = tag_slot(document, model, line, col) if server.settings.complete_images else None
        candidates = None
        incomplete = False
        if slot is not None:
            online, incomplete = await _registry_tags(server, slot.image)
            candidates = tag_candidates(slot, online, "registry") + tag_candidates(
                slot, set(snapshot_tags(slot.image)) - set(online), "snapshot", group=1
            )
        if candidates is None:
            candidates = complete_syntax(document, model, line, col, lambda: opened.variables)
        if candidates is None:
            images = common_images(server) if server.settings.complete_images else ()
            candidates = complete(document, model, line, col, images)
        snippets = _snippet_support(server)
        # Plain JSON-shaped items: a file with hundreds of stages answers hundreds of items on every
        # keystroke, and building lsprotocol objects for them costs more than finding them.
        return JsonResult(isIncomplete=incomplete, items=[_item(document, c, snippets) for c in candidates])


async def _registry_tags(server: StagesServer, image: ImageRef) -> tuple[tuple[str, ...], bool]:
    """The registry's tag list (cached for the run), waiting briefly the first time; True when it is
    still coming (the answer is then marked incomplete, so the client asks again)."""
    found = server.sizes.known_tags(image)
    if found is not None or not server.sizes.settings.online:
        return found or (), False
    pending = server.sizes.pending_tags(image)
    if pending is None:
        return (), False
    try:
        wait = server.settings.sizes_hover_wait_ms / 1000
        return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(pending)), wait), False
    except Exception:  # slow (timeout) or failed: the snapshot's tags for now
        return (), True


def _item(document: Document, candidate: Candidate, snippets: bool) -> dict[str, Any]:
    text = candidate.insert if candidate.insert is not None else candidate.label
    snippet = candidate.snippet and snippets
    if candidate.snippet and not snippets:
        text = _PLACEHOLDER.sub(lambda match: match.group(1) or "", text)
    item: dict[str, Any] = {
        "label": candidate.label,
        "kind": _KINDS[candidate.kind].value,
        "detail": candidate.detail,
        "sortText": candidate.sort_key,
        "filterText": candidate.label,
        "textEdit": {"range": to_json(lsp_range(document, candidate.replace)), "newText": text},
    }
    if snippet:
        item["insertTextFormat"] = types.InsertTextFormat.Snippet.value
    if candidate.documentation:
        item["documentation"] = {"kind": "markdown", "value": candidate.documentation}
    return item


def _snippet_support(server: StagesServer) -> bool:
    capabilities = server.client_capabilities.text_document
    completion = capabilities.completion if capabilities else None
    item = completion.completion_item if completion else None
    return bool(item and item.snippet_support)


def to_json(where: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": where.start.line, "character": where.start.character},
        "end": {"line": where.end.line, "character": where.end.character},
    }


def snapshot_tags(image: ImageRef) -> tuple[str, ...]:
    """The tags the bundled snapshot knows for an official image (offline)."""
    if image.registry != DOCKER_HUB or not image.repository.startswith("library/"):
        return ()
    return load_snapshot().tags(image.repository.removeprefix("library/"))


def common_images(server: StagesServer) -> tuple[str, ...]:
    """Common base images offered after FROM (from the bundled size snapshot once it is there)."""
    try:
        from dockerfile_stages.sizes.snapshot import snapshot_images
    except ImportError:
        return ()
    return snapshot_images()
