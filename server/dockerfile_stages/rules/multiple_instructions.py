"""DS206 (BuildKit MultipleInstructionsDisallowed): several CMD, ENTRYPOINT or HEALTHCHECK in a stage.

Scope: one stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from itertools import chain

from dockerfile_stages.model.stages import Stage
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction, Span

_ONCE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")
RULE_ID = ids.MULTIPLE_INSTRUCTIONS_DISALLOWED


def _overridden(context: Context, stage: Stage) -> list[Finding]:
    seen: dict[str, list[tuple[int, Instruction]]] = {cmd: [] for cmd in _ONCE}
    for line, node in context.instructions_of(stage):
        if node.cmd in seen:
            seen[node.cmd].append((line, node))
    found = []
    for cmd, written in seen.items():
        if len(written) < 2:  # the usual case: no range to work out
            continue
        spans: list[Span] = [node.keyword_span.shifted(line) for line, node in written]
        found += [
            RULE.finding(
                f"Only the last {cmd} of a stage takes effect: this one (line {span.start.line + 1}) is "
                f"overridden by the {cmd} on line {spans[-1].start.line + 1}.",
                span,
                unnecessary=True,
                related=((spans[-1], f"the {cmd} that takes effect"),),
            )
            for span in spans[:-1]
        ]
    return found


def check(context: Context) -> Iterator[Finding]:
    return iter(context.stage_memo(RULE_ID, None, partial(_all_overridden, context)))


def _all_overridden(context: Context) -> list[Finding]:
    return list(chain.from_iterable(context.stage_values(RULE_ID, partial(_overridden, context))))


RULE = Rule(
    id=ids.MULTIPLE_INSTRUCTIONS_DISALLOWED,
    name="multiple-instructions-disallowed",
    severity=Severity.WARNING,
    summary="More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage.",
    what="Flags every CMD, ENTRYPOINT and HEALTHCHECK of a stage except the last of each kind.",
    why="Only the last one is kept in the image; the others do nothing and mislead the reader.",
    example='FROM alpine\nCMD ["echo", "one"]   # DS206\nCMD ["echo", "two"]',
    use_instead='FROM alpine\nCMD ["echo", "two"]',
    check=check,
    scope=Scope.STAGE,
    peers=("BuildKit MultipleInstructionsDisallowed", "hadolint DL4003", "hadolint DL4004"),
)
