"""Code actions: the quick fixes rules attach to their findings, and the split refactoring.

Each action carries the findings it fixes (the objects themselves), so the LSP layer can name the
matching diagnostics without relying on the order it converted them in.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

import msgspec

from dockerfile_stages.model.image import ImageRef, parse_image_ref
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.refactor.split import NoSplit, SplitPlan
from dockerfile_stages.rules import Edit, Finding, ids
from dockerfile_stages.sizes.figures import human
from dockerfile_stages.syntax.nodes import Pos, Span

SPLIT_TITLE = "Split into builder and runner stages"


class ActionKind(Enum):
    QUICK_FIX = "quickfix"
    REFACTOR_REWRITE = "refactor.rewrite"


class Action(msgspec.Struct, frozen=True):
    title: str
    kind: ActionKind
    edits: tuple[Edit, ...]
    findings: tuple[Finding, ...] = ()  # what the action fixes
    preferred: bool = False


def code_actions(
    model: StageModel,
    findings: list[Finding],
    start: Pos,
    end: Pos,
    *,
    refactors: bool,
    split: Callable[[], SplitPlan | NoSplit],
    image_bytes: Callable[[ImageRef], int | None],
) -> list[Action]:
    """Quick fixes of the findings in the range and, with ``refactors``, the split (``split``
    plans it: the caller keeps the plan for the next request, as it depends on the text only)."""
    actions = [
        Action(fix.title, ActionKind.QUICK_FIX, fix.edits, (finding,), fix.preferred)
        for finding in findings
        if not (finding.span.end < start or finding.span.start > end)
        for fix in finding.fixes
    ]
    final = model.stages[-1] if model.stages else None
    if refactors and final is not None and covers(final.range, start.line, end.line):
        actions += split_actions(split(), findings, image_bytes)
    return actions


def split_actions(
    plan: SplitPlan | NoSplit, findings: list[Finding], image_bytes: Callable[[ImageRef], int | None]
) -> list[Action]:
    """The split as a refactoring, and as the quick fix of the toolchain-in-final-stage findings."""
    if not isinstance(plan, SplitPlan):
        return []
    edits = (Edit(plan.span, plan.text),)
    title = split_title(plan, image_bytes)
    actions = [Action(title, ActionKind.REFACTOR_REWRITE, edits)]
    toolchain = tuple(f for f in findings if f.rule == ids.TOOLCHAIN_IN_FINAL_STAGE)
    if toolchain:
        actions.append(Action(title, ActionKind.QUICK_FIX, edits, toolchain))
    return actions


def split_title(plan: SplitPlan, image_bytes: Callable[[ImageRef], int | None]) -> str:
    builder = parse_image_ref(plan.base)
    runner = parse_image_ref(plan.runner)
    if builder is None or runner is None:
        return SPLIT_TITLE
    before = image_bytes(builder)
    after = image_bytes(runner)
    if before is None or after is None:
        return f"{SPLIT_TITLE} (runner: {plan.runner})"
    return f"{SPLIT_TITLE}: final image about {human(after)} plus the build output, instead of {human(before)}"


def covers(span: Span, start_line: int, end_line: int) -> bool:
    return span.start.line <= end_line and start_line <= span.end.line
