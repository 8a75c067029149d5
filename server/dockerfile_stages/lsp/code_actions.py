"""textDocument/codeAction: the quick fixes that rules attach to their findings, and the split refactoring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.actions import Action, ActionKind
from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import cursor, text_edit, to_diagnostic
from dockerfile_stages.lsp.handlers import DocumentRequest
from dockerfile_stages.syntax.nodes import Pos

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_KINDS = {
    ActionKind.QUICK_FIX: types.CodeActionKind.QuickFix,
    ActionKind.REFACTOR_REWRITE: types.CodeActionKind.RefactorRewrite,
}
OPTIONS = types.CodeActionOptions(code_action_kinds=list(_KINDS.values()))


def register(server: StagesServer) -> None:
    def in_build_file(params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        return workspace_files.code_actions(server, uri, params.range.start, params.range.end)

    @DocumentRequest(server, types.TEXT_DOCUMENT_CODE_ACTION, OPTIONS, empty=[], build_file=in_build_file)
    def code_actions(analysis: Analysis, params: types.CodeActionParams) -> list[types.CodeAction]:
        document = analysis.document
        start = Pos(*cursor(document, params.range.start))
        end = Pos(*cursor(document, params.range.end))
        only = params.context.only
        refactors = only is None or any(kind.startswith(("refactor", "quickfix")) for kind in only)
        uri = params.text_document.uri
        return [_action(uri, analysis, action) for action in analysis.code_actions(start, end, refactors)]


def _action(uri: str, analysis: Analysis, action: Action) -> types.CodeAction:
    edits = [text_edit(analysis.document, edit) for edit in action.edits]
    return types.CodeAction(
        title=action.title,
        kind=_KINDS[action.kind],
        diagnostics=[to_diagnostic(uri, analysis.document, finding) for finding in action.findings] or None,
        is_preferred=action.preferred or None,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )
