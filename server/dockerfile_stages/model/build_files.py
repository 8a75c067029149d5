"""What the build files around a Dockerfile are called: Compose, Bake, CI workflows, Makefiles,
justfiles and scripts, by their names. Apart from ``buildfiles/`` (what they say), so that finding
them (a scan, ``check`` of one Dockerfile, the bootstrap asking whether a URI is a Dockerfile)
loads none of the readers."""

from __future__ import annotations

import re
from enum import Enum
from functools import cache


class BuildFileKind(Enum):
    COMPOSE = "compose"
    BAKE = "bake"
    GITHUB_WORKFLOW = "github-workflow"
    GITLAB_CI = "gitlab-ci"
    MAKEFILE = "makefile"
    JUSTFILE = "justfile"
    SHELL = "shell"


_NAMES: tuple[tuple[str, BuildFileKind], ...] = (
    (r"(^|/)(docker-)?compose(\.[\w.-]+)?\.ya?ml$", BuildFileKind.COMPOSE),
    (r"(^|/)docker-bake(\.[\w.-]+)?\.(hcl|json)$", BuildFileKind.BAKE),
    (r"(^|/)\.github/workflows/[^/]+\.ya?ml$", BuildFileKind.GITHUB_WORKFLOW),
    (r"(^|/)\.gitlab-ci\.ya?ml$", BuildFileKind.GITLAB_CI),
    (r"(^|/)(GNUmakefile|[Mm]akefile|[^/]+\.mk)$", BuildFileKind.MAKEFILE),
    (r"(^|/)\.?[Jj]ustfile$|\.just$", BuildFileKind.JUSTFILE),
    (r"\.(sh|bash)$", BuildFileKind.SHELL),
)


# Any of them: one search for the names that are none (most of a tree), instead of one per kind.
# Both compiled on first use, the kinds' patterns at the first build file: ``check`` of a lone
# Dockerfile with nothing around it compiles none of the seven.
@cache
def _any_name() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern, _ in _NAMES))


@cache
def _kinds() -> tuple[tuple[re.Pattern[str], BuildFileKind], ...]:
    return tuple((re.compile(pattern), kind) for pattern, kind in _NAMES)


def kind_of(path: str) -> BuildFileKind | None:
    """The kind of build file a path names (by its name, as Docker's tools and CI services find them)."""
    path = path.replace("\\", "/")
    if not _any_name().search(path):
        return None
    return next((kind for pattern, kind in _kinds() if pattern.search(path)), None)
