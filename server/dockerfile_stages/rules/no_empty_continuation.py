"""DS200 (BuildKit NoEmptyContinuation): an empty line inside a continued instruction.

Scope: one instruction (its own lines).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Edit, Finding, Fix, NodeContext, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span


def _empty_continuation_lines(context: NodeContext, line: int, pieces: set[int], last: int) -> Iterator[int]:
    """Blank lines between the instruction's first and last continued line (comments do not count)."""
    for offset in range(1, last):
        if offset not in pieces and not context.document.line(line + offset).strip():
            yield line + offset


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterable[Finding]:
    segments = node.segments
    # One piece per physical line, in order, the first on line 0: when the last piece is on line
    # ``len - 1``, every line between holds one and none is empty (nearly every continued instruction).
    if len(segments) < 2 or segments[-1][1] == len(segments) - 1:
        return ()
    pieces = {piece_line for _, piece_line, _ in segments}
    return _findings(context, line, node, pieces, max(pieces))


def _findings(context: NodeContext, line: int, node: Instruction, pieces: set[int], last: int) -> Iterator[Finding]:
    for empty in _empty_continuation_lines(context, line, pieces, last):
        span = Span(Pos(empty, 0), Pos(empty, len(context.document.line(empty))))
        remove = Fix("Remove the empty line", (Edit(Span(Pos(empty, 0), Pos(empty + 1, 0)), ""),), preferred=True)
        yield RULE.finding(
            f"Empty continuation line in this {node.cmd}: BuildKit skips it for now, a future release will refuse it.",
            span,
            (remove,),
        )


RULE = Rule(
    id=ids.NO_EMPTY_CONTINUATION,
    name="no-empty-continuation",
    severity=Severity.WARNING,
    summary="An empty line inside an instruction continued with `\\`.",
    what="Flags blank lines between the lines of an instruction joined by the escape character "
    "(comment lines there are fine). The fix removes the line.",
    why="BuildKit joins across the blank line, which reads like the end of the instruction; empty "
    "continuation lines are deprecated and will become errors.",
    example="RUN apk add \\\n\n    curl   # DS200 on the empty line",
    use_instead="RUN apk add \\\n    curl",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    peers=("BuildKit NoEmptyContinuation",),
    fixable=True,
    certain_fix=True,
)
