"""DS203 (BuildKit MaintainerDeprecated): MAINTAINER instead of a label.

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Edit, Finding, Fix, NodeContext, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import double_quoted
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span

AUTHORS_LABEL = "org.opencontainers.image.authors"


def _label_fix(context: NodeContext, line: int, node: Instruction) -> tuple[Fix, ...]:
    if not node.value or node.line_count != 1:
        return ()
    label = f"LABEL {AUTHORS_LABEL}={double_quoted(node.value[0], context.document.escape)}"
    start = node.keyword_span.start
    span = Span(Pos(line, start.col), Pos(line, len(context.document.line(line))))
    return (Fix(f"Replace with LABEL {AUTHORS_LABEL}", (Edit(span, label),), preferred=True),)


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if node.cmd == "MAINTAINER":
        yield RULE.finding(
            f"MAINTAINER is deprecated: use LABEL {AUTHORS_LABEL}=... instead.",
            node.keyword_span.shifted(line),
            _label_fix(context, line, node),
        )


RULE = Rule(
    id=ids.MAINTAINER_DEPRECATED,
    name="maintainer-deprecated",
    severity=Severity.WARNING,
    summary="The MAINTAINER instruction is deprecated.",
    what="Flags MAINTAINER; the fix replaces it with the OCI authors label holding the same text.",
    why="MAINTAINER sets a deprecated image field that tools no longer read; the label is the standard "
    "place for the author.",
    example="MAINTAINER Jane Doe <jane@example.com>   # DS203",
    use_instead='LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"',
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    cmds=("MAINTAINER",),
    peers=("BuildKit MaintainerDeprecated", "hadolint DL4000"),
    fixable=True,
    certain_fix=True,
)
