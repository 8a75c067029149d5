"""textDocument/prepareRename and textDocument/rename of a stage (with the build files that name it);
the edit as plain JSON (a stage may be named thousands of times)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.ide.navigation import RenameError
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import JsonResult, cursor, json_edits, lsp_range
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    def prepare_in_build_file(params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
        return workspace_files.prepare_rename_in_build_file(server, params.text_document.uri, params.position)

    def rename_in_build_file(params: types.RenameParams) -> JsonResult | None:
        try:
            return workspace_files.rename_from_build_file(
                server, params.text_document.uri, params.position, params.new_name
            )
        except RenameError as err:
            raise JsonRpcInvalidParams(err.message) from None

    @DocumentRequest(server, types.TEXT_DOCUMENT_PREPARE_RENAME, empty=None, build_file=prepare_in_build_file)
    def prepare(analysis: Analysis, params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
        try:
            found = analysis.prepare_rename(*cursor(analysis.document, params.position))
        except RenameError as err:
            raise JsonRpcInvalidParams(err.message) from None
        if found is None:
            return None  # nothing to rename here (the spec's answer is null, not an error)
        span, name = found
        return types.PrepareRenamePlaceholder(range=lsp_range(analysis.document, span), placeholder=name)

    @DocumentRequest(
        server,
        types.TEXT_DOCUMENT_RENAME,
        types.RenameOptions(prepare_provider=True),
        empty=None,
        build_file=rename_in_build_file,
    )
    def do_rename(analysis: Analysis, params: types.RenameParams) -> JsonResult | None:
        uri = params.text_document.uri
        line, col = cursor(analysis.document, params.position)
        try:
            path = workspace_files.path_of(uri)
            if path is not None and analysis.stage_at(line, col) is not None:
                # the Dockerfile and the build files that name the stage, in one edit
                return workspace_files.rename_stage(server, path, analysis.model, line, col, params.new_name)
            edits = analysis.rename(line, col, params.new_name)
        except RenameError as err:
            raise JsonRpcInvalidParams(err.message) from None
        return JsonResult(changes={uri: json_edits(analysis.document, edits)})
