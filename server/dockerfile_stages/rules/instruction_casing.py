"""DS201 (BuildKit ConsistentInstructionCasing): instruction keywords cased unlike the majority.

Scope: whole file (the majority casing is counted over every instruction).
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import keyword_fix
from dockerfile_stages.syntax.document import Chunk
from dockerfile_stages.syntax.nodes import Instruction, Span


class _Casing(msgspec.Struct, frozen=True):
    """A chunk's instruction keywords (those made of letters): how many are all lower or all upper
    case (BuildKit counts only those), and which would change in either case (line in the chunk)."""

    lower: int
    upper: int
    not_lower: tuple[tuple[int, Instruction], ...]
    not_upper: tuple[tuple[int, Instruction], ...]


def _casing(start: int, chunk: Chunk) -> _Casing:
    lower = upper = 0
    not_lower, not_upper = [], []
    offset = 0
    for node in chunk.nodes:
        if isinstance(node, Instruction) and node.keyword.isalpha():
            keyword = node.keyword
            is_upper, is_lower = keyword.isupper(), keyword.islower()
            if keyword.isascii():  # ASCII letters: all upper, all lower, or mixed (then both lists)
                changes_lower, changes_upper = not is_lower, not is_upper
            else:  # compared as written: some letters have only one case
                changes_lower, changes_upper = keyword != keyword.lower(), keyword != keyword.upper()
            lower += is_lower
            upper += is_upper
            if changes_lower:
                not_lower.append((offset, node))
            if changes_upper:
                not_upper.append((offset, node))
        offset += node.line_count
    return _Casing(lower, upper, tuple(not_lower), tuple(not_upper))


def check(context: Context) -> Iterator[Finding]:
    chunks = context.chunk_memo(ids.CONSISTENT_INSTRUCTION_CASING, _casing)
    # A tie means upper case.
    lower = sum(casing.lower for _, casing in chunks) > sum(casing.upper for _, casing in chunks)
    for start, casing in chunks:
        for offset, node in casing.not_lower if lower else casing.not_upper:
            yield _finding(start + offset, node, lower)


def _finding(line: int, node: Instruction, lower: bool) -> Finding:
    wanted = node.keyword.lower() if lower else node.keyword.upper()
    span: Span = node.keyword_span.shifted(line)
    casing = "lowercase" if lower else "uppercase"
    return RULE.finding(
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
