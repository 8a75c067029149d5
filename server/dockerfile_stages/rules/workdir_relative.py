"""DS204 (BuildKit WorkdirRelativePath): a relative WORKDIR before any absolute one.

Scope: one stage (with the stages it is built on).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from dockerfile_stages.model.stages import Stage
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import lazy_pattern, unexcused_findings
from dockerfile_stages.syntax.nodes import Instruction

RULE_ID = ids.WORKDIR_RELATIVE_PATH
_ABSOLUTE = lazy_pattern(r"""^["']?([/\\$]|[A-Za-z]:)""")  # POSIX, Windows, or a variable we cannot know


def _sets_absolute(node: Instruction) -> bool:
    return node.cmd == "WORKDIR" and bool(node.value) and bool(_ABSOLUTE.match(node.value[0]))


def _relative_workdirs(context: Context, stage: Stage) -> tuple[bool, list[tuple[Finding, bool]]]:
    """Whether the stage sets an absolute WORKDIR, and its relative ones (each with whether an
    absolute one of the stage comes before it)."""
    absolute = False
    found = []
    for line, node in context.instructions_of(stage):
        if node.cmd != "WORKDIR" or not node.value:
            continue
        if _sets_absolute(node):
            absolute = True
            continue
        finding = RULE.finding(
            f"Relative WORKDIR '{node.value[0]}' depends on the base image's working directory, "
            "which can change with the image: set an absolute WORKDIR first.",
            node.span.shifted(line),
        )
        found.append((finding, absolute))
    return absolute, found


def check(context: Context) -> Iterator[Finding]:
    return iter(context.stage_memo(RULE_ID, None, partial(_findings, context)))


def _findings(context: Context) -> list[Finding]:
    return unexcused_findings(context, RULE_ID, partial(_relative_workdirs, context))


RULE = Rule(
    id=ids.WORKDIR_RELATIVE_PATH,
    name="workdir-relative-path",
    severity=Severity.WARNING,
    summary="A relative WORKDIR with no absolute WORKDIR before it in the build.",
    what="Flags a WORKDIR that is relative while no earlier WORKDIR of the stage (or of the stages it is "
    "built on) is absolute. A path starting with a variable is taken as absolute.",
    why="A relative WORKDIR is resolved against the base image's working directory, which is not part of "
    "your Dockerfile and may change when the image is updated.",
    example="FROM alpine\nWORKDIR app   # DS204",
    use_instead="FROM alpine\nWORKDIR /app",
    check=check,
    scope=Scope.STAGE,
    peers=("BuildKit WorkdirRelativePath", "hadolint DL3000"),
)
