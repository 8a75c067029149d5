"""Definition, references, highlight and rename of stages."""

from __future__ import annotations

import msgspec

from dockerfile_stages.model.stages import RESERVED_STAGE_NAMES, STAGE_NAME, Stage, StageModel
from dockerfile_stages.syntax.nodes import Pos, Span


class Occurrence(msgspec.Struct, frozen=True):
    span: Span
    is_declaration: bool


class RenameError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def stage_at(model: StageModel, line: int, col: int) -> tuple[Stage, Span] | None:
    """The stage named at the position (its declaration or a reference to it) and that name's range."""
    pos = Pos(line, col)
    for stage in model.stages:
        if stage.name_span and stage.name_span.contains(pos):
            return stage, stage.name_span
    for ref in model.refs:
        if ref.target is not None and ref.span.contains(pos):
            return model.stages[ref.target], ref.span
    return None


def definition(model: StageModel, line: int, col: int) -> Span | None:
    found = stage_at(model, line, col)
    if found is None:
        return None
    stage = found[0]
    return stage.name_span or stage.base_span or stage.keyword_span


def occurrences(model: StageModel, stage: Stage, include_declaration: bool = True) -> list[Occurrence]:
    found = []
    if include_declaration and stage.name_span:
        found.append(Occurrence(stage.name_span, True))
    found += [Occurrence(ref.span, False) for ref in model.references_to(stage.index)]
    return found


def references(model: StageModel, line: int, col: int, include_declaration: bool) -> list[Occurrence]:
    found = stage_at(model, line, col)
    return occurrences(model, found[0], include_declaration) if found else []


def prepare_rename(model: StageModel, line: int, col: int) -> tuple[Span, str]:
    found = stage_at(model, line, col)
    if found is None:
        raise RenameError("Only stage names can be renamed here.")
    stage, span = found
    if not stage.name:
        raise RenameError(f"Stage {stage.index} has no name to rename; add `AS <name>` to its FROM line first.")
    if span != stage.name_span and span.start.line == span.end.line:
        ref = next(r for r in model.refs if r.span == span)
        if ref.text.isdigit():
            raise RenameError("This reference uses the stage's index; rename the stage at its `AS` name.")
    return span, stage.name


def validate_new_name(model: StageModel, stage: Stage, new_name: str) -> None:
    if not STAGE_NAME.match(new_name):
        raise RenameError(
            f"'{new_name}' is not a valid stage name: use a letter first, then letters, digits, '-', '_' or '.'."
        )
    if new_name.lower() in RESERVED_STAGE_NAMES:
        raise RenameError(f"'{new_name}' is reserved in Dockerfiles and cannot name a stage.")
    for other in model.stages:
        if other.index != stage.index and other.key == new_name.lower():
            raise RenameError(f"Stage {other.index} (line {other.start_line + 1}) is already named '{other.name}'.")


def rename(model: StageModel, line: int, col: int, new_name: str) -> list[tuple[Span, str]]:
    """The edits that rename the stage at the position: its ``AS`` name and every named reference."""
    prepare_rename(model, line, col)
    found = stage_at(model, line, col)
    assert found is not None
    stage = found[0]
    validate_new_name(model, stage, new_name)
    edits = [(occurrence.span, new_name) for occurrence in occurrences(model, stage)]
    numeric = {ref.span for ref in model.references_to(stage.index) if ref.text.isdigit()}
    return [(span, text) for span, text in edits if span not in numeric]
