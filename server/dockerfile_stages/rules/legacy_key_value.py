"""DS207 (BuildKit LegacyKeyValueFormat): ``ENV key value`` / ``LABEL key value``.

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Edit, Finding, Fix, NodeContext, Rule, Scope, Severity
from dockerfile_stages.syntax.lexer import WHITESPACE, parse_words
from dockerfile_stages.syntax.nodes import Instruction, logical_span


def _fix(context: NodeContext, line: int, node: Instruction) -> tuple[Fix, ...]:
    """``ENV a b`` -> ``ENV a=b``; a value of several words is quoted, as long as that is exact."""
    escape = context.document.escape
    gap = WHITESPACE.search(node.args)
    if gap is None or node.line_count != 1:
        return ()
    name, value = node.args[: gap.start()], node.args[gap.end() :]
    if len(parse_words(value, escape)) == 1:
        replacement = f"{name}={value}"  # one word reads the same after '='
    elif not any(ch in value for ch in ("'", '"', escape)):
        replacement = f'{name}="{value}"'  # nothing in it that quotes would change
    else:
        return ()
    span = logical_span(node.segments, node.args_start, node.args_start + len(node.args)).shifted(line)
    return (Fix(f"Change to {node.cmd} {replacement}", (Edit(span, replacement),), preferred=True),)


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if node.cmd in ("ENV", "LABEL") and len(node.value) == 3 and node.value[2] == "":
        yield RULE.finding(
            f'Use "{node.cmd} key=value": the legacy "{node.cmd} key value" form is deprecated and '
            "cannot set several values in one instruction.",
            node.span.shifted(line),
            _fix(context, line, node),
        )


RULE = Rule(
    id=ids.LEGACY_KEY_VALUE_FORMAT,
    name="legacy-key-value-format",
    severity=Severity.WARNING,
    summary="ENV or LABEL in the legacy `key value` form.",
    what="Flags `ENV key value` and `LABEL key value` (a space instead of `=`). The fix writes `key=value`, "
    "quoting a value of several words, when that reads back exactly the same.",
    why="The whitespace form is deprecated, and it is ambiguous: `ENV A B C` sets A to `B C`, not three variables.",
    example="ENV PORT 8080   # DS207",
    use_instead="ENV PORT=8080",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    cmds=("ENV", "LABEL"),
    peers=("BuildKit LegacyKeyValueFormat",),
    fixable=True,
    certain_fix=True,
)
