"""The build context on disk: how much a ``COPY``/``ADD`` source sends, as Docker would send it.

Honours ``.dockerignore`` and never follows links out of the context. Answers are remembered for
``max_age_s``, so an editor asking on every keystroke does not walk the workspace each time.
"""

from __future__ import annotations

import glob
import os
import time
from pathlib import Path

from dockerfile_stages.sizes.dockerignore import DockerIgnore
from dockerfile_stages.workspace.files import MAX_SMALL_FILE_BYTES, read_bounded


def read_dockerignore(context: Path) -> DockerIgnore:
    """The context's ``.dockerignore``; none (or one that is not a small regular file): nothing left out."""
    try:
        data = read_bounded(context / ".dockerignore", MAX_SMALL_FILE_BYTES)
    except OSError:
        return DockerIgnore([])
    return DockerIgnore(data.decode("utf-8", errors="replace").splitlines())


def dockerignore_lines(dockerfile: Path) -> tuple[str, ...] | None:
    """The ignore file BuildKit uses for this Dockerfile with its directory as the context:
    ``<name>.dockerignore`` beside it first, then the context's ``.dockerignore``; None when neither."""
    for candidate in (dockerfile.with_name(dockerfile.name + ".dockerignore"), dockerfile.parent / ".dockerignore"):
        try:
            data = read_bounded(candidate, MAX_SMALL_FILE_BYTES)
        except OSError:
            continue
        return tuple(data.decode("utf-8", errors="replace").splitlines())
    return None


class BuildContext:
    def __init__(self, root: Path, max_age_s: float = 0.0) -> None:
        self.root = root.resolve()
        self.max_age_s = max_age_s
        self._ignore: DockerIgnore | None = None
        self._sizes: dict[str, tuple[float, int]] = {}

    @property
    def ignore(self) -> DockerIgnore:
        if self._ignore is None:
            self._ignore = read_dockerignore(self.root)
        return self._ignore

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
