"""textDocument/codeAction: the quick fixes that rules attach to their findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.lsp.convert import cursor, text_edit
from dockerfile_stages.lsp.diagnostics import to_diagnostics
from dockerfile_stages.lsp.split_action import covers, split_actions
from dockerfile_stages.lsp.workspace_files import code_actions as build_file_actions
from dockerfile_stages.lsp.workspace_files import is_build_uri, targets_for
from dockerfile_stages.syntax.nodes import Pos

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.RefactorRewrite]
        ),
    )
    def code_actions(params: types.CodeActionParams) -> list[types.CodeAction]:
        if is_build_uri(params.text_document.uri):
            return build_file_actions(server, params.text_document.uri, params.range.start, params.range.end)
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return []
        document = opened.document
        start = Pos(*cursor(document, params.range.start))
        end = Pos(*cursor(document, params.range.end))
        findings = opened.findings(server.settings.targets + targets_for(server, opened.uri), server.settings.ignore)
        diagnostics = to_diagnostics(server, opened, always=True)  # one per finding, in order
        actions = []
        for finding, diagnostic in zip(findings, diagnostics, strict=True):
            if finding.span.end < start or finding.span.start > end:
                continue
            for fix in finding.fixes:
                actions.append(
                    types.CodeAction(
                        title=fix.title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=fix.preferred or None,
                        edit=types.WorkspaceEdit(changes={opened.uri: [text_edit(document, e) for e in fix.edits]}),
                    )
                )
        if params.context.only is None or any(
            kind.startswith(("refactor", "quickfix")) for kind in params.context.only
        ):
            final = opened.model.stages[-1] if opened.model.stages else None
            if final is not None and covers(final.range, start.line, end.line):
                actions += split_actions(server, opened, diagnostics)
        return actions
