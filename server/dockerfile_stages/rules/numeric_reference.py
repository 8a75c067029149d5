from __future__ import annotations

import re
from collections.abc import Iterator

from dockerfile_stages.model.stages import Stage, StageModel
from dockerfile_stages.model.toolchains import toolchain_of
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Edit, Finding, Fix, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Span


def suggested_name(model: StageModel, stage: Stage) -> str:
    """A name for an unnamed stage, from its base: a toolchain image gives "builder"."""
    if toolchain_of(stage.image, "npm ci"):
        base = "builder"
    elif stage.image is not None:
        base = re.sub(r"[^a-z0-9\-_.]", "-", stage.image.repository.rsplit("/", 1)[-1].lower()) or "stage"
        if not base[0].isalpha():
            base = f"stage-{base}"
    else:
        base = f"stage{stage.index}"
    taken = {other.key for other in model.stages if other.key}
    name, suffix = base, 2
    while name in taken or name in ("scratch", "context"):
        name, suffix = f"{base}-{suffix}", suffix + 1
    return name


def name_stage_fix(model: StageModel, stage: Stage) -> Fix | None:
    if stage.name or stage.base_span is None:
        return None
    name = suggested_name(model, stage)
    last = stage.base_span
    insert_at = Span(last.end, last.end)
    edits = [Edit(insert_at, f" AS {name}")]
    edits += [Edit(ref.span, name) for ref in model.references_to(stage.index) if ref.text.isdigit()]
    return Fix(f"Name stage {stage.index} '{name}' and use the name", tuple(edits), preferred=True)


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    for ref in model.refs:
        if ref.target is None or not ref.text.isdigit():
            continue
        stage = model.stages[ref.target]
        fix = name_stage_fix(model, stage)
        if stage.name:
            fix = Fix(f"Use the name '{stage.name}'", (Edit(ref.span, stage.name),), preferred=True)
        yield RULE.finding(
            f"'--from={ref.text}' refers to a stage by position; inserting a stage above silently changes "
            f"what it copies. Name the stage instead.",
            ref.span,
            (fix,) if fix else (),
        )


RULE = Rule(
    id=ids.NUMERIC_STAGE_REFERENCE,
    name="numeric-stage-reference",
    severity=Severity.INFO,
    summary="A stage is referred to by its index.",
    what="Flags `--from=0` and the like. The fix names the stage after its base (a toolchain stage "
    "becomes `builder`), made unique, and rewrites every numeric reference to it.",
    why="Indexes shift when a stage is added or removed above; names do not.",
    example="FROM golang:1.21\nRUN go build -o /app\nFROM scratch\nCOPY --from=0 /app /app   # DS109",
    use_instead="FROM golang:1.21 AS builder\nRUN go build -o /app\nFROM scratch\nCOPY --from=builder /app /app",
    check=check,
    scope=Scope.GRAPH,
    fixable=True,
)
