"""workspace/symbol: the stages of every open Dockerfile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.lsp.convert import lsp_range

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.WORKSPACE_SYMBOL)
    def workspace_symbols(params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol]:
        query = params.query.lower()
        found = []
        for opened in server.documents.all():
            for stage in opened.model.stages:
                name = stage.name or f"stage {stage.index}"
                if query and query not in name.lower():
                    continue
                span = stage.name_span or stage.keyword_span
                found.append(
                    types.WorkspaceSymbol(
                        name=name,
                        kind=types.SymbolKind.Class,
                        location=types.Location(uri=opened.uri, range=lsp_range(opened.document, span)),
                        container_name=f"FROM {stage.base}",
                    )
                )
        return found
