"""DS010: ONBUILD FROM, ONBUILD ONBUILD, ONBUILD MAINTAINER.

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Severity
from dockerfile_stages.rules.helpers import instructions


def check(context: Context) -> Iterator[Finding]:
    for line, node in instructions(context.document):
        if node.cmd != "ONBUILD" or node.sub is None or node.sub.cmd not in ("FROM", "ONBUILD", "MAINTAINER"):
            continue
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
    check=check,
    peers=("BuildKit",),
)
