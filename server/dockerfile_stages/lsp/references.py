"""textDocument/references: every place that names a stage, in the Dockerfile and its build files."""

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
    def in_build_file(params: types.ReferenceParams) -> list[types.Location]:
        uri, include = params.text_document.uri, params.context.include_declaration
        return workspace_files.references_from_build_file(server, uri, params.position, include) or []

    @DocumentRequest(server, types.TEXT_DOCUMENT_REFERENCES, empty=[], build_file=in_build_file)
    def find_references(analysis: Analysis, params: types.ReferenceParams) -> list[types.Location]:
        line, col = cursor(analysis.document, params.position)
        uri = params.text_document.uri
        found = analysis.references(line, col, params.context.include_declaration)
        result = [types.Location(uri=uri, range=lsp_range(analysis.document, o.span)) for o in found]
        stage = analysis.stage_at(line, col)
        path = workspace_files.path_of(uri)
        if stage is not None and path is not None:
            result += workspace_files.uses(server, path, stage)  # Compose, Bake, CI, scripts
        return result
