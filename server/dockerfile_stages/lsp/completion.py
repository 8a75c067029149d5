"""textDocument/completion: stage names after COPY --from=, RUN --mount=...,from= and FROM."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from dockerfile_stages.ide.completion import Candidate, CandidateKind
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import JsonResult, cursor, lsp_range
from dockerfile_stages.lsp.handlers import wait_briefly
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
    session = server.session

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS))
    async def completion(params: types.CompletionParams) -> JsonResult:
        uri = params.text_document.uri
        if workspace_files.is_build_uri(uri):
            items = await workspace_files.target_completion(server, uri, params.position)
            return JsonResult(isIncomplete=False, items=items)
        analysis = session.analysis(uri)
        if analysis is None:
            return JsonResult(isIncomplete=False, items=[])
        line, col = cursor(analysis.document, params.position)
        waits = analysis.completion_waits(line, col)  # a registry's tag list, the first time
        await wait_briefly(waits, session.settings.sizes_hover_wait_ms / 1000)
        candidates = analysis.completion(line, col)
        incomplete = any(not future.done() for future in waits)  # the client asks again later
        snippets = session.capabilities.snippets
        # Plain JSON-shaped items: a file with hundreds of stages answers hundreds of items on every
        # keystroke, and building lsprotocol objects for them costs more than finding them.
        return JsonResult(isIncomplete=incomplete, items=[_item(analysis.document, c, snippets) for c in candidates])


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


def to_json(where: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": where.start.line, "character": where.start.character},
        "end": {"line": where.end.line, "character": where.end.character},
    }
