"""textDocument/codeAction: the quick fixes that rules attach to their findings, and the split refactoring.
Plain JSON, the shape of lsprotocol's ``CodeAction``: a whole-file range may hold thousands of fixes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.actions import Action, ActionKind
from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import JsonList, cursor, json_edits
from dockerfile_stages.lsp.diagnostic_json import diagnostic
from dockerfile_stages.lsp.handlers import DocumentRequest
from dockerfile_stages.lsp.ranges_json import ClientRanges, Json
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
    def code_actions(analysis: Analysis, params: types.CodeActionParams) -> JsonList:
        document = analysis.document
        start = Pos(*cursor(document, params.range.start))
        end = Pos(*cursor(document, params.range.end))
        only = params.context.only
        refactors = only is None or any(kind.startswith(("refactor", "quickfix")) for kind in only)
        return actions(params.text_document.uri, analysis, analysis.code_actions(start, end, refactors))


def actions(uri: str, analysis: Analysis, found: list[Action]) -> JsonList:
    ranges = ClientRanges(analysis.document)
    return JsonList(_action(uri, analysis, ranges, action) for action in found)


def _action(uri: str, analysis: Analysis, ranges: ClientRanges, action: Action) -> Json:
    item: Json = {"title": action.title, "kind": _KINDS[action.kind].value}
    if action.findings:
        item["diagnostics"] = [diagnostic(uri, analysis.document, finding, ranges) for finding in action.findings]
    if action.preferred:
        item["isPreferred"] = True
    item["edit"] = {"changes": {uri: json_edits(analysis.document, action.edits, ranges)}}
    return item
