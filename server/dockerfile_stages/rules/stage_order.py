"""DS006 (an instruction before the first FROM) and DS007 (no FROM at all).

Scope: whole file (where the first FROM is).
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.model.catalog import instruction
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction


def check_before_from(context: Context) -> Iterator[Finding]:
    if not context.model.stages:
        return  # no FROM at all is one mistake, reported once (DS007)
    first_from = context.model.stages[0].start_line
    for line, node in context.document.nodes_from(0, first_from):
        if not isinstance(node, Instruction):
            continue
        if node.cmd != "ARG" and instruction(node.cmd) is not None:
            yield BEFORE_FROM.finding(
                f"{node.cmd} before the first FROM: only ARG may come before it (there is no stage to run it in yet).",
                node.keyword_span.shifted(line),
            )


def check_no_from(context: Context) -> Iterator[Finding]:
    if context.model.stages:
        return
    for line, node in context.document.nodes():
        if not isinstance(node, Instruction):
            continue
        yield NO_FROM.finding(
            "This Dockerfile has no FROM: there is no stage to build.", node.keyword_span.shifted(line)
        )
        return


BEFORE_FROM = Rule(
    id=ids.INSTRUCTION_BEFORE_FROM,
    name="instruction-before-from",
    severity=Severity.ERROR,
    summary="An instruction other than ARG before the first FROM.",
    what="Flags every instruction before the first FROM except ARG (and parser directives, which are comments).",
    why='BuildKit stops with "no build stage in current context".',
    example="RUN echo hello   # DS006\nFROM alpine",
    use_instead="FROM alpine\nRUN echo hello",
    check=check_before_from,
    scope=Scope.FILE,
    peers=("BuildKit",),
)
NO_FROM = Rule(
    id=ids.NO_FROM,
    name="no-from",
    severity=Severity.ERROR,
    summary="A Dockerfile with instructions but no FROM.",
    what="Flags a file that has instructions and no stage.",
    why='BuildKit stops with "dockerfile contains no stages to build".',
    example="ARG VERSION=1\nRUN echo $VERSION   # DS007",
    use_instead="ARG VERSION=1\nFROM alpine\nRUN echo $VERSION",
    check=check_no_from,
    scope=Scope.FILE,
    peers=("BuildKit",),
)
