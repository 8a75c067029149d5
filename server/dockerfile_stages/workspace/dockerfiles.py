"""Finding Dockerfiles by name under directories."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from dockerfile_stages.model.build_files import kind_of
from dockerfile_stages.workspace.build_files import MAX_SCAN_FILES, SKIP_DIRS

_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"}
IGNORE_SUFFIX = ".dockerignore"


def is_dockerfile_name(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".dockerignore"):
        return False  # ``Dockerfile.dockerignore`` is the ignore file BuildKit reads for ``Dockerfile``
    return (
        lower in ("dockerfile", "containerfile")
        or lower.startswith(("dockerfile.", "containerfile."))
        or lower.endswith((".dockerfile", ".containerfile"))
    )


def find_dockerfiles(paths: Sequence[str]) -> Iterator[str]:
    """Files named as arguments, and Dockerfiles found by name under directories named."""
    yield from walk(paths).dockerfiles


class Walk(NamedTuple):
    """What one walk of the directories named found (``walk``)."""

    dockerfiles: list[str]  # as ``find_dockerfiles`` gives them
    build_files: dict[Path, list[Path]]  # per directory named (resolved): what ``build_files.scan`` finds there
    listed: dict[str, frozenset[str]]  # directory walked (normalised) -> the names of its ignore files

    def may_have_ignore_file(self, dockerfile: str) -> bool:
        """False only when the walk listed the Dockerfile's directory and it holds neither
        ``<name>.dockerignore`` nor ``.dockerignore`` (so there is nothing to open)."""
        directory, name = os.path.split(dockerfile)
        found = self.listed.get(directory or ".")
        return found is None or bool(found & {name + IGNORE_SUFFIX, IGNORE_SUFFIX})


def walk(paths: Sequence[str], scan_limit: int = MAX_SCAN_FILES) -> Walk:
    """Files named as arguments, and under each directory named, in one walk: the Dockerfiles found by
    name, the build files (the directories and limit of ``build_files.scan``, which prunes more) and
    which directories hold ignore files. ``check`` over 10,000 folders walked the tree twice and tried
    two ignore files per Dockerfile before."""
    found = Walk([], {}, {})
    for path in paths:
        if path != "-" and os.path.isdir(path):
            _walk_directory(path, found, scan_limit)
        else:
            found.dockerfiles.append(path)
    return found


def _walk_directory(path: str, found: Walk, scan_limit: int) -> None:
    root = Path(path).resolve()
    builds = found.build_files.setdefault(root, []) if root not in found.build_files else None
    top = str(root)
    prefixes = {path: ""}  # directory as walked -> its path under root for the scan (absent: pruned by it)
    seen = 0
    for directory, dirs, files in _listings(path):
        normal = os.path.normpath(directory)
        ignore_files = [name for name in files if name.endswith(IGNORE_SUFFIX)]
        found.listed[normal] = frozenset(ignore_files) if ignore_files else _NONE
        head = "" if normal == "." else normal if normal.endswith(os.sep) else normal + os.sep
        found.dockerfiles.extend(head + name for name in files if is_dockerfile_name(name))
        prefix = prefixes.pop(directory, None)
        if prefix is None or builds is None:
            continue
        for name, child in dirs:
            if name not in SKIP_DIRS and (not name.startswith(".") or name == ".github"):
                prefixes[child] = prefix + name + "/"
        builds += [Path(top, prefix + name) for name in files if kind_of(prefix + name) is not None]
        seen += len(files)
        if seen >= scan_limit:
            builds = None


_NONE: frozenset[str] = frozenset()


def _listings(top: str) -> Iterator[tuple[str, list[tuple[str, str]], list[str]]]:
    """``os.walk(top)`` top-down, names sorted, without the directories ``find_dockerfiles`` skips, and
    without ``os.walk``'s stat of every directory (the entry's type says whether it is a link):
    (directory, its subdirectories as (name, path), its other names)."""
    pending = [top]
    while pending:
        directory = pending.pop()
        dirs: list[tuple[str, str]] = []
        files: list[str] = []
        walked: list[str] = []
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if not _is_dir(entry):
                        files.append(entry.name)
                    elif entry.name not in _SKIP_DIRS:
                        dirs.append((entry.name, entry.path))
                        if not entry.is_symlink():  # a link is listed as a directory, not walked (os.walk's default)
                            walked.append(entry.path)
        except OSError:
            continue
        dirs.sort()
        files.sort()
        yield directory, dirs, files
        walked.sort(reverse=True)
        pending += walked


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
