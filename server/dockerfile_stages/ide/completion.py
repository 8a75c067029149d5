"""Completion of stage names (and common images after FROM)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dockerfile_stages.ide.context import Slot, slot_at
from dockerfile_stages.model.stages import Stage, StageModel
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Span


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    detail: str
    kind: str  # "stage", "image", "keyword", "flag", "value", "variable", "directive" or "tag"
    replace: Span
    sort_key: str
    documentation: str = ""  # Markdown
    insert: str | None = None  # the text to insert when it is not the label
    snippet: bool = False  # ``insert`` holds LSP snippet placeholders (${1:image})


def stage_detail(stage: Stage) -> str:
    base = stage.base or "(no base)"
    return f"stage {stage.index}: FROM {base} (line {stage.start_line + 1})"


def complete(document: Document, model: StageModel, line: int, col: int, images: Iterable[str] = ()) -> list[Candidate]:
    slot = slot_at(document, model, line, col)
    if slot is None:
        return []
    typed = slot.typed.lower()
    candidates = []
    usable = [stage for stage in model.stages if slot.stage is None or stage.index < slot.stage]
    for stage in usable:
        labels = [stage.name] if stage.name else [str(stage.index)]
        if slot.kind in ("from", "target") and not stage.name:
            continue  # FROM and --target cannot name a stage by index
        for label in labels:
            if label.lower().startswith(typed):
                candidates.append(Candidate(label, stage_detail(stage), "stage", slot.replace, f"0-{stage.index:05d}"))
    if slot.kind == "from":
        candidates += _images(slot, images, typed)
    return candidates


def _images(slot: Slot, images: Iterable[str], typed: str) -> list[Candidate]:
    return [
        Candidate(image, "image", "image", slot.replace, f"1-{image}")
        for image in sorted(set(images))
        if image.lower().startswith(typed)
    ]
