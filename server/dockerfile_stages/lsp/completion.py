"""textDocument/completion: stage names after COPY --from=, RUN --mount=...,from= and FROM.

A file with hundreds of stages answers hundreds of items on every keystroke, so the answer is
lean: items are plain JSON (no lsprotocol objects), they share one edit range through
``itemDefaults.editRange`` where the client accepts it (LSP 3.17; each item carries its own
``textEdit`` otherwise, with each distinct range computed once), and while the candidates are the
same list (``CompletionMemo``: no stage changed) the items are the JSON text encoded last time.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import msgspec
from lsprotocol import types

from dockerfile_stages.ide.completion import Candidate, CandidateKind, CompletionMemo
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import JsonResult, cursor, json_range
from dockerfile_stages.lsp.handlers import wait_briefly
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Span

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


class _Encoded(msgspec.Struct):
    """The items last sent with a shared range, as JSON text, and the candidate list they encode."""

    candidates: list[Candidate] | None = None
    snippets: bool = False
    text: str = ""


def register(server: StagesServer) -> None:
    session = server.session
    memo = CompletionMemo()
    encoded = _Encoded()

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
        candidates = analysis.completion(line, col, memo)
        incomplete = any(not future.done() for future in waits)  # the client asks again later
        capabilities = session.capabilities
        if not candidates:
            return JsonResult(isIncomplete=incomplete, items=[])
        if capabilities.shared_edit_range:
            return _shared_range_answer(analysis.document, candidates, incomplete, capabilities.snippets, encoded)
        return JsonResult(isIncomplete=incomplete, items=_items(analysis.document, candidates, capabilities.snippets))


def _shared_range_answer(
    document: Document, candidates: list[Candidate], incomplete: bool, snippets: bool, encoded: _Encoded
) -> JsonResult:
    """The first candidate's range as the list's default; an item with another range says its own."""
    shared = candidates[0].replace
    defaults = {"editRange": json_range(document, shared)}
    if encoded.candidates is not candidates or encoded.snippets != snippets:
        items = _items(document, candidates, snippets, shared)
        if any(candidate.replace != shared for candidate in candidates):  # ranges inside: not reusable
            return JsonResult(isIncomplete=incomplete, itemDefaults=defaults, items=items)
        encoded.candidates, encoded.snippets, encoded.text = candidates, snippets, json.dumps(items)
    return JsonResult({"items": encoded.text}, isIncomplete=incomplete, itemDefaults=defaults)


def _items(
    document: Document, candidates: list[Candidate], snippets: bool, shared: Span | None = None
) -> list[dict[str, Any]]:
    """Items with a ``textEdit`` each, except where the range is ``shared`` (the list's default)."""
    ranges: dict[Span, dict[str, Any]] = {}  # most items replace the same word: convert it once
    items = []
    for candidate in candidates:
        item, text = _item(candidate, snippets)
        span = candidate.replace
        if span == shared:
            if text != candidate.label:
                item["textEditText"] = text
        else:
            where = ranges.get(span)
            if where is None:
                where = ranges[span] = json_range(document, span)
            item["textEdit"] = {"range": where, "newText": text}
        items.append(item)
    return items


def _item(candidate: Candidate, snippets: bool) -> tuple[dict[str, Any], str]:
    """The item without its edit, and the text the edit inserts."""
    text = candidate.insert if candidate.insert is not None else candidate.label
    if candidate.snippet and not snippets:
        text = _PLACEHOLDER.sub(lambda match: match.group(1) or "", text)
    item: dict[str, Any] = {
        "label": candidate.label,
        "kind": _KINDS[candidate.kind].value,
        "detail": candidate.detail,
        "sortText": candidate.sort_key,
    }
    if candidate.snippet and snippets:
        item["insertTextFormat"] = types.InsertTextFormat.Snippet.value
    if candidate.documentation:
        item["documentation"] = {"kind": "markdown", "value": candidate.documentation}
    return item, text
