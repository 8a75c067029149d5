"""Stage name rules: duplicates, reserved names, invalid characters, casing of the name and of AS."""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.model.stages import RESERVED_STAGE_NAMES, STAGE_NAME, Stage, StageModel
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Edit, Finding, Fix, Rule, Scope, Severity


def _named(model: StageModel) -> Iterator[Stage]:
    return (stage for stage in model.stages if stage.name and stage.name_span)


def check_duplicates(context: Context) -> Iterator[Finding]:
    first: dict[str, Stage] = {}
    for stage in _named(context.model):
        assert stage.key and stage.name_span
        if stage.key in first:
            original = first[stage.key]
            yield DUPLICATE.finding(
                f"Stage name '{stage.name}' is already used by stage {original.index} (line "
                f"{original.start_line + 1}); references resolve to the first one.",
                stage.name_span,
                related=((original.name_span or original.keyword_span, "first defined here"),),
            )
        else:
            first[stage.key] = stage


def check_reserved(context: Context) -> Iterator[Finding]:
    for stage in _named(context.model):
        assert stage.key and stage.name_span
        if stage.key in RESERVED_STAGE_NAMES:
            yield RESERVED.finding(f"'{stage.name}' is a reserved word and cannot name a stage.", stage.name_span)


def check_invalid(context: Context) -> Iterator[Finding]:
    for stage in _named(context.model):
        assert stage.name and stage.name_span
        if not STAGE_NAME.match(stage.name):
            yield INVALID.finding(
                f"'{stage.name}' is not a valid stage name: start with a letter, then use letters, digits, "
                "'-', '_' or '.'.",
                stage.name_span,
            )


def lowercase_fix(model: StageModel, stage: Stage) -> Fix:
    assert stage.name and stage.name_span
    new = stage.name.lower()
    edits = [Edit(stage.name_span, new)]
    edits += [
        Edit(ref.span, new) for ref in model.references_to(stage.index) if not ref.text.isdigit() and ref.text != new
    ]
    return Fix(f"Rename to '{new}' (and its references)", tuple(edits), preferred=True)


def check_casing(context: Context) -> Iterator[Finding]:
    for stage in _named(context.model):
        assert stage.name and stage.name_span
        if stage.name != stage.name.lower() and STAGE_NAME.match(stage.name):
            yield CASING.finding(
                f"Stage name '{stage.name}' should be lower case; BuildKit matches names case-insensitively.",
                stage.name_span,
                (lowercase_fix(context.model, stage),),
            )


def check_as_casing(context: Context) -> Iterator[Finding]:
    document = context.document
    for stage in context.model.stages:
        if stage.as_span is None:
            continue
        line = stage.as_span.start.line
        keyword = document.line(stage.keyword_span.start.line)[
            stage.keyword_span.start.col : stage.keyword_span.end.col
        ]
        as_text = document.line(line)[stage.as_span.start.col : stage.as_span.end.col]
        upper = keyword.isupper()
        if (upper and not as_text.isupper()) or (keyword.islower() and not as_text.islower()):
            wanted = "AS" if upper else "as"
            yield AS_CASING.finding(
                f"'{as_text}' is cased unlike '{keyword}': write '{wanted}'.",
                stage.as_span,
                (Fix(f"Change to '{wanted}'", (Edit(stage.as_span, wanted),), preferred=True),),
            )


DUPLICATE = Rule(
    id=ids.DUPLICATE_STAGE_NAME,
    name="duplicate-stage-name",
    severity=Severity.ERROR,
    summary="Two stages have the same name.",
    what="Compares stage names case-insensitively, as BuildKit does.",
    why="BuildKit refuses the file; before it did, references silently went to one of the two.",
    example="FROM golang AS build\nFROM node AS build   # DS104",
    use_instead="FROM golang AS build\nFROM node AS web",
    check=check_duplicates,
    scope=Scope.GRAPH,
    peers=("hadolint DL3024", "BuildKit DuplicateStageName"),
)
RESERVED = Rule(
    id=ids.RESERVED_STAGE_NAME,
    name="reserved-stage-name",
    severity=Severity.ERROR,
    summary="A stage is named `scratch` or `context`.",
    what="Flags stage names that BuildKit reserves.",
    why="`scratch` is the empty image and `context` the build context; a stage cannot take their names.",
    example="FROM alpine AS scratch   # DS105",
    use_instead="FROM alpine AS base",
    check=check_reserved,
    scope=Scope.GRAPH,
    peers=("BuildKit ReservedStageName",),
)
INVALID = Rule(
    id=ids.INVALID_STAGE_NAME,
    name="invalid-stage-name",
    severity=Severity.ERROR,
    summary="A stage name has characters BuildKit does not allow.",
    what="Checks names against BuildKit's pattern: a letter, then letters, digits, `-`, `_` or `.`.",
    why="BuildKit refuses the FROM line.",
    example="FROM alpine AS 2build   # DS106",
    use_instead="FROM alpine AS build2",
    check=check_invalid,
    scope=Scope.GRAPH,
)
CASING = Rule(
    id=ids.STAGE_NAME_CASING,
    name="stage-name-casing",
    severity=Severity.WARNING,
    summary="A stage name is not lower case.",
    what="Flags stage names with capitals; the fix lower-cases the name and every reference to it.",
    why="Names are matched case-insensitively, so `Build` and `build` are one stage; mixed case "
    "invites mistakes and BuildKit's own check warns about it.",
    example="FROM golang AS Builder   # DS107 -> builder",
    use_instead="FROM golang AS builder",
    check=check_casing,
    scope=Scope.GRAPH,
    peers=("BuildKit StageNameCasing",),
    fixable=True,
    certain_fix=True,
)
AS_CASING = Rule(
    id=ids.FROM_AS_CASING,
    name="from-as-casing",
    severity=Severity.WARNING,
    summary="`AS` is cased unlike `FROM`.",
    what="Flags `FROM ... as name` (or `from ... AS name`).",
    why="Consistent casing reads better; BuildKit's FromAsCasing check warns about it.",
    example="FROM golang as builder   # DS108 -> AS",
    use_instead="FROM golang AS builder",
    check=check_as_casing,
    scope=Scope.GRAPH,
    peers=("BuildKit FromAsCasing",),
    fixable=True,
    certain_fix=True,
)
