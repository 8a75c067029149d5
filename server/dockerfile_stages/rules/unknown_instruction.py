"""DS002: an instruction BuildKit does not know.

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dockerfile_stages.model.catalog import INSTRUCTIONS, INSTRUCTIONS_BY_NAME
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, Fix, NodeContext, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import close_names, keyword_fix
from dockerfile_stages.syntax.nodes import Instruction


def _as_written(keyword: str, name: str) -> str:
    return name.lower() if keyword.islower() else name


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterable[Finding]:
    return () if node.cmd in INSTRUCTIONS_BY_NAME else _unknown(line, node)  # ``cmd`` is upper case


def _unknown(line: int, node: Instruction) -> Iterator[Finding]:
    span = node.keyword_span.shifted(line)
    names = [spec.name for spec in INSTRUCTIONS]
    suggestions = [_as_written(node.keyword, name) for name in close_names(node.keyword, names)]
    fixes: tuple[Fix, ...] = tuple(keyword_fix(f"Change to '{name}'", span, name) for name in suggestions)
    hint = f" Did you mean '{suggestions[0]}'?" if suggestions else ""
    yield RULE.finding(f"Unknown instruction '{node.keyword}': BuildKit refuses the file.{hint}", span, fixes)


RULE = Rule(
    id=ids.UNKNOWN_INSTRUCTION,
    name="unknown-instruction",
    severity=Severity.ERROR,
    summary="A line starts with a word that is not a Dockerfile instruction.",
    what="Flags instructions BuildKit does not know (a typo such as `RUNN`, or text that is not a "
    "Dockerfile at all). Offers the closest instructions as fixes.",
    why='BuildKit stops with "unknown instruction" before building anything.',
    example="FROM alpine\nRUNN apk add curl   # DS002: did you mean 'RUN'?",
    use_instead="FROM alpine\nRUN apk add curl",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    peers=("BuildKit",),
    fixable=True,
)
