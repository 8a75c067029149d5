"""The build context on disk: how much a ``COPY``/``ADD`` source sends, as Docker would send it.

Honours ``.dockerignore`` and never follows links out of the context. Answers are remembered for
``max_age_s``, so an editor asking on every keystroke does not walk the workspace each time.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import msgspec

from dockerfile_stages.sizes.dockerignore import DockerIgnore, Problem
from dockerfile_stages.workspace.files import MAX_SMALL_FILE_BYTES, read_bounded


def read_dockerignore(context: Path) -> DockerIgnore:
    """The context's ``.dockerignore``; none (or one that is not a small regular file): nothing left out."""
    try:
        data = read_bounded(context / ".dockerignore", MAX_SMALL_FILE_BYTES)
    except OSError:
        return DockerIgnore([])
    return DockerIgnore(data.decode("utf-8", errors="replace").splitlines())


class IgnoreFile(msgspec.Struct, frozen=True):
    """The ``.dockerignore`` a build uses, as read."""

    path: Path
    lines: tuple[str, ...]

    @property
    def problems(self) -> list[Problem]:
        """Lines Docker refuses (``docker build`` fails on them; here they match nothing)."""
        return DockerIgnore(list(self.lines)).problems


def ignore_file_for(dockerfile: Path, context: Path | None = None) -> IgnoreFile | None:
    """The ignore file BuildKit uses for this Dockerfile: ``<name>.dockerignore`` beside it first,
    then the context's ``.dockerignore`` (the Dockerfile's directory unless given); None when neither
    is a small regular file."""
    root = dockerfile.parent if context is None else context
    for candidate in (dockerfile.with_name(dockerfile.name + ".dockerignore"), root / ".dockerignore"):
        try:
            data = read_bounded(candidate, MAX_SMALL_FILE_BYTES)
        except OSError:
            continue
        return IgnoreFile(candidate, tuple(data.decode("utf-8", errors="replace").splitlines()))
    return None


def dockerignore_lines(dockerfile: Path) -> tuple[str, ...] | None:
    """The lines of the ignore file BuildKit uses for this Dockerfile with its directory as the
    context; None when there is none."""
    found = ignore_file_for(dockerfile)
    return found.lines if found is not None else None


class BuildContext:
    """The context at ``root``; with ``dockerfile``, its ignore file is the one BuildKit picks for that
    Dockerfile (``<name>.dockerignore`` first), else the context's ``.dockerignore``."""

    def __init__(self, root: Path, max_age_s: float = 0.0, dockerfile: Path | None = None) -> None:
        self.root = root.resolve()
        self.max_age_s = max_age_s
        self.dockerfile = dockerfile
        self._ignore: DockerIgnore | None = None
        self._sizes: dict[str, tuple[float, int]] = {}

    @property
    def ignore(self) -> DockerIgnore:
        if self._ignore is None:
            self._ignore = self._read_ignore()
        return self._ignore

    def _read_ignore(self) -> DockerIgnore:
        if self.dockerfile is None:
            return read_dockerignore(self.root)
        found = ignore_file_for(self.dockerfile, self.root)
        return DockerIgnore(list(found.lines) if found is not None else [])

    def size(self, source: str) -> int:
        """Bytes a source (a path or glob, relative to the context) sends."""
        now = time.monotonic()
        remembered = self._sizes.get(source)
        if remembered is not None and now - remembered[0] <= self.max_age_s:
            return remembered[1]
        total = self._measure(source)
        self._sizes[source] = (now, total)
        return total

    def _measure(self, source: str) -> int:
        import glob  # measuring COPY sources (sizes): check and the first diagnostics never do

        total = 0
        for match in glob.glob(os.path.join(str(self.root), source.lstrip("/"))):
            path = Path(match)
            if not self._inside(path) or path.is_symlink():
                continue
            if path.is_file():
                total += self._file_size(path)
            elif path.is_dir():
                for directory, _, files in os.walk(path, followlinks=False):
                    total += sum(self._file_size(Path(directory) / name) for name in files)
        return total

    def _file_size(self, path: Path) -> int:
        if self.ignore.excluded(path.relative_to(self.root).as_posix()):
            return 0
        try:
            return 0 if path.is_symlink() else path.stat().st_size
        except OSError:
            return 0

    def _inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
        except ValueError:
            return False
        return True
