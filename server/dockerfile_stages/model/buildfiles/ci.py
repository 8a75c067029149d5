"""CI pipelines: GitHub Actions workflows and GitLab CI files.

Workflows: ``docker/build-push-action`` steps (``context``, ``file``, ``target`` inputs) and the
``docker build`` commands of ``run:`` steps. GitLab CI: the commands of every job's ``script``,
``before_script`` and ``after_script``.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import yaml
from msgspec.structs import replace

from dockerfile_stages.model.buildfiles import yamlnodes
from dockerfile_stages.model.buildfiles.shell import find_builds
from dockerfile_stages.model.buildfiles.uses import Build, PathRef, Value, bake_override, is_literal, is_remote
from dockerfile_stages.syntax.nodes import Pos, Span

_BUILD_PUSH = "docker/build-push-action"
_BAKE_ACTION = "docker/bake-action"
_SCRIPT_KEYS = ("before_script", "script", "after_script")


def workflow_builds(text: str) -> list[Build]:
    root = yamlnodes.compose(text)
    builds: list[Build] = []
    for _, job in yamlnodes.items(yamlnodes.get(root, "jobs")):
        defaults = yamlnodes.get(yamlnodes.get(job, "defaults"), "run")
        job_directory = _directory(yamlnodes.get(defaults, "working-directory"))
        for step in yamlnodes.sequence(yamlnodes.get(job, "steps")):
            uses = yamlnodes.scalar(yamlnodes.get(step, "uses")) or ""
            if uses.split("@")[0] == _BAKE_ACTION:
                builds += _bake_action(text, step)
                continue
            if uses.split("@")[0] == _BUILD_PUSH:
                build = _build_push(text, step)
                if build is not None:
                    builds.append(build)
                continue
            run = yamlnodes.get(step, "run")
            if run is None:
                continue
            directory = _directory(yamlnodes.get(step, "working-directory")) or job_directory
            builds += [_under(directory, build) for build in _shell(text, run)]
    return builds


def _build_push(text: str, step: yaml.Node) -> Build | None:
    inputs = yamlnodes.get(step, "with")
    fields = {}
    for key in ("context", "file", "target"):
        node = yamlnodes.get(inputs, key)
        found = yamlnodes.value(text, node)
        if node is not None and (found is None or not is_literal(found.text) or is_remote(found.text)):
            return None  # `${{ ... }}` or a Git context: known only when the workflow runs
        fields[key] = found
    context, file, target = fields["context"], fields["file"], fields["target"]
    context_ref = PathRef(PurePosixPath(context.text) if context else PurePosixPath("."), context)
    # `file` is relative to the checkout, not to the context
    dockerfile = PathRef(PurePosixPath(file.text), file) if file else PathRef(context_ref.path / "Dockerfile", None)
    return Build(context_ref, dockerfile, target, yamlnodes.span(step), "build-push-action")


def _bake_action(text: str, step: yaml.Node) -> list[Build]:
    """``set: NAME.target=stage`` lines of a bake-action step (the Bake file of ``workdir`` names the Dockerfile)."""
    inputs = yamlnodes.get(step, "with")
    workdir = _directory(yamlnodes.get(inputs, "workdir")) or PurePosixPath(".")
    found = yamlnodes.shell_segments(text, yamlnodes.get(inputs, "set"))
    builds = []
    for segment in found[0] if found else []:
        stripped = segment.text.strip()
        override = bake_override(stripped)
        if override is None:
            continue
        name, stage, offset = override
        start = Pos(segment.line, segment.col + segment.text.index(stripped) + offset)
        value = Value(stage, Span(start, Pos(start.line, start.col + len(stage))))
        here = PathRef(workdir, None)
        builds.append(Build(here, here, value, yamlnodes.span(step), name, bake_target=name))
    return builds


def _directory(node: yaml.Node | None) -> PurePosixPath | None:
    text = yamlnodes.scalar(node)
    return PurePosixPath(text) if text and is_literal(text) else None


def _under(directory: PurePosixPath | None, build: Build) -> Build:
    if directory is None:
        return build
    return replace(
        build,
        context=replace(build.context, path=directory / build.context.path),
        dockerfile=replace(build.dockerfile, path=directory / build.dockerfile.path),
    )


def _shell(text: str, node: yaml.Node) -> list[Build]:
    found = yamlnodes.shell_segments(text, node)
    return find_builds(*found) if found else []


def gitlab_builds(text: str) -> list[Build]:
    root = yamlnodes.compose(text)
    builds: list[Build] = []
    seen: set[tuple[int, int]] = set()  # a script shared through an anchor is read once
    for _, job in yamlnodes.items(root):
        for key in _SCRIPT_KEYS:
            for line in _script_lines(yamlnodes.get(job, key)):
                if (line.start_mark.line, line.start_mark.column) not in seen:
                    seen.add((line.start_mark.line, line.start_mark.column))
                    builds += _shell(text, line)
    return builds


def _script_lines(node: yaml.Node | None) -> list[yaml.Node]:
    if isinstance(node, yaml.ScalarNode):
        return [node]
    return [line for item in yamlnodes.sequence(node) for line in _script_lines(item)]
