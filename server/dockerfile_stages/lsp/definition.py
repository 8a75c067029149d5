"""textDocument/definition: from a stage reference to the stage's ``AS name`` (and from a build
file's target to the Dockerfile's stage)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import cursor, lsp_range
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    def in_build_file(params: types.DefinitionParams) -> types.Location | None:
        return workspace_files.definition(server, params.text_document.uri, params.position)

    @DocumentRequest(server, types.TEXT_DOCUMENT_DEFINITION, empty=None, build_file=in_build_file)
    def goto_definition(analysis: Analysis, params: types.DefinitionParams) -> types.Location | None:
        span = analysis.definition(*cursor(analysis.document, params.position))
        if span is None:
            return None
        return types.Location(uri=params.text_document.uri, range=lsp_range(analysis.document, span))
