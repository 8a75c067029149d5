"""Builds that files around a Dockerfile run: Compose, Bake, CI workflows, Makefiles, scripts.

Pure: text in, ``Build`` records out, each value with its exact range (line, code-point column),
so that diagnostics, navigation and rename across files can point at and edit the right characters.
"""

from __future__ import annotations

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


def extract(path: str, text: str) -> list[Build]:
    """The builds the file at ``path`` (its name decides how it is read) runs; [] for other files.

    Each reader (PyYAML, tree-sitter grammars) is imported on the first file of its kind: a
    workspace without Makefiles never loads tree-sitter-make, and a lone Dockerfile loads none."""
    kind = kind_of(path)
    if kind is None:
        return []
    if kind is BuildFileKind.BAKE:
        from dockerfile_stages.model.buildfiles.bake import bake_builds

        return bake_builds(text, json=path.endswith(".json"))
    if kind is BuildFileKind.COMPOSE:
        from dockerfile_stages.model.buildfiles.compose import compose_builds

        return compose_builds(text)
    if kind is BuildFileKind.GITHUB_WORKFLOW:
        from dockerfile_stages.model.buildfiles.ci import workflow_builds

        return workflow_builds(text)
    if kind is BuildFileKind.GITLAB_CI:
        from dockerfile_stages.model.buildfiles.ci import gitlab_builds

        return gitlab_builds(text)
    if kind is BuildFileKind.MAKEFILE:
        from dockerfile_stages.model.buildfiles.make import makefile_builds

        return makefile_builds(text)
    if kind is BuildFileKind.JUSTFILE:
        from dockerfile_stages.model.buildfiles.make import justfile_builds

        return justfile_builds(text)
    from dockerfile_stages.model.buildfiles.shell import find_builds
    from dockerfile_stages.model.buildfiles.text import lines_of

    return find_builds(lines_of(text))
