"""textDocument/definition: from a stage reference to the stage's ``AS name``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.navigation import definition
from dockerfile_stages.ide.variable_navigation import variable_definition
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import cursor, lsp_range

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def goto_definition(params: types.DefinitionParams) -> types.Location | None:
        if workspace_files.is_build_uri(params.text_document.uri):
            return workspace_files.definition(server, params.text_document.uri, params.position)
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return None
        line, col = cursor(opened.document, params.position)
        span = definition(opened.model, line, col) or variable_definition(opened.variables, line, col)
        if span is None:
            return None
        return types.Location(uri=opened.uri, range=lsp_range(opened.document, span))
