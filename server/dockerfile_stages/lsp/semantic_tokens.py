"""textDocument/semanticTokens/full, /full/delta and /range."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.ide.semantic_tokens import TOKEN_MODIFIERS, TOKEN_TYPES, TokenCache
from dockerfile_stages.lsp.convert import JsonResult, cursor
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

LEGEND = types.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)


class SentTokens(msgspec.Struct):
    """What was last sent for a document, for delta requests."""

    cache: TokenCache = msgspec.field(default_factory=TokenCache)
    version: tuple[int, object] = (-1, None)  # (document version, stage model) the data is for
    result_id: str = ""
    data: list[int] = msgspec.field(default_factory=list)
    counter: int = 0


def register(server: StagesServer) -> None:
    def full_data(uri: str) -> tuple[SentTokens, list[int]] | None:
        opened = server.session.documents.get(uri)
        if opened is None:
            return None
        analysis = server.session.analysis_of(opened)
        if opened.sent_tokens is None:
            opened.sent_tokens = SentTokens()
        state = opened.sent_tokens
        version = (analysis.document.version, analysis.model)
        if state.version[0] == version[0] and state.version[1] is version[1]:
            return state, state.data  # asked again for the same text (a refresh, a focus change)
        data = analysis.semantic_tokens(cache=state.cache)
        state.version = version
        return state, data

    def remember(state: SentTokens, data: list[int]) -> str:
        state.counter += 1
        state.result_id = str(state.counter)
        state.data = data
        return state.result_id

    @server.feature(
        types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
        types.SemanticTokensRegistrationOptions(
            legend=LEGEND, full=types.SemanticTokensFullDelta(delta=True), range=True
        ),
    )
    def full(params: types.SemanticTokensParams) -> JsonResult:
        found = full_data(params.text_document.uri)
        if found is None:
            return JsonResult(data=[])
        state, data = found
        return JsonResult(resultId=remember(state, data), data=data)

    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA)
    def delta(params: types.SemanticTokensDeltaParams) -> JsonResult:
        found = full_data(params.text_document.uri)
        if found is None:
            return JsonResult(data=[])
        state, data = found
        if params.previous_result_id != state.result_id:
            return JsonResult(resultId=remember(state, data), data=data)
        old = state.data
        start = 0
        limit = min(len(old), len(data))
        while start < limit and old[start] == data[start]:
            start += 1
        end = 0
        while end < limit - start and old[-1 - end] == data[-1 - end]:
            end += 1
        edit = {"start": start, "deleteCount": len(old) - start - end, "data": data[start : len(data) - end]}
        return JsonResult(resultId=remember(state, data), edits=[edit])

    @DocumentRequest(server, types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, empty=JsonResult(data=[]))
    def by_range(analysis: Analysis, params: types.SemanticTokensRangeParams) -> JsonResult:
        first, _ = cursor(analysis.document, params.range.start)
        last, _ = cursor(analysis.document, params.range.end)
        return JsonResult(data=analysis.semantic_tokens(first, last))
