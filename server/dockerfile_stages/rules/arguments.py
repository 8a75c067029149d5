"""DS005: an instruction with too few (or too many) arguments for BuildKit.

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterable

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction

_AT_LEAST_ONE = ("ARG", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "ONBUILD", "SHELL", "VOLUME")
_EXACTLY_ONE = ("MAINTAINER", "STOPSIGNAL", "USER", "WORKDIR")


def _problem(node: Instruction) -> str | None:
    cmd, value = node.cmd, node.value
    if node.errors:
        return None  # the parser has said what is wrong already (DS001)
    if cmd in ("ADD", "COPY"):
        if len(value) < 2:
            return f"{cmd} needs a source and a destination"
        if value[-1].startswith("<<"):
            return f"{cmd} cannot take a heredoc as its destination"
    elif cmd == "ONBUILD":
        return f"{cmd} needs an instruction to run later" if node.sub is None else None
    elif cmd in _AT_LEAST_ONE and not value:
        return f"{cmd} needs at least one argument"
    elif cmd in _EXACTLY_ONE and len(value) != 1:
        return f"{cmd} needs exactly one argument"
    elif cmd in ("ENV", "LABEL") and any(name == "" for name in value[0::3]):
        return f"{cmd} names cannot be blank"
    elif cmd == "ARG" and any(item.startswith("=") for item in value):
        return "ARG names cannot be blank"
    elif cmd == "VOLUME" and any(not item.strip() for item in value):
        return "VOLUME cannot be an empty string"
    return None


# The instructions ``_problem`` looks at (RUN, CMD, FROM and the rest take any arguments here).
_COUNTED = frozenset(("ADD", "COPY", "ONBUILD", *_AT_LEAST_ONE, *_EXACTLY_ONE))


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterable[Finding]:
    if node.cmd not in _COUNTED:
        return ()
    problem = _problem(node)
    if problem:
        return (RULE.finding(f"{problem}: BuildKit refuses the file.", node.span.shifted(line)),)
    return ()


RULE = Rule(
    id=ids.ARGUMENT_COUNT,
    name="argument-count",
    severity=Severity.ERROR,
    summary="An instruction without the arguments it needs.",
    what="Checks argument counts as BuildKit does: COPY and ADD need a source and a destination (not a "
    "heredoc); WORKDIR, USER, STOPSIGNAL and MAINTAINER exactly one; ARG, ENV, LABEL, EXPOSE, VOLUME, "
    "SHELL, HEALTHCHECK and ONBUILD at least one; names cannot be blank.",
    why="BuildKit refuses the file before building anything.",
    example="FROM alpine\nCOPY app.jar   # DS005: no destination",
    use_instead="FROM alpine\nCOPY app.jar /app/",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    peers=("BuildKit",),
)
