from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules.base import Context, Finding, Rule, Severity
from dockerfile_stages.syntax.nodes import Instruction


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    for ref in model.refs:
        if ref.kind != "copy" or ref.target is None:
            continue
        _, node = context.document.node_at(ref.span.start.line)
        if not isinstance(node, Instruction):
            continue
        target = node.sub if node.sub is not None else node
        if any(source in ("/", "/.") for source in target.value[:-1]):
            yield RULE.finding(
                f"This copies the whole filesystem of stage '{ref.text}', toolchain and all. Copy only the "
                "files the image needs.",
                ref.span,
            )


RULE = Rule(
    id="DS113",
    name="copy-whole-stage",
    severity=Severity.WARNING,
    summary="`COPY --from=<stage> / ...` copies a stage's entire filesystem.",
    what="Flags a `COPY --from` whose source is `/`.",
    why="It brings everything the builder had into the image, undoing what a multi-stage build is for.",
    example="FROM golang AS build\nFROM alpine\nCOPY --from=build / /   # DS113",
    check=check,
    peers=("hadolint DL3067",),
)
