"""Completion of stage names (and common images after FROM)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from dockerfile_stages.ide.context import Slot, SlotKind, slot_at
from dockerfile_stages.model.stages import Stage, StageModel
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Span


class CandidateKind(str, Enum):
    STAGE = "stage"
    IMAGE = "image"
    KEYWORD = "keyword"
    FLAG = "flag"
    VALUE = "value"
    VARIABLE = "variable"
    DIRECTIVE = "directive"
    TAG = "tag"


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    detail: str
    kind: CandidateKind
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
        if slot.kind in (SlotKind.FROM, SlotKind.TARGET) and not stage.name:
            continue  # FROM and --target cannot name a stage by index
        for label in labels:
            if label.lower().startswith(typed):
                candidates.append(
                    Candidate(label, stage_detail(stage), CandidateKind.STAGE, slot.replace, f"0-{stage.index:05d}")
                )
    if slot.kind is SlotKind.FROM:
        candidates += _images(slot, images, typed)
    return candidates


def _images(slot: Slot, images: Iterable[str], typed: str) -> list[Candidate]:
    return [
        Candidate(image, "image", CandidateKind.IMAGE, slot.replace, f"1-{image}")
        for image in sorted(set(images))
        if image.lower().startswith(typed)
    ]
