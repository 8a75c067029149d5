"""Completion of stage names (and common images after FROM)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import msgspec

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


class Candidate(msgspec.Struct, frozen=True):
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


class CompletionMemo(msgspec.Struct):
    """The last answer, kept by the caller across keystrokes: while the stage model is the very same
    object (an edit that changed no stage) and the slot is the same, the same list comes back,
    so a server can reuse what it built from it (the encoded items)."""

    _key: tuple[StageModel, Slot, tuple[str, ...]] | None = None
    _found: list[Candidate] = msgspec.field(default_factory=list)

    def get(self, model: StageModel, slot: Slot, images: tuple[str, ...]) -> list[Candidate] | None:
        key = self._key
        if key is not None and key[0] is model and key[1] == slot and key[2] == images:
            return self._found
        return None

    def keep(self, model: StageModel, slot: Slot, images: tuple[str, ...], found: list[Candidate]) -> None:
        self._key, self._found = (model, slot, images), found


def complete(
    document: Document,
    model: StageModel,
    line: int,
    col: int,
    images: Iterable[str] = (),
    memo: CompletionMemo | None = None,
) -> list[Candidate]:
    slot = slot_at(document, model, line, col)
    if slot is None:
        return []
    known = tuple(images)  # the same tuple when given one
    if memo is not None and (found := memo.get(model, slot, known)) is not None:
        return found
    found = _stage_candidates(model, slot)
    if slot.kind is SlotKind.FROM:
        found += _images(slot, known, slot.typed.lower())
    if memo is not None:
        memo.keep(model, slot, known, found)
    return found


def _stage_candidates(model: StageModel, slot: Slot) -> list[Candidate]:
    typed = slot.typed.lower()
    candidates = []
    for stage in model.stages:
        if slot.stage is not None and stage.index >= slot.stage:
            break  # stages are in file order: only earlier ones can be named
        if slot.kind in (SlotKind.FROM, SlotKind.TARGET) and not stage.name:
            continue  # FROM and --target cannot name a stage by index
        label = stage.name or str(stage.index)
        if label.lower().startswith(typed):
            candidates.append(
                Candidate(label, stage_detail(stage), CandidateKind.STAGE, slot.replace, f"0-{stage.index:05d}")
            )
    return candidates


def _images(slot: Slot, images: Iterable[str], typed: str) -> list[Candidate]:
    return [
        Candidate(image, "image", CandidateKind.IMAGE, slot.replace, f"1-{image}")
        for image in sorted(set(images))
        if image.lower().startswith(typed)
    ]
