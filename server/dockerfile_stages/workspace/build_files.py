"""The workspace's build files (Compose, Bake, CI, Makefiles, scripts) and the Dockerfiles they build.

Reading, scanning and path checks happen here (they touch the disk); what the files say comes from
the pure ``model.buildfiles``. An index keeps one entry per build file and answers which builds
name a Dockerfile.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from dockerfile_stages.model.build_files import BuildFileKind, kind_of

if TYPE_CHECKING:  # the readers load with the first build file found (load): a lone Dockerfile needs none
    from dockerfile_stages.model.buildfiles import Anchor, Build, BuildFileEntry, ResolvedBuild
from dockerfile_stages.workspace.files import MAX_SMALL_FILE_BYTES, read_bounded

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", "vendor"})
BAKE_FILE_NAMES = ("docker-bake.hcl", "docker-bake.json", "docker-bake.override.hcl", "docker-bake.override.json")
NEARBY_DEPTH = 3  # outside a checkout: the file's directory and this many parents
MAX_SCAN_FILES = 50_000  # names looked at in one scan: a huge tree is cut short, not walked for minutes


def scan(root: Path, limit: int = MAX_SCAN_FILES) -> list[Path]:
    """Build files under ``root`` found by their names (no file is opened)."""
    found: list[Path] = []
    seen = 0
    top = str(root)
    for directory, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and (not d.startswith(".") or d == ".github"))
        relative = os.path.relpath(directory, top).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in sorted(files):
            if kind_of(prefix + name) is not None:
                found.append(Path(directory, name))
        seen += len(files)
        if seen >= limit:
            break
    return found


def nearby(path: Path, depth: int = NEARBY_DEPTH) -> list[Path]:
    """Build files in the directory of ``path`` and a few above it (not below): for a file outside a checkout."""
    found: list[Path] = []
    directory = Path(os.path.abspath(path)).parent
    for candidate in (directory, *list(directory.parents)[:depth]):
        for folder in (candidate, candidate / ".github" / "workflows"):
            try:
                names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
            except OSError:
                continue
            found += [folder / name for name in names if kind_of((folder / name).as_posix()) is not None]
    return found


def read_text(path: Path, limit: int = MAX_SMALL_FILE_BYTES) -> str | None:
    """The file's text, or None when it is not a readable regular file of text within ``limit``
    (a FIFO named ``build.sh`` must not hang the scan)."""
    try:
        data = read_bounded(path, limit)
    except OSError:
        return None
    if b"\x00" in data:
        return None
    return data.decode("utf-8", errors="replace")


class DiskAnswers:
    """What resolving builds asked the disk (is this a file, a directory?) and what it answered,
    recorded: whatever is worked out from an index can be kept as long as every answer still holds
    (``check``'s results cache keeps the targets each Dockerfile's builds use: ``cli/cache.py``)."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, bool, bool]] = []  # (path, asked whether a directory, answer)

    def is_file(self, path: Path) -> bool:
        answer = path.is_file()
        self.answers.append((str(path), False, answer))
        return answer

    def is_dir(self, path: Path) -> bool:
        answer = path.is_dir()
        self.answers.append((str(path), True, answer))
        return answer


def answers_hold(answers: Iterable[tuple[str, bool, bool]]) -> bool:
    """Whether the disk still answers as ``DiskAnswers`` recorded."""
    return all(
        (os.path.isdir(path) if directory else os.path.isfile(path)) == answer for path, directory, answer in answers
    )


def load(
    path: Path, text: str | None = None, root: Path | None = None, disk: DiskAnswers | None = None
) -> BuildFileEntry | None:
    """The entry for a build file (its text from the editor when given, else from disk); ``disk``
    records what resolving its builds asked the disk."""
    path = Path(os.path.abspath(path))
    from dockerfile_stages.model.buildfiles import BuildFileEntry, extract

    kind = kind_of(path.as_posix())
    if kind is None:
        return None
    if text is None:
        text = read_text(path)
        if text is None:
            return None
    builds = tuple(resolve(path, kind, build, root, disk) for build in extract(path.as_posix(), text))
    return BuildFileEntry(path, kind, builds)


def resolve(
    path: Path, kind: BuildFileKind, build: Build, root: Path | None = None, disk: DiskAnswers | None = None
) -> ResolvedBuild:
    from dockerfile_stages.model.buildfiles import ANCHORS, Anchor, ResolvedBuild

    is_file, is_dir = (disk.is_file, disk.is_dir) if disk is not None else (Path.is_file, Path.is_dir)
    if build.bake_target is not None:  # the Dockerfile comes from the Bake file; the index looks it up
        for base in _bases(path, ANCHORS[kind], root):
            directory = _join(base, build.context.path)
            if any(is_file(directory / name) for name in BAKE_FILE_NAMES):
                return ResolvedBuild(build, None, directory, False, True)
        return ResolvedBuild(build, None, None, False, False)
    for base in _bases(path, ANCHORS[kind], root):
        dockerfile = _join(base, build.dockerfile.path)
        context = _join(base, build.context.path)
        exists = is_file(dockerfile)
        if exists or ANCHORS[kind] is not Anchor.UNKNOWN_CWD:
            return ResolvedBuild(build, dockerfile, context, exists, is_dir(context))
    return ResolvedBuild(build, None, None, False, False)


def _bases(path: Path, anchor: Anchor, root: Path | None) -> Iterator[Path]:
    from dockerfile_stages.model.buildfiles import Anchor

    if anchor is Anchor.REPOSITORY:
        yield path.parents[2] if len(path.parents) > 2 else path.parent
        return
    yield path.parent
    if anchor is Anchor.UNKNOWN_CWD:  # a script is run from its directory or one above it
        for parent in path.parent.parents:
            if root is not None and not parent.is_relative_to(root):
                return
            yield parent


def _join(base: Path, relative: PurePosixPath) -> Path:
    return Path(os.path.normpath(base / relative))


class BuildFileIndex:
    """Every build file known in the workspace, and which Dockerfile each build reads."""

    def __init__(self) -> None:
        self._entries: dict[Path, BuildFileEntry] = {}

    def put(self, entry: BuildFileEntry) -> None:
        self._entries[entry.path] = entry

    def remove(self, path: Path) -> None:
        self._entries.pop(Path(os.path.abspath(path)), None)

    def get(self, path: Path) -> BuildFileEntry | None:
        entry = self._entries.get(Path(os.path.abspath(path)))
        return self._through_bake(entry) if entry is not None else None

    def entries(self) -> list[BuildFileEntry]:
        return [self._through_bake(entry) for entry in self._entries.values()]

    def _through_bake(self, entry: BuildFileEntry) -> BuildFileEntry:
        """The entry with each ``bake --set NAME.target=`` build given the Dockerfile(s) of Bake target NAME."""
        if not any(resolved.build.bake_target is not None for resolved in entry.builds):
            return entry
        from msgspec.structs import replace  # here: the scan (a cached check's) loads no msgspec

        builds: list[ResolvedBuild] = []
        for resolved in entry.builds:
            name = resolved.build.bake_target
            if name is None or resolved.context is None:
                builds.append(resolved)
                continue
            targets = [
                candidate
                for bake in self._entries.values()
                if bake.kind is BuildFileKind.BAKE and bake.path.parent == resolved.context
                for candidate in bake.builds
                if candidate.build.bake_target is None and name in ("*", candidate.build.name)
            ]
            for target in dict.fromkeys((t.dockerfile, t.dockerfile_exists, t.context) for t in targets):
                builds.append(replace(resolved, dockerfile=target[0], dockerfile_exists=target[1], context=target[2]))
        return replace(entry, builds=tuple(builds))

    def builds_of(self, dockerfile: Path) -> list[tuple[BuildFileEntry, ResolvedBuild]]:
        """The builds (with the file that runs them) that build ``dockerfile``."""
        wanted = Path(os.path.normpath(os.path.abspath(dockerfile)))
        return [
            (entry, resolved) for entry in self.entries() for resolved in entry.builds if resolved.dockerfile == wanted
        ]

    def targets_of(self, dockerfile: Path) -> tuple[str, ...]:
        """The ``--target`` names the workspace builds ``dockerfile`` with (for the unused-stage rule)."""
        names = (resolved.build.target.text for _, resolved in self.builds_of(dockerfile) if resolved.build.target)
        return tuple(dict.fromkeys(names))

    def dockerfiles(self) -> set[Path]:
        return {resolved.dockerfile for entry in self.entries() for resolved in entry.builds if resolved.dockerfile}


def load_all(paths: Iterable[Path], root: Path | None = None) -> BuildFileIndex:
    index = BuildFileIndex()
    for path in paths:
        entry = load(path, root=root)
        if entry is not None:
            index.put(entry)
    return index
