"""The "Split into builder and runner stages" code action (refactor.rewrite, and a quick fix on DS111)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.lsp.convert import lsp_range
from dockerfile_stages.lsp.store import OpenDocument
from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.refactor.split import SplitPlan, plan_split
from dockerfile_stages.rules import ids
from dockerfile_stages.sizes.figures import human
from dockerfile_stages.syntax.nodes import Span

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

TITLE = "Split into builder and runner stages"


def split_actions(
    server: StagesServer, opened: OpenDocument, diagnostics: list[types.Diagnostic]
) -> list[types.CodeAction]:
    plan = plan_split(opened.document, opened.model, runners=dict(server.settings.split_runners))
    if not isinstance(plan, SplitPlan):
        return []
    edit = types.WorkspaceEdit(
        changes={opened.uri: [types.TextEdit(range=lsp_range(opened.document, plan.span), new_text=plan.text)]}
    )
    title = _title(server, plan)
    actions = [types.CodeAction(title=title, kind=types.CodeActionKind.RefactorRewrite, edit=edit)]
    toolchain = [d for d in diagnostics if d.code == ids.TOOLCHAIN_IN_FINAL_STAGE]
    if toolchain:
        actions.append(
            types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=toolchain, edit=edit)
        )
    return actions


def _title(server: StagesServer, plan: SplitPlan) -> str:
    builder = parse_image_ref(plan.base)
    runner = parse_image_ref(plan.runner)
    if builder is None or runner is None:
        return TITLE
    before = server.sizes.known(builder, server.settings.platform).best_bytes
    after = server.sizes.known(runner, server.settings.platform).best_bytes
    if before is None or after is None:
        return f"{TITLE} (runner: {plan.runner})"
    return f"{TITLE}: final image about {human(after)} plus the build output, instead of {human(before)}"


def covers(span: Span, start_line: int, end_line: int) -> bool:
    return span.start.line <= end_line and start_line <= span.end.line
