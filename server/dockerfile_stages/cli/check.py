"""``dockerfile-stages check``: the rules over files and directories, as text, JSON or SARIF."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import msgspec

from dockerfile_stages.cli import report
from dockerfile_stages.cli.cache import build_file_paths, ignore_digest, ignore_file_of
from dockerfile_stages.cli.cache import digest as content_digest
from dockerfile_stages.cli.report import Checked, Row
from dockerfile_stages.cli.style import PLAIN, Paint
from dockerfile_stages.model import build_model
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.rules import (
    RULES,
    RULES_BY_ID,
    Finding,
    Rule,
    Severity,
    ids,
    is_selected,
    reads_ignore_file,
    run_rules,
)
from dockerfile_stages.sizes.snapshot_names import IMAGES  # (``snapshot_images()``, without the sizes' records)
from dockerfile_stages.syntax import Document
from dockerfile_stages.workspace.build_files import BuildFileIndex, load_all
from dockerfile_stages.workspace.dockerfiles import Walk
from dockerfile_stages.workspace.sources import InputError, read_dockerfile, read_source

SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}


class FileResult(msgspec.Struct, frozen=True):
    path: str
    findings: list[Finding]
    error: str | None = None
    warning: str | None = None  # the file was read, with a caveat (bytes that are not UTF-8)
    text: str | None = None  # what was checked (for --fix)
    digest: str | None = None  # ``content_digest`` of the bytes checked (what the results cache keys them by)
    ignore_digest: str | None = None  # ``cache.ignore_digest`` of the ignore file the rules read (None: not read)


def check_file(
    path: str,
    select: Sequence[str],
    ignore: Sequence[str],
    targets: tuple[str, ...],
    index: BuildFileIndex | None = None,
    keep_text: bool = True,
    keep_digest: bool = True,
) -> FileResult:
    """The findings of one file; ``keep_text``: with the text that was checked (for ``--fix``; a pool
    sends each result back, so it is left out where nothing reads it); ``keep_digest``: with the digest
    of its bytes (for the results cache)."""
    try:
        source = read_source(path)
    except InputError as err:
        return FileResult(path, [], str(err))
    document = Document(source.text, encoding="utf-32")
    if path != "-" and index is not None:
        targets = targets + index.targets_of(Path(path))
    patterns, read_ignore = None, None
    if path != "-" and reads_ignore_file(document, select):
        found = ignore_file_of(path)  # as ``context.dockerignore_lines`` reads it, with the bytes read
        patterns = tuple(found[1].decode("utf-8", errors="replace").splitlines()) if found is not None else None
        read_ignore = ignore_digest(found)
    findings = run_rules(
        document,
        build_model(document),
        targets=targets,
        select=select,
        ignore=ignore,
        ignore_patterns=patterns,
        images=IMAGES,
    )
    digest = content_digest(source.text.encode("utf-8", "surrogateescape")) if keep_digest else None  # its bytes
    return FileResult(
        path,
        findings,
        warning=source.warning,
        text=source.text if keep_text else None,
        digest=digest,
        ignore_digest=read_ignore,
    )


def ignore_problems(path: Path, data: bytes) -> list[str]:
    """The refused lines of an ignore file read as these bytes, as ``ignore_file_warnings`` prints them
    after the path (``:LINE: warning: MESSAGE``)."""
    from dockerfile_stages.workspace.context import IgnoreFile  # (here: most Dockerfiles have no ignore file)

    found = IgnoreFile(path, tuple(data.decode("utf-8", errors="replace").splitlines()))
    return [f":{problem.line}: warning: {problem.message}" for problem in found.problems]


def ignore_file_warnings(
    dockerfiles: Sequence[str], context: Path | None = None, walked: Walk | None = None
) -> list[str]:
    """One line per refused pattern of the ignore files these Dockerfiles' builds use (each file
    once), as ``path:line: warning: ...``: ``docker build`` fails on them, and here they match nothing.
    ``walked``: the walk that found them, which says where there is no ignore file to open."""
    from dockerfile_stages.workspace.context import IgnoreFile, ignore_file_for

    seen: dict[Path, IgnoreFile] = {}
    for dockerfile in dockerfiles:
        if dockerfile == "-" or (
            context is None and walked is not None and not walked.may_have_ignore_file(dockerfile)
        ):
            continue
        found = ignore_file_for(Path(dockerfile), context)
        if found is not None:
            seen.setdefault(found.path, found)
    return [
        f"{found.path}:{problem.line}: warning: {problem.message}"
        for found in seen.values()
        for problem in found.problems
    ]


# Below this many files per process, forking the pool costs more than it saves.
MIN_FILES_PER_JOB = 8


def default_jobs() -> int:
    """The CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def check_files(
    paths: Sequence[str],
    select: Sequence[str],
    ignore: Sequence[str],
    targets: tuple[str, ...],
    index: BuildFileIndex | None = None,
    jobs: int = 1,
    keep_text: bool = True,
    keep_digest: bool = True,
) -> list[FileResult]:
    """``check_file`` on each path, in up to ``jobs`` processes; the results in the order given."""
    check = partial(
        check_file,
        select=select,
        ignore=ignore,
        targets=targets,
        index=index,
        keep_text=keep_text,
        keep_digest=keep_digest,
    )
    jobs = min(jobs, len(paths) // MIN_FILES_PER_JOB)
    if jobs <= 1:
        return [check(path) for path in paths]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunks = [pool.submit(_check_chunk, check, paths[start:end]) for start, end in chunk_bounds(len(paths), jobs)]
        return [result for chunk in chunks for result in chunk.result()]


def _check_chunk(check: partial[FileResult], paths: Sequence[str]) -> list[FileResult]:
    return [check(path) for path in paths]


MIN_CHUNK = 16  # files: a round trip to a worker costs about as much as analysing a few


def chunk_bounds(count: int, jobs: int) -> list[tuple[int, int]]:
    """Where the pool's chunks of ``count`` files start and end: each a quarter of what is left per
    process, so large first (few round trips) and small last (the processes finish together; a
    machine shared with other work slows one of them at random), down to ``MIN_CHUNK``."""
    bounds = []
    start = 0
    while start < count:
        size = max(MIN_CHUNK, (count - start) // (jobs * 4))
        bounds.append((start, min(count, start + size)))
        start += size
    return bounds


def workspace_index(paths: Sequence[str], walked: Walk | None = None) -> BuildFileIndex:
    """The build files under every directory named, and those of the checkout of every file named
    (or, outside a checkout, those next to it and a few directories up): ``cache.build_file_paths``."""
    return load_all(build_file_paths(paths, walked))


def check_build_files(
    paths: Sequence[str],
    index: BuildFileIndex,
    select: Sequence[str],
    ignore: Sequence[str],
    read: dict[str, str | None] | None = None,
) -> list[FileResult]:
    """DS150/DS151 in the build files under the directories named (not for a lone Dockerfile).
    ``read``: the Dockerfiles whose stages were read, each with the digest of its bytes (None: not readable)."""
    chosen = (RULES_BY_ID[rule_id] for rule_id in (ids.UNKNOWN_TARGET, ids.MISSING_BUILD_PATH))
    rules = [rule for rule in chosen if is_selected(rule, select, ignore)]
    if not rules:
        return []
    directories = [Path(p).resolve() for p in paths if p != "-" and os.path.isdir(p)]
    models: dict[Path, StageModel | None] = {}

    def model_of(dockerfile: Path) -> StageModel | None:
        if dockerfile not in models:
            try:
                text = read_dockerfile(str(dockerfile))
            except InputError:
                models[dockerfile], digest = None, None
            else:
                models[dockerfile] = build_model(Document(text, encoding="utf-32"))
                digest = content_digest(text.encode("utf-8", "surrogateescape"))  # of the bytes read
            if read is not None:
                read[str(dockerfile)] = digest
        return models[dockerfile]

    entries = [e for e in index.entries() if any(e.path.is_relative_to(directory) for directory in directories)]
    if not entries:
        return []
    from dockerfile_stages.ide import workspace_targets  # loads the cross-file features: only for a build file

    results = []
    wanted = {rule.id for rule in rules}
    for entry in sorted(entries, key=lambda entry: entry.path):
        found = [f for f in workspace_targets.findings(entry, model_of) if f.rule in wanted]
        if found:
            results.append(FileResult(_shown(entry.path), found))
    return results


def rows_of(findings: Sequence[Finding]) -> tuple[Row, ...]:
    """Findings as the plain rows that ``cli/report.py`` prints and the results cache keeps."""
    return tuple(
        Row(
            finding.span.start.line + 1,
            finding.span.start.col + 1,
            finding.span.end.line + 1,
            finding.span.end.col + 1,
            int(finding.severity),
            finding.rule,
            RULES_BY_ID[finding.rule].name,
            finding.message,
            tuple(fix.title for fix in finding.fixes),
        )
        for finding in findings
    )


def checked(result: FileResult) -> Checked:
    return Checked(result.path, rows_of(result.findings), result.error, result.warning)


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def format_text(results: list[FileResult], threshold: Severity, paint: Paint = PLAIN) -> str:
    return report.format_text([checked(result) for result in results], threshold, paint)


def summary(results: list[FileResult], threshold: Severity) -> str:
    """One line for stderr: ``3 findings in 2 files``, ``no findings in 12 files``."""
    return report.summary([checked(result) for result in results], threshold)


def list_rules() -> str:
    """``check --list-rules``: one row per rule."""
    rows = [("id", "name", "severity", "fix", "BuildKit", "hadolint")]
    for rule in RULES:
        buildkit = [p.split()[1] for p in rule.peers if p.startswith("BuildKit ")]
        hadolint = [p.split()[1] for p in rule.peers if p.startswith("hadolint ")]
        fix = "certain" if rule.certain_fix else ("yes" if rule.fixable else "")
        severity = rule.severity.label + (" (experimental)" if rule.experimental else "")
        if not buildkit and "BuildKit" in rule.peers:
            buildkit = ["(refuses)"]
        rows.append((rule.id, rule.name, severity, fix, ",".join(buildkit), ",".join(hadolint)))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n" for row in rows
    )


def format_json(results: list[FileResult], threshold: Severity) -> str:
    return report.format_json([checked(result) for result in results], threshold)


def format_sarif(results: list[FileResult], threshold: Severity, base: Path) -> str:
    return report.format_sarif([checked(result) for result in results], threshold, base, sarif_rules())


def sarif_rules() -> list[dict[str, Any]]:
    """Every rule as SARIF describes one, in ``RULES`` order (the results cache keeps this list once)."""
    return [_sarif_rule(rule) for rule in RULES]


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    described: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what},
        "help": {"text": rule.explain()},
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
        "properties": {"tags": list(rule.peers)},
    }
    if (uri := help_uri(rule)) is not None:
        described["helpUri"] = uri
    return described


def help_uri(rule: Rule) -> str | None:
    """The published page of the check this rule matches (BuildKit's build-check reference, hadolint's
    wiki); None for our own rules, whose whole documentation is in ``help`` (and ``check --explain``)."""
    for peer in rule.peers:
        tool, _, name = peer.partition(" ")
        if tool == "BuildKit" and name:
            return f"https://docs.docker.com/reference/build-checks/{_kebab(name)}/"
    for peer in rule.peers:
        tool, _, name = peer.partition(" ")
        if tool == "hadolint" and name:
            return f"https://github.com/hadolint/hadolint/wiki/{name}"
    return None


def _kebab(name: str) -> str:
    return "".join(f"-{char.lower()}" if char.isupper() and index else char.lower() for index, char in enumerate(name))
