"""textDocument/references: every place that names a stage, in the Dockerfile and its build files.
Plain JSON, the shape of lsprotocol's ``Location``: a stage may be named thousands of times."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import JsonList, cursor, unstructure
from dockerfile_stages.lsp.handlers import DocumentRequest
from dockerfile_stages.lsp.ranges_json import ClientRanges

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def local_references(uri: str, analysis: Analysis, line: int, col: int, include_declaration: bool) -> JsonList:
    """The places in this Dockerfile that name the stage at (line, col)."""
    ranges = ClientRanges(analysis.document)
    found = analysis.references(line, col, include_declaration)
    return JsonList({"uri": uri, "range": ranges.range(o.span)} for o in found)


def register(server: StagesServer) -> None:
    def in_build_file(params: types.ReferenceParams) -> list[types.Location]:
        uri, include = params.text_document.uri, params.context.include_declaration
        return workspace_files.references_from_build_file(server, uri, params.position, include) or []

    @DocumentRequest(server, types.TEXT_DOCUMENT_REFERENCES, empty=[], build_file=in_build_file)
    def find_references(analysis: Analysis, params: types.ReferenceParams) -> JsonList:
        line, col = cursor(analysis.document, params.position)
        uri = params.text_document.uri
        result = local_references(uri, analysis, line, col, params.context.include_declaration)
        stage = analysis.stage_at(line, col)
        path = workspace_files.path_of(uri)
        if stage is not None and path is not None:
            result += unstructure(workspace_files.uses(server, path, stage))  # Compose, Bake, CI, scripts
        return result
