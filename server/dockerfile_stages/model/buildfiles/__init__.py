"""Builds that files around a Dockerfile run: Compose, Bake, CI workflows, Makefiles, scripts.

Pure: text in, ``Build`` records out, each value with its exact range (line, code-point column),
so that diagnostics, navigation and rename across files can point at and edit the right characters.
"""

from __future__ import annotations

from collections.abc import Callable

from dockerfile_stages.model.buildfiles.bake import bake_builds
from dockerfile_stages.model.buildfiles.ci import gitlab_builds, workflow_builds
from dockerfile_stages.model.buildfiles.compose import compose_builds
from dockerfile_stages.model.buildfiles.make import justfile_builds, makefile_builds
from dockerfile_stages.model.buildfiles.shell import find_builds
from dockerfile_stages.model.buildfiles.text import lines_of
from dockerfile_stages.model.buildfiles.uses import (
    ANCHORS,
    Anchor,
    Build,
    BuildFileEntry,
    BuildFileKind,
    PathRef,
    ResolvedBuild,
    Value,
    kind_of,
)

__all__ = [
    "ANCHORS",
    "Anchor",
    "Build",
    "BuildFileEntry",
    "BuildFileKind",
    "PathRef",
    "ResolvedBuild",
    "Value",
    "extract",
    "kind_of",
]


def _shell_builds(text: str) -> list[Build]:
    return find_builds(lines_of(text))


_EXTRACTORS: dict[BuildFileKind, Callable[[str], list[Build]]] = {
    BuildFileKind.COMPOSE: compose_builds,
    BuildFileKind.GITHUB_WORKFLOW: workflow_builds,
    BuildFileKind.GITLAB_CI: gitlab_builds,
    BuildFileKind.MAKEFILE: makefile_builds,
    BuildFileKind.JUSTFILE: justfile_builds,
    BuildFileKind.SHELL: _shell_builds,
}


def extract(path: str, text: str) -> list[Build]:
    """The builds the file at ``path`` (its name decides how it is read) runs; [] for other files."""
    kind = kind_of(path)
    if kind is None:
        return []
    if kind is BuildFileKind.BAKE:
        return bake_builds(text, json=path.endswith(".json"))
    return _EXTRACTORS[kind](text)
