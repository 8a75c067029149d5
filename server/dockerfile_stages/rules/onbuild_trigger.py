"""DS010: ONBUILD FROM, ONBUILD ONBUILD, ONBUILD MAINTAINER.

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if node.cmd != "ONBUILD" or node.sub is None or node.sub.cmd not in ("FROM", "ONBUILD", "MAINTAINER"):
        return
    what = "Chaining ONBUILD ONBUILD" if node.sub.cmd == "ONBUILD" else f"ONBUILD {node.sub.cmd}"
    yield RULE.finding(f"{what} is not allowed: BuildKit refuses the file.", node.sub.keyword_span.shifted(line))


RULE = Rule(
    id=ids.ONBUILD_TRIGGER,
    name="onbuild-trigger",
    severity=Severity.ERROR,
    summary="ONBUILD with FROM, ONBUILD or MAINTAINER.",
    what="Flags ONBUILD instructions whose trigger is FROM, ONBUILD or MAINTAINER.",
    why="BuildKit refuses them: a trigger runs inside the child image's stage, which cannot start a "
    "new stage or add triggers of its own.",
    example="FROM alpine\nONBUILD FROM alpine   # DS010",
    use_instead="FROM alpine\nONBUILD RUN echo built on me",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    cmds=("ONBUILD",),
    peers=("BuildKit",),
)
