"""Inlay hints: what a FROM built from variables resolves to, and the stage ``--from=N`` names."""

from __future__ import annotations

import msgspec

from dockerfile_stages.model.stages import RefKind, StageModel
from dockerfile_stages.syntax.nodes import Pos


class Hint(msgspec.Struct, frozen=True):
    position: Pos
    label: str
    tooltip: str


def inlay_hints(model: StageModel, first_line: int, last_line: int) -> list[Hint]:
    hints = []
    for stage in model.stages:
        if not first_line <= stage.start_line <= last_line or stage.base_span is None or "$" not in stage.base:
            continue
        expansion = stage.expanded_base
        label = (
            expansion.text
            if expansion.complete
            else expansion.text + " (unresolved: " + ", ".join(expansion.unresolved) + ")"
        )
        hints.append(Hint(stage.base_span.end, f" = {label}", "the base image with the global ARGs' defaults"))
    for ref in model.refs:
        line = ref.span.start.line
        if not first_line <= line <= last_line or ref.target is None or not ref.text.isdigit():
            continue
        if ref.kind not in (RefKind.COPY, RefKind.MOUNT):
            continue
        target = model.stages[ref.target]
        if target.name:
            hints.append(Hint(ref.span.end, f" ({target.name})", f"stage {target.index} is named {target.name}"))
    hints.sort(key=lambda hint: (hint.position.line, hint.position.col))
    return hints
