"""``check``'s results cache: a file whose inputs have not changed is not analysed again.

Modelled on ruff's cache. It lives in the user's cache directory (``default_folder``; not, as ruff's,
in the working directory, which it would litter), or ``--cache-dir DIR`` / ``DOCKERFILE_STAGES_CACHE_DIR``
(``--no-cache`` or ``DOCKERFILE_STAGES_NO_CACHE=1`` turn it off), which holds a ``.gitignore`` of ``*`` and a
``CACHEDIR.TAG`` so that neither git nor backup tools take it. Inside, ``check-v1/KEY.json`` holds
the results of one *run key*: the cache format, the tool's version, the Python that runs it, a
fingerprint of the package's own files (path, size and modification time of each, so that an editable
install that is edited misses although its version is the same), the ``--select``, ``--ignore`` and
``--target`` given, the path and bytes of every build file whose targets count as used (Compose,
Bake, CI files... found as ``check`` finds them), and the working directory and paths named (how each
file is shown). In that file, each Dockerfile (by absolute path) has
the digest of its bytes, the digest of the ignore file its build uses (``<name>.dockerignore`` or
``.dockerignore``: path and bytes, or none; DS211 reads it), the rows of its findings and the warning
about how it was read. A lookup reads the file, hashes it and compares: a hit is printed as it was
stored (``cli/report.py`` prints fresh and stored results alike). The file also keeps the targets
each Dockerfile's builds use (``BuildTargets``), with what resolving the builds asked the disk
(which files and directories exist): while the disk answers the same, a run takes them from there
and parses no build file. Likewise the build files' own findings (DS150/DS151, for a directory
named), kept with the digest of every Dockerfile whose stages they read.

What cannot go stale: a result is stored under the digests of the bytes the analysis read (the
Dockerfile's and, where a rule read it, the ignore file's), and the build files are loaded from the
very bytes the run key was made of; a file changed during the analysis is found changed next time.
Errors (unreadable files) are never stored. Writes go to a temporary file renamed over the old one,
so a reader sees a whole file or the previous one, and a cache that does not parse or has the wrong
shape is taken as empty. Where the folder cannot be written, ``check`` works without it. Pruning: a
result not seen for ``MAX_AGE_DAYS`` is dropped when its file is written again, and only the
``KEEP_KEYS`` run keys used last are kept.

I/O, so it lives in ``cli/``, and it imports neither the rules nor msgspec: a run that finds every
result here loads only this module, ``cli/report.py`` and the directory walk.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dockerfile_stages import __version__
from dockerfile_stages.cli.report import SEVERITY_LABELS, Row
from dockerfile_stages.workspace.build_files import BuildFileIndex, DiskAnswers, answers_hold, load, nearby, scan
from dockerfile_stages.workspace.dockerfiles import Walk
from dockerfile_stages.workspace.files import MAX_DOCKERFILE_BYTES, MAX_SMALL_FILE_BYTES, read_bounded

FORMAT = 3  # bump when what a key file holds changes shape or meaning (2: a digest line; 3: targets per file)
ENV_DIR = "DOCKERFILE_STAGES_CACHE_DIR"
ENV_OFF = "DOCKERFILE_STAGES_NO_CACHE"
MAX_AGE_DAYS = 30
KEEP_KEYS = 64  # run keys (each a working directory, paths and options) kept, the ones used last
MAX_CACHE_BYTES = 1 << 30  # a key file larger than this is not read
GITIGNORE = "# Automatically created by dockerfile-stages.\n*\n"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by dockerfile-stages.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
PACKAGE = Path(__file__).resolve().parent.parent

try:  # hashlib's own blake2b, without hashlib: importing it loads OpenSSL's _hashlib (2 ms of a 40 ms hit)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

IgnoreRead = tuple[Path, bytes] | None


def digest(data: bytes) -> str:
    """The cache's name for bytes (``check.content_digest`` is the same function)."""
    return blake2b(data, digest_size=20).hexdigest()


def location(option: str | None, off: bool, environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder: ``--cache-dir``, else ``$DOCKERFILE_STAGES_CACHE_DIR``, else the user's cache
    directory (``default_folder``); None when ``--no-cache`` or ``DOCKERFILE_STAGES_NO_CACHE`` (not
    empty, not 0) turn it off."""
    env = os.environ if environ is None else environ
    if off or env.get(ENV_OFF, "") not in ("", "0", "false"):
        return None
    chosen = option or env.get(ENV_DIR)
    return Path(chosen) if chosen else default_folder(env)


def default_folder(environ: Mapping[str, str]) -> Path:
    """``dockerfile-stages/check`` in the user's cache directory, where ``size`` keeps registry answers
    (platformdirs' ``user_cache_dir``): ``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux and the BSDs,
    written out here because importing platformdirs is 2 ms of a 20 ms run; elsewhere platformdirs'.
    Not the working directory: a cache there would litter every checkout and corpus checked."""
    if sys.platform in ("darwin", "win32", "cygwin"):
        import platformdirs

        return Path(platformdirs.user_cache_dir("dockerfile-stages"), "check")
    base = environ.get("XDG_CACHE_HOME", "")
    return Path(base if base.strip() else os.path.expanduser("~/.cache"), "dockerfile-stages", "check")


def code_fingerprint(package: Path | None = None) -> str:
    """The package's files as they are now: relative path, size and modification time (ns) of each
    (bytecode left out). Some 250 stat calls, about a millisecond: an edit to any module or data file
    changes it, which the version alone does not in an editable install."""
    parts: list[str] = []
    pending = [str(package or PACKAGE)]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != "__pycache__":
                            pending.append(entry.path)
                    elif not entry.name.endswith((".pyc", ".pyo")):
                        info = entry.stat()
                        parts.append(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}")
        except OSError:
            parts.append(f"{directory}\0unreadable")
    return digest("\n".join(sorted(parts)).encode("utf-8", "surrogateescape"))


# Libraries whose behaviour reaches findings: build files are parsed with yaml and tree-sitter (the
# targets that count), close names in messages come from rapidfuzz, records are msgspec's.
DEPENDENCIES = (
    "msgspec",
    "yaml",
    "rapidfuzz",
    "tree_sitter",
    "tree_sitter_bash",
    "tree_sitter_hcl",
    "tree_sitter_make",
)


def dependency_fingerprint(names: Sequence[str] = DEPENDENCIES) -> str:
    """Where each library is and its entry file's size and modification time: an upgrade rewrites it.
    ``find_spec`` locates a top-level package without importing it (a third of a millisecond)."""
    from importlib.util import find_spec

    parts = []
    for name in names:
        try:
            spec = find_spec(name)
            origin = spec.origin if spec is not None else None
            info = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            origin, info = None, None
        parts.append(f"{name}\0{origin}\0{info.st_size if info else ''}\0{info.st_mtime_ns if info else ''}")
    return digest("\n".join(parts).encode("utf-8", "surrogateescape"))


def repository_root(path: Path) -> Path | None:
    """The checkout a file belongs to: the nearest directory holding ``.git``."""
    directory = path.resolve().parent
    return next((candidate for candidate in (directory, *directory.parents) if (candidate / ".git").exists()), None)


def build_file_paths(paths: Sequence[str], walked: Walk | None = None) -> list[Path]:
    """The build files whose builds ``check`` counts: those under every directory named, and those of
    the checkout of every file named (outside a checkout, those next to it and a few directories up).
    ``walked``: the walk of ``paths``, which has listed the build files under the directories."""
    files: list[Path] = []
    roots: set[Path] = set()
    for path in paths:
        if path == "-":
            continue
        root = Path(path).resolve() if os.path.isdir(path) else repository_root(Path(path))
        if root is None:
            files += nearby(Path(path))
        elif root not in roots:
            roots.add(root)
            listed = walked.build_files.get(root) if walked is not None else None
            files += listed if listed is not None else scan(root)
    return list(dict.fromkeys(files))


def read_build_files(paths: Sequence[Path]) -> tuple[list[tuple[Path, bytes | None]], str]:
    """Each file's bytes (None: unreadable) and their fingerprint (path and digest of each, in order):
    the analysis loads the build files from these same bytes, so the key it stores under is theirs."""
    read: list[tuple[Path, bytes | None]] = []
    parts = []
    for path in paths:
        try:
            data: bytes | None = read_bounded(path, MAX_SMALL_FILE_BYTES)
        except OSError:
            data = None
        read.append((path, data))
        parts.append(f"{path}\0{'-' if data is None else digest(data)}")
    return read, digest("\n".join(parts).encode("utf-8", "surrogateescape"))


def index_of(read: Sequence[tuple[Path, bytes | None]], disk: DiskAnswers | None = None) -> BuildFileIndex:
    """The index of build files from the bytes read (``read_build_files``), as ``load_all`` reads them
    from disk (text decoded with replacement; binary data and unreadable files left out). Which
    Dockerfile a build reads is decided here, from the files that exist now (a script's ``-f Dockerfile``
    is looked for in its directory, then above): so each file's targets go in its entry's key
    (``side_inputs``), not only the build files' bytes. ``disk`` records what that asked the disk."""
    index = BuildFileIndex()
    for path, data in read:
        if data is not None and b"\x00" not in data:
            entry = load(path, data.decode("utf-8", errors="replace"), disk=disk)
            if entry is not None:
                index.put(entry)
    return index


class BuildTargets:
    """What ``check`` needs of the build files when every result is in the cache: whether any build
    file has builds, and the targets each Dockerfile is built with (by normalised absolute path).
    Kept in the key file (whose key holds the build files' bytes) with the disk's answers they were
    worked out from, and used while those still hold: a hit then parses no YAML, HCL or script."""

    def __init__(self, any_builds: bool, targets: dict[str, list[str]], answers: list[tuple[str, bool, bool]]) -> None:
        self.any_builds = any_builds
        self.targets = targets
        self.answers = answers

    @classmethod
    def of(cls, read: Sequence[tuple[Path, bytes | None]]) -> tuple[BuildFileIndex, BuildTargets]:
        """The index of the build files read, and what of it a later run can keep."""
        disk = DiskAnswers()
        index = index_of(read, disk)
        targets = {str(dockerfile): list(index.targets_of(dockerfile)) for dockerfile in index.dockerfiles()}
        used = {path: names for path, names in targets.items() if names}
        return index, cls(bool(index.entries()), used, disk.answers)

    def targets_of(self, dockerfile: str) -> tuple[str, ...]:
        """``BuildFileIndex.targets_of`` for this Dockerfile."""
        return tuple(self.targets.get(os.path.normpath(os.path.abspath(dockerfile)), ()))

    def holds(self) -> bool:
        return answers_hold(self.answers)

    def to_json(self) -> list[Any]:
        return [self.any_builds, self.targets, [list(answer) for answer in self.answers]]

    @classmethod
    def from_json(cls, value: Any) -> BuildTargets | None:
        """The record ``to_json`` wrote; None where it has another shape (a hand-edited or damaged file)."""
        if not (isinstance(value, list) and len(value) == 3):
            return None
        any_builds, targets, answers = value
        if not (
            isinstance(any_builds, bool)
            and isinstance(targets, dict)
            and all(isinstance(path, str) and _strings(names) for path, names in targets.items())
            and isinstance(answers, list)
            and all(_answer(answer) for answer in answers)
        ):
            return None
        return cls(any_builds, targets, [(path, directory, answer) for path, directory, answer in answers])


def _answer(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and isinstance(value[1], bool)
        and isinstance(value[2], bool)
    )


def side_inputs(ignore: str, targets: Sequence[str]) -> str:
    """A file's inputs besides its bytes: its ignore file (``ignore_digest``) and the targets its builds
    use (the index's ``targets_of``; the ones given with ``--target`` are in the run key)."""
    if not targets:  # most files: no hashing (a digest of a list never equals one of these strings)
        return ignore
    import json  # (here and below: `check --no-cache` of files no build names loads no json)

    return digest(json.dumps([ignore, list(targets)]).encode("utf-8", "surrogateescape"))


def run_key(
    select: Sequence[str], ignore: Sequence[str], targets: Sequence[str], build_files: str, paths: Sequence[str]
) -> str:
    """Everything every file's findings depend on besides its own bytes and its ignore file, and the
    run's scope: the working directory and the paths named, which decide how each file is shown (its
    path and its read warning name it as found) and keep one project's results in a file of their own
    (a one-file ``check`` does not read the results of a 10,000-file one)."""
    import json

    code = [FORMAT, __version__, sys.version, code_fingerprint(), dependency_fingerprint()]
    inputs = [*code, list(select), list(ignore), list(targets)]
    return digest(json.dumps([*inputs, build_files, os.getcwd(), list(paths)]).encode("utf-8", "surrogateescape"))


def ignore_file_of(dockerfile: str) -> IgnoreRead:
    """The ignore file BuildKit uses for this Dockerfile with its directory as the context, as
    ``workspace.context.ignore_file_for`` finds it (``<name>.dockerignore`` first, then ``.dockerignore``):
    its path and bytes, or None."""
    path = Path(dockerfile)
    for candidate in (path.with_name(path.name + ".dockerignore"), path.parent / ".dockerignore"):
        try:
            return candidate, read_bounded(candidate, MAX_SMALL_FILE_BYTES)
        except OSError:
            continue
    return None


def ignore_digest(found: IgnoreRead) -> str:
    if found is None:
        return "none"
    return digest(str(found[0]).encode("utf-8", "surrogateescape") + b"\0" + found[1])


def read_dockerfile_bytes(path: str) -> bytes | None:
    """The file's bytes as ``check`` would read them; None where it could not (the analysis says why)."""
    try:
        return read_bounded(path, MAX_DOCKERFILE_BYTES)
    except OSError:
        return None


def _today() -> int:
    return int(time.time() // 86400)


def _row(value: Any) -> Row | None:
    """A stored row, or None when it is not one (a damaged file)."""
    if not (isinstance(value, list) and len(value) == 9):
        return None
    numbers, texts, fixes = value[:5], value[5:8], value[8]
    if not all(type(number) is int for number in numbers) or numbers[4] not in SEVERITY_LABELS:
        return None
    if not all(isinstance(text, str) for text in texts):
        return None
    if not _strings(fixes):
        return None
    return Row(numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], texts[0], texts[1], texts[2], tuple(fixes))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class Store:
    """The results of one run key, read from and written back to ``folder/check-v1/KEY.json``."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self.file = folder / f"check-v{FORMAT}" / f"{key}.json"
        self.entries: dict[str, list[Any]] = {}
        self.problems: dict[str, list[str]] = {}  # ignore file digest -> its refused lines, as printed after the path
        self.sarif_rules: list[dict[str, Any]] | None = None
        self.build_targets: BuildTargets | None = None
        self._build_results: Any = None  # as stored: [{Dockerfile: digest}, [[build file, rows]...]]
        self.dirty = False
        self.cwd = os.getcwd()  # (``os.path.abspath`` asks for it at every call)
        self.today = _today()  # the day this run marks the entries it uses with
        self._load()

    def _absolute(self, path: str) -> str:
        return os.path.normpath(os.path.join(self.cwd, path))  # ``os.path.abspath``

    def has(self, path: str) -> bool:
        """Whether anything is stored for this file (else a lookup has nothing to compare its bytes with)."""
        return self._absolute(path) in self.entries

    def _load(self) -> None:
        import json

        try:
            stored, _, payload = read_bounded(self.file, MAX_CACHE_BYTES).partition(b"\n")
            # the digest line catches damage that still parses (a block of another file, a flipped byte)
            data = json.loads(payload) if stored == digest(payload).encode() else None
        except (OSError, ValueError, RecursionError):  # absent, unreadable, truncated, not JSON: empty
            return
        if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == self.key):
            return
        entries, problems, rules = data.get("entries"), data.get("problems"), data.get("sarif_rules")
        self.build_targets = BuildTargets.from_json(data.get("build_targets"))
        self._build_results = data.get("build_results")
        if isinstance(entries, dict):
            self.entries = entries
        if isinstance(problems, dict):
            self.problems = {
                k: v for k, v in problems.items() if isinstance(v, list) and all(isinstance(line, str) for line in v)
            }
        if isinstance(rules, list) and all(
            isinstance(rule, dict) and isinstance(rule.get("id"), str) for rule in rules
        ):
            self.sarif_rules = rules
        with contextlib.suppress(OSError):  # used now: pruning keeps the keys used last
            os.utime(self.file)

    def lookup(self, path: str, data: bytes, inputs: str) -> tuple[tuple[Row, ...], str | None] | None:
        """The rows and read warning stored for this file with these bytes and ``side_inputs``, if any."""
        entry = self.entries.get(self._absolute(path))
        if not (isinstance(entry, list) and len(entry) == 5):
            return None
        stored, stored_inputs, _, warning, rows = entry
        if stored != digest(data) or stored_inputs != inputs or not (warning is None or isinstance(warning, str)):
            return None
        if not isinstance(rows, list):
            return None
        found = [_row(row) for row in rows]
        if None in found:
            return None
        entry[2] = self.today
        return tuple(row for row in found if row is not None), warning

    def put(self, path: str, data_digest: str, inputs: str, rows: Sequence[Row], warning: str | None) -> None:
        self.entries[self._absolute(path)] = [data_digest, inputs, self.today, warning, [list(row) for row in rows]]
        self.dirty = True

    def put_problems(self, ignore: str, lines: list[str]) -> None:
        self.problems[ignore] = lines
        self.dirty = True

    def put_sarif_rules(self, rules: list[dict[str, Any]]) -> None:
        self.sarif_rules = rules
        self.dirty = True

    def build_results(self) -> list[tuple[str, tuple[Row, ...]]] | None:
        """The build files' rows (DS150/DS151) as stored, while every Dockerfile they read has the same
        bytes (the caller makes sure the build targets' disk answers hold too); None otherwise."""
        stored = self._build_results
        if not (isinstance(stored, list) and len(stored) == 2 and isinstance(stored[0], dict)):
            return None
        dockerfiles, files = stored
        for path, stored_digest in dockerfiles.items():
            data = read_dockerfile_bytes(path) if isinstance(path, str) else None
            if (digest(data) if data is not None else None) != stored_digest:
                return None
        if not isinstance(files, list):
            return None
        found: list[tuple[str, tuple[Row, ...]]] = []
        for item in files:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
                return None
            if not isinstance(item[1], list):
                return None
            rows = [_row(row) for row in item[1]]
            if None in rows:
                return None
            found.append((item[0], tuple(row for row in rows if row is not None)))
        return found

    def put_build_results(self, read: dict[str, str | None], results: Sequence[tuple[str, Sequence[Row]]]) -> None:
        stored = [read, [[path, [list(row) for row in rows]] for path, rows in results]]
        if stored != self._build_results:
            self._build_results = stored
            self.dirty = True

    def put_build_targets(self, found: BuildTargets) -> None:
        if self.build_targets is None or self.build_targets.to_json() != found.to_json():
            self.build_targets = found
            self.dirty = True

    def save(self) -> None:
        """Write the results back (when any are new), atomically; silently not where it cannot be written."""
        if not self.dirty:
            return
        oldest = _today() - MAX_AGE_DAYS
        entries = {
            path: entry
            for path, entry in self.entries.items()
            if isinstance(entry, list) and len(entry) == 5 and isinstance(entry[2], int) and entry[2] >= oldest
        }
        data = {
            "format": FORMAT,
            "key": self.key,
            "entries": entries,
            "problems": self.problems,
            "sarif_rules": self.sarif_rules,
            "build_targets": self.build_targets.to_json() if self.build_targets is not None else None,
            "build_results": self._build_results,
        }
        import json

        with contextlib.suppress(OSError):
            self._prepare()
            # ASCII: a lone surrogate (a byte of a path or a Dockerfile that is not UTF-8) is kept as its escape
            payload = json.dumps(data, separators=(",", ":")).encode()
            _write_atomically(self.file, digest(payload).encode() + b"\n" + payload)
            self._prune()

    def _prepare(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
            marker = self.folder / name
            if not marker.exists():
                _write_atomically(marker, text.encode())

    def _prune(self) -> None:
        """Keep the ``KEEP_KEYS`` key files used last, none unused for ``MAX_AGE_DAYS`` (and temporary
        files younger than an hour)."""
        now = time.time()
        keys: list[tuple[float, Path]] = []
        with os.scandir(self.file.parent) as entries:
            for entry in entries:
                path = Path(entry.path)
                with contextlib.suppress(OSError):
                    modified = entry.stat().st_mtime
                    if entry.name.endswith(".tmp") and now - modified > 3600:
                        path.unlink()
                    elif entry.name.endswith(".json") and path != self.file:
                        if now - modified > MAX_AGE_DAYS * 86400:
                            path.unlink()
                        else:
                            keys.append((modified, path))
        for _, path in sorted(keys, reverse=True)[KEEP_KEYS - 1 :]:
            with contextlib.suppress(OSError):
                path.unlink()


def _write_atomically(target: Path, data: bytes) -> None:
    """A whole new file renamed over ``target``: a reader sees the old or the new one, never a part."""
    temporary = target.with_name(f"{target.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        with open(temporary, "xb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
