"""What a build file says about a Dockerfile: the builds it runs, with the exact ranges of their values."""

from __future__ import annotations

from enum import Enum
from pathlib import Path, PurePosixPath

import msgspec

from dockerfile_stages.model.build_files import BuildFileKind as BuildFileKind
from dockerfile_stages.model.build_files import kind_of as kind_of
from dockerfile_stages.syntax.nodes import Span


class Anchor(Enum):
    """The directory a build's relative paths start from."""

    FILE_DIR = "file-dir"  # the build file's own directory (Compose, Bake, make, just, GitLab CI)
    REPOSITORY = "repository"  # the checkout a workflow runs in: two levels above .github/workflows/
    UNKNOWN_CWD = "unknown-cwd"  # a script runs wherever it is called from: the file's directory or a parent


ANCHORS = {
    BuildFileKind.COMPOSE: Anchor.FILE_DIR,
    BuildFileKind.BAKE: Anchor.FILE_DIR,
    BuildFileKind.GITHUB_WORKFLOW: Anchor.REPOSITORY,
    BuildFileKind.GITLAB_CI: Anchor.FILE_DIR,
    BuildFileKind.MAKEFILE: Anchor.FILE_DIR,
    BuildFileKind.JUSTFILE: Anchor.FILE_DIR,
    BuildFileKind.SHELL: Anchor.UNKNOWN_CWD,
}


class Value(msgspec.Struct, frozen=True):
    """A literal value as written in the file, and its range (the quotes excluded)."""

    text: str
    span: Span


class PathRef(msgspec.Struct, frozen=True):
    path: PurePosixPath  # relative to the build's anchor (or absolute)
    written: Value | None  # where the file names it; None when it is the default


class Build(msgspec.Struct, frozen=True):
    """One build of a Dockerfile: its context, its Dockerfile, and the ``--target`` if one is given."""

    context: PathRef
    dockerfile: PathRef  # combined with the context where the tool reads it relative to the context
    target: Value | None
    where: Span  # the build as a whole (the service's build key, the Bake block, the command)
    name: str = ""  # the Compose service or Bake target, for messages
    # `docker buildx bake --set NAME.target=...`: the Bake target (or "*") whose context and Dockerfile
    # this build uses, found in the Bake file of the directory ``context`` names
    bake_target: str | None = None


class ResolvedBuild(msgspec.Struct, frozen=True):
    """A build with its paths made absolute (the workspace checks whether they exist)."""

    build: Build
    dockerfile: Path | None  # None where the directory the build runs in is unknown
    context: Path | None
    dockerfile_exists: bool
    context_exists: bool


class BuildFileEntry(msgspec.Struct, frozen=True):
    path: Path  # absolute
    kind: BuildFileKind
    builds: tuple[ResolvedBuild, ...]

    @property
    def checks_paths(self) -> bool:
        """Compose and Bake name their context and Dockerfile relative to themselves: missing is wrong."""
        return self.kind in (BuildFileKind.COMPOSE, BuildFileKind.BAKE)


def bake_override(text: str) -> tuple[str, str, int] | None:
    """``NAME.target=VALUE`` (a Bake ``--set``): (NAME, VALUE, VALUE's offset in ``text``)."""
    key, equals, value = text.partition("=")
    if not equals or not key.endswith(".target") or not value or not is_literal(value):
        return None
    name = key[: -len(".target")]
    return (name, value, len(key) + 1) if name and is_literal(name) else None


def is_literal(text: str) -> bool:
    """False for values a variable or template fills in when the build runs (nothing to check)."""
    return not any(marker in text for marker in ("$", "{{", "%{")) and text.strip() == text and bool(text)


def is_remote(text: str) -> bool:
    return "://" in text or text.startswith(("git@", "github.com/")) or text == "-"
