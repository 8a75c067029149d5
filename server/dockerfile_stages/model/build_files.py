"""What the build files around a Dockerfile are called: Compose, Bake, CI workflows, Makefiles,
justfiles and scripts, by their names. Apart from ``buildfiles/`` (what they say), so that finding
them (a scan, ``check`` of one Dockerfile, the bootstrap asking whether a URI is a Dockerfile)
loads none of the readers."""

from __future__ import annotations

import re
from enum import Enum


class BuildFileKind(Enum):
    COMPOSE = "compose"
    BAKE = "bake"
    GITHUB_WORKFLOW = "github-workflow"
    GITLAB_CI = "gitlab-ci"
    MAKEFILE = "makefile"
    JUSTFILE = "justfile"
    SHELL = "shell"


_NAMES: tuple[tuple[re.Pattern[str], BuildFileKind], ...] = (
    (re.compile(r"(^|/)(docker-)?compose(\.[\w.-]+)?\.ya?ml$"), BuildFileKind.COMPOSE),
    (re.compile(r"(^|/)docker-bake(\.[\w.-]+)?\.(hcl|json)$"), BuildFileKind.BAKE),
    (re.compile(r"(^|/)\.github/workflows/[^/]+\.ya?ml$"), BuildFileKind.GITHUB_WORKFLOW),
    (re.compile(r"(^|/)\.gitlab-ci\.ya?ml$"), BuildFileKind.GITLAB_CI),
    (re.compile(r"(^|/)(GNUmakefile|[Mm]akefile|[^/]+\.mk)$"), BuildFileKind.MAKEFILE),
    (re.compile(r"(^|/)\.?[Jj]ustfile$|\.just$"), BuildFileKind.JUSTFILE),
    (re.compile(r"\.(sh|bash)$"), BuildFileKind.SHELL),
)


# Any of them: one search for the names that are none (most of a tree), instead of one per kind.
_ANY_NAME = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _NAMES))


def kind_of(path: str) -> BuildFileKind | None:
    """The kind of build file a path names (by its name, as Docker's tools and CI services find them)."""
    path = path.replace("\\", "/")
    if not _ANY_NAME.search(path):
        return None
    return next((kind for pattern, kind in _NAMES if pattern.search(path)), None)
