"""textDocument/prepareRename and textDocument/rename of a stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from dockerfile_stages.ide.navigation import RenameError, prepare_rename, rename, stage_at
from dockerfile_stages.ide.variable_navigation import prepare_variable_rename, rename_variable
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import cursor, lsp_range

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare(params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
        if workspace_files.is_build_uri(params.text_document.uri):
            return workspace_files.prepare_rename_in_build_file(server, params.text_document.uri, params.position)
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return None
        line, col = cursor(opened.document, params.position)
        if stage_at(opened.model, line, col) is None:
            found = prepare_variable_rename(opened.variables, line, col)
            if found is None:
                return None  # nothing to rename here (the spec's answer is null, not an error)
            span, name = found
            return types.PrepareRenamePlaceholder(range=lsp_range(opened.document, span), placeholder=name)
        try:
            span, name = prepare_rename(opened.model, line, col)
        except RenameError as err:
            raise JsonRpcInvalidParams(err.message) from None
        return types.PrepareRenamePlaceholder(range=lsp_range(opened.document, span), placeholder=name)

    @server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    def do_rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        uri = params.text_document.uri
        try:
            if workspace_files.is_build_uri(uri):
                return workspace_files.rename_from_build_file(server, uri, params.position, params.new_name)
            opened = server.documents.get(uri)
            if opened is None:
                return None
            line, col = cursor(opened.document, params.position)
            path = workspace_files.path_of(uri)
            if stage_at(opened.model, line, col) is None:
                edits = rename_variable(opened.variables, line, col, params.new_name)
            elif path is not None:  # the Dockerfile and the build files that name the stage, in one edit
                return workspace_files.rename_stage(server, path, opened.model, line, col, params.new_name)
            else:
                edits = rename(opened.model, line, col, params.new_name)
        except RenameError as err:
            raise JsonRpcInvalidParams(err.message) from None
        text_edits = [types.TextEdit(range=lsp_range(opened.document, span), new_text=text) for span, text in edits]
        return types.WorkspaceEdit(changes={opened.uri: text_edits})
