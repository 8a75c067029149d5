from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from dockerfile_stages.model.stages import RefKind, Stage, StageRef
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction

RULE_ID = ids.COPY_WHOLE_STAGE


def _whole_copies(context: Context) -> list[StageRef]:
    """The COPY --from references that copy a stage's root (read from the model's COPY nodes)."""
    found = []
    for ref in context.model.refs:
        if ref.kind is not RefKind.COPY or ref.target is None:
            continue
        _, node = context.document.node_at(ref.span.start.line)
        if not isinstance(node, Instruction):
            continue
        target = node.sub if node.sub is not None else node
        if any(source in ("/", "/.") for source in target.value[:-1]):
            found.append(ref)
    return found


def check(context: Context) -> Iterator[Finding]:
    for ref in context.stage_memo(RULE_ID, (), partial(_whole_copies, context)):
        assert ref.target is not None
        if _builds(context, ref.target):
            yield RULE.finding(
                f"This copies the whole filesystem of stage '{ref.text}', toolchain and all. Copy only the "
                "files the image needs.",
                ref.span,
            )


def _runs_commands(context: Context, stage: Stage) -> bool:
    return any(node.cmd == "RUN" for _, node in context.instructions_of(stage))


def _builds(context: Context, index: int) -> bool:
    """True if the stage (or one it is based on) runs commands on a real base: copying all of it
    brings the toolchain along. An alias of an image, or a scratch stage of artifacts, is fine."""
    model = context.model
    current: int | None = index
    runs = False
    while current is not None:
        stage = model.stages[current]
        runs = runs or context.stage_memo(RULE_ID, (stage,), partial(_runs_commands, context, stage))
        if stage.base_stage is None and stage.is_scratch:
            return False
        current = stage.base_stage
    return runs


RULE = Rule(
    id=ids.COPY_WHOLE_STAGE,
    name="copy-whole-stage",
    severity=Severity.WARNING,
    summary="`COPY --from=<stage> / ...` copies a stage's entire filesystem.",
    what="Flags a `COPY --from` whose source is `/` when that stage runs commands on a real base "
    "(not for an alias of an image such as `FROM tonistiigi/xx AS xx`, nor a scratch stage of artifacts).",
    why="It brings everything the builder had into the image, undoing what a multi-stage build is for.",
    example="FROM golang AS build\nFROM alpine\nCOPY --from=build / /   # DS113",
    use_instead="FROM golang AS build\nFROM alpine\nCOPY --from=build /app /app",
    check=check,
    scope=Scope.STAGE,
    peers=("hadolint DL3067",),
)
