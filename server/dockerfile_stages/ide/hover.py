"""Hover: what a stage reference (or a stage's own name) points at."""

from __future__ import annotations

import msgspec

from dockerfile_stages.ide.navigation import stage_at
from dockerfile_stages.model.stages import Stage, StageModel
from dockerfile_stages.syntax.nodes import Span


class HoverText(msgspec.Struct, frozen=True):
    markdown: str
    span: Span


def describe_stage(model: StageModel, stage: Stage) -> str:
    title = f"stage `{stage.name}` (index {stage.index})" if stage.name else f"stage {stage.index} (unnamed)"
    platform = f" --platform={stage.platform}" if stage.platform else ""
    lines = [f"**{title}**", "", f"`FROM{platform} {stage.base}` at line {stage.start_line + 1}"]
    if stage.base != stage.expanded_base.text:
        resolved = stage.expanded_base.text if stage.expanded_base.complete else "unresolved"
        lines.append(f"base resolves to `{resolved}`")
    users = sorted(
        {ref.stage for ref in model.references_to(stage.index)}
        | {other.index for other in model.stages if other.base_stage == stage.index}
    )
    if users:
        names = ", ".join(model.stages[i].label for i in users)
        lines.append(f"used by: {names}")
    if stage.index == len(model.stages) - 1:
        lines.append("final stage: this is what `docker build` ships")
    return "\n\n".join(lines)


def hover(model: StageModel, line: int, col: int) -> HoverText | None:
    found = stage_at(model, line, col)
    if found is None:
        return None
    stage, span = found
    return HoverText(describe_stage(model, stage), span)
