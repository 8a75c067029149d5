"""workspace/symbol: the stages of every open Dockerfile (plain JSON, the shape of lsprotocol's
``WorkspaceSymbol``: a file of thousands of stages answers thousands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.lsp.convert import JsonList
from dockerfile_stages.lsp.memory import collector_paused
from dockerfile_stages.lsp.ranges_json import ClientRanges, Json
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.syntax.document import Document

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_CLASS = types.SymbolKind.Class.value


def stage_symbols(uri: str, document: Document, model: StageModel, query: str) -> list[Json]:
    """The stages of one document whose name holds ``query`` (lowercase; "" for all)."""
    ranges = ClientRanges(document)
    found = []
    for stage in model.stages:
        name = stage.name or f"stage {stage.index}"
        if query and query not in name.lower():
            continue
        span = stage.name_span or stage.keyword_span
        location = {"uri": uri, "range": ranges.range(span)}
        found.append({"name": name, "kind": _CLASS, "location": location, "containerName": f"FROM {stage.base}"})
    return found


def register(server: StagesServer) -> None:
    @server.feature(types.WORKSPACE_SYMBOL)
    def workspace_symbols(params: types.WorkspaceSymbolParams) -> JsonList:
        query = params.query.lower()
        found = JsonList()
        with collector_paused():  # an answer's JSON forms no cycles (lsp/memory.py)
            for opened in server.documents.all():
                found += stage_symbols(opened.uri, opened.document, opened.model, query)
        return found
