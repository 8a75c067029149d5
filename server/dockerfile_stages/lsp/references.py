"""textDocument/references: every place that names a stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.navigation import references, stage_at
from dockerfile_stages.ide.variable_navigation import variable_occurrences
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import cursor, lsp_range

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def find_references(params: types.ReferenceParams) -> list[types.Location]:
        uri = params.text_document.uri
        if workspace_files.is_build_uri(uri):
            include = params.context.include_declaration
            return workspace_files.references_from_build_file(server, uri, params.position, include) or []
        opened = server.documents.get(uri)
        if opened is None:
            return []
        line, col = cursor(opened.document, params.position)
        found = references(opened.model, line, col, params.context.include_declaration) or variable_occurrences(
            opened.variables, line, col, params.context.include_declaration
        )
        result = [types.Location(uri=opened.uri, range=lsp_range(opened.document, o.span)) for o in found]
        stage = stage_at(opened.model, line, col)
        path = workspace_files.path_of(uri)
        if stage is not None and path is not None:
            result += workspace_files.uses(server, path, stage[0])  # Compose, Bake, CI, scripts
        return result
