"""DS013: HEALTHCHECK forms BuildKit refuses.

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction


def _problem(node: Instruction) -> str | None:
    if not node.value:
        return None  # no arguments at all: DS005
    kind = node.value[0].upper()
    if kind == "NONE":
        return "HEALTHCHECK NONE takes no arguments" if len(node.value) > 1 else None
    if kind != "CMD":
        return f"HEALTHCHECK takes CMD or NONE, not '{node.value[0]}'"
    if len(node.value) < 2 or (node.json and len(node.value) == 1):
        return "HEALTHCHECK CMD needs a command"
    return None


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if node.cmd == "HEALTHCHECK" and not node.errors:
        problem = _problem(node)
        if problem:
            yield RULE.finding(f"{problem}: BuildKit refuses the file.", node.span.shifted(line))


RULE = Rule(
    id=ids.HEALTHCHECK_SYNTAX,
    name="healthcheck-syntax",
    severity=Severity.ERROR,
    summary="HEALTHCHECK NONE with arguments, an unknown type, or CMD without a command.",
    what="Checks that HEALTHCHECK is `NONE` alone or `CMD` followed by a command.",
    why="BuildKit refuses the file before building anything.",
    example="FROM alpine\nHEALTHCHECK NONE CMD true   # DS013",
    use_instead="FROM alpine\nHEALTHCHECK NONE",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    cmds=("HEALTHCHECK",),
    peers=("BuildKit",),
)
