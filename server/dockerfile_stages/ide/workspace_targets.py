"""Stages across files: what the builds in Compose, Bake, CI, Makefiles and scripts say about a Dockerfile.

Pure: the caller gives the build files (already read and resolved by ``workspace``) and a way to get
a Dockerfile's stage model; results are positions in files and plain data.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import msgspec

from dockerfile_stages.ide.completion import stage_detail
from dockerfile_stages.ide.hover import describe_stage
from dockerfile_stages.ide.navigation import rename, stage_at
from dockerfile_stages.model.buildfiles import BuildFileEntry, ResolvedBuild
from dockerfile_stages.model.buildfiles.slots import TargetSlot
from dockerfile_stages.model.stages import Stage, StageModel
from dockerfile_stages.rules import Finding
from dockerfile_stages.rules.build_targets import check_build
from dockerfile_stages.syntax.nodes import Pos, Span

ModelOf = Callable[[Path], "StageModel | None"]


class FileSpan(msgspec.Struct, frozen=True):
    path: Path
    span: Span


class FileEdit(msgspec.Struct, frozen=True):
    path: Path
    span: Span
    text: str


class TargetAt(msgspec.Struct, frozen=True):
    """A ``--target`` value under the cursor and the stage it names (None: the Dockerfile has none)."""

    resolved: ResolvedBuild
    span: Span
    dockerfile: Path
    stage: Stage | None
    model: StageModel


def label(entry: BuildFileEntry, dockerfile: Path | None) -> str:
    """The Dockerfile as the build file's reader would name it: relative to the build file."""
    if dockerfile is None:
        return "the Dockerfile"
    return os.path.relpath(dockerfile, entry.path.parent)


def findings(entry: BuildFileEntry, model_of: ModelOf) -> list[Finding]:
    found: dict[tuple[str, Span], Finding] = {}  # a value inherited by several builds is reported once
    for resolved in entry.builds:
        model = model_of(resolved.dockerfile) if resolved.dockerfile and resolved.dockerfile_exists else None
        for finding in check_build(entry, resolved, model, label(entry, resolved.dockerfile)):
            found.setdefault((finding.rule, finding.span), finding)
    return sorted(found.values(), key=lambda f: (f.span.start, f.rule))


def target_at(entry: BuildFileEntry, line: int, col: int, model_of: ModelOf) -> TargetAt | None:
    pos = Pos(line, col)
    for resolved in entry.builds:
        target = resolved.build.target
        if target is None or not target.span.contains(pos) or resolved.dockerfile is None:
            continue
        model = model_of(resolved.dockerfile) if resolved.dockerfile_exists else None
        if model is not None:
            return TargetAt(resolved, target.span, resolved.dockerfile, model.stage_named(target.text), model)
    return None


def definition(entry: BuildFileEntry, line: int, col: int, model_of: ModelOf) -> FileSpan | None:
    """From a target to the stage's ``AS`` name in its Dockerfile."""
    found = target_at(entry, line, col, model_of)
    if found is None or found.stage is None or found.stage.name_span is None:
        return None
    return FileSpan(found.dockerfile, found.stage.name_span)


def uses_of(builds: Iterable[tuple[BuildFileEntry, ResolvedBuild]], stage: Stage) -> list[FileSpan]:
    """Every build-file value that names ``stage`` as its target (each place once)."""
    spans = {
        FileSpan(entry.path, resolved.build.target.span)
        for entry, resolved in builds
        if resolved.build.target and resolved.build.target.text.lower() == stage.key
    }
    return sorted(spans, key=lambda use: (str(use.path), use.span.start))


def rename_edits(builds: Iterable[tuple[BuildFileEntry, ResolvedBuild]], stage: Stage, new_name: str) -> list[FileEdit]:
    return [FileEdit(use.path, use.span, new_name) for use in uses_of(builds, stage)]


def rename_across_files(
    dockerfile: Path,
    model: StageModel,
    line: int,
    col: int,
    new_name: str,
    builds: Iterable[tuple[BuildFileEntry, ResolvedBuild]],
) -> dict[Path, list[FileEdit]]:
    """Renaming the stage at the position: the Dockerfile's edits, then each build file's, per file.

    Raises ``RenameError`` as the Dockerfile rename does (no name there, a bad or taken new name).
    """
    edits = [FileEdit(dockerfile, span, text) for span, text in rename(model, line, col, new_name)]
    found = stage_at(model, line, col)
    if found is not None:
        edits += rename_edits(builds, found[0], new_name)
    per_file: dict[Path, list[FileEdit]] = {}
    for edit in edits:
        per_file.setdefault(edit.path, []).append(edit)
    return per_file


def links(entry: BuildFileEntry) -> list[FileSpan]:
    """Document links: the written Dockerfile (or, where only the context is written, the context) to the file."""
    found = []
    for resolved in entry.builds:
        if resolved.dockerfile is None or not resolved.dockerfile_exists:
            continue
        written = resolved.build.dockerfile.written or resolved.build.context.written
        if written is not None:
            found.append(FileSpan(resolved.dockerfile, written.span))
    return list(dict.fromkeys(found))


def hover_markdown(at: TargetAt, where: str, estimate: list[str]) -> str:
    """Hover on a target: the stage (its base, who uses it), what it pulls in, its size estimate."""
    if at.stage is None:
        name = at.resolved.build.target.text if at.resolved.build.target else ""
        return f"`{where}` has no stage named `{name}`"
    parts = [describe_stage(at.model, at.stage), stage_summary(at.model, at.stage)]
    if estimate:
        parts.append("\n".join(estimate))
    return "\n\n".join([*parts, f"in `{where}`"])


def stage_summary(model: StageModel, stage: Stage) -> str:
    """The stages a build of ``stage`` pulls in (beyond itself), for hover."""
    needed = sorted(model.needed_for(stage.index) - {stage.index})
    if not needed:
        return "builds no other stage"
    return "pulls in: " + ", ".join(model.stages[index].label for index in needed)


class TargetCandidate(msgspec.Struct, frozen=True):
    name: str
    detail: str
    replace: Span


def complete_target(slot: TargetSlot, model: StageModel) -> list[TargetCandidate]:
    """The named stages of the Dockerfile the build reads that start like what is typed."""
    typed = slot.typed.lower()
    return [
        TargetCandidate(stage.name, stage_detail(stage), slot.replace)
        for stage in model.stages
        if stage.name and stage.name.lower().startswith(typed)
    ]
