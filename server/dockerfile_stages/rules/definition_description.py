"""DS212 (BuildKit InvalidDefinitionDescription, experimental): a comment right above a named FROM or
an ARG that does not start with the name it would describe.

Scope: one instruction with the comment lines directly above it.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span, Trivia

_OWN_COMMENT = "dockerfile-stages:"


def _comment_above(context: NodeContext, line: int) -> tuple[int, str] | None:
    """The comment on the line right above ``line`` (no blank line between), without its ``#``."""
    if line == 0:
        return None
    _, node = context.document.node_at(line - 1)
    if not isinstance(node, Trivia) or node.kind != "comment":
        return None
    text = context.document.line(line - 1).strip()[1:].strip()
    return (line - 1, text) if text and not text.startswith(_OWN_COMMENT) else None


def _described_names(node: Instruction) -> list[str]:
    if node.cmd == "ARG":
        return [item.partition("=")[0] for item in node.value]
    words = node.words
    if node.cmd == "FROM" and len(words) == 3 and words[1].text.lower() == "as":
        return [words[2].text]
    return []


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    names = _described_names(node)
    comment = _comment_above(context, line) if names else None
    if comment is None:
        return
    comment_line, text = comment
    if text.split(" ")[0] in names:
        return
    example = names[0] if len(names) == 1 else "<arg_key>"
    yield RULE.finding(
        f"The comment above this {node.cmd} is read as its description (`docker build --call=outline`), "
        f"but does not start with the name: write `# {example} <description>`, or put a blank line between.",
        Span(Pos(comment_line, 0), Pos(comment_line, len(context.document.line(comment_line)))),
    )


RULE = Rule(
    id=ids.INVALID_DEFINITION_DESCRIPTION,
    name="invalid-definition-description",
    severity=Severity.INFO,
    summary="A comment right above a named FROM or an ARG that does not start with that name (experimental).",
    what="Checks the comment line directly above `FROM ... AS name` and `ARG NAME`: BuildKit takes it as the "
    "description printed by `docker build --call=outline` and `--call=targets`, and expects it to begin "
    "with the name. Experimental in BuildKit, so off unless selected (`--select DS212`, or "
    "`# check=experimental=InvalidDefinitionDescription`).",
    why="A stray comment becomes the published description of a build target or argument.",
    example="# a note about the base image\nFROM scratch AS base   # DS212 (on the comment)",
    use_instead="# base is the empty stage the others build on\nFROM scratch AS base",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    cmds=("ARG", "FROM"),
    experimental=True,
    peers=("BuildKit InvalidDefinitionDescription",),
)
