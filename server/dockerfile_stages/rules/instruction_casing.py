"""DS201 (BuildKit ConsistentInstructionCasing): instruction keywords cased unlike the majority.

Scope: whole file (the majority casing is counted over every instruction).
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import instructions, keyword_fix
from dockerfile_stages.syntax.nodes import Span


def _majority_lower(keywords: list[str]) -> bool:
    """BuildKit counts only keywords that are all lower or all upper case; a tie means upper case."""
    lower = sum(1 for keyword in keywords if keyword.islower())
    upper = sum(1 for keyword in keywords if keyword.isupper())
    return lower > upper


def check(context: Context) -> Iterator[Finding]:
    found = [(line, node) for line, node in instructions(context.document) if node.keyword.isalpha()]
    lower = _majority_lower([node.keyword for _, node in found])
    for line, node in found:
        wanted = node.keyword.lower() if lower else node.keyword.upper()
        if node.keyword == wanted:
            continue
        span: Span = node.keyword_span.shifted(line)
        casing = "lowercase" if lower else "uppercase"
        yield RULE.finding(
            f"'{node.keyword}' should match the case of most instructions in this file ({casing}): '{wanted}'.",
            span,
            (keyword_fix(f"Change to '{wanted}'", span, wanted),),
        )


RULE = Rule(
    id=ids.CONSISTENT_INSTRUCTION_CASING,
    name="consistent-instruction-casing",
    severity=Severity.WARNING,
    summary="An instruction keyword is cased unlike most of the file.",
    what="Counts instruction keywords written all lower or all upper case; flags every keyword that "
    "differs from the majority (upper case on a tie), mixed case (`Run`) included. The fix re-cases it.",
    why="Instructions are case-insensitive, but a file that mixes cases is harder to read and to search.",
    example="FROM alpine\nrun echo hello   # DS201",
    use_instead="FROM alpine\nRUN echo hello",
    check=check,
    scope=Scope.FILE,
    peers=("BuildKit ConsistentInstructionCasing",),
    fixable=True,
    certain_fix=True,
)
