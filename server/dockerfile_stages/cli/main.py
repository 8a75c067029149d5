"""The command line: the same analysis as the language server."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from dockerfile_stages import __version__, lean_msgspec
from dockerfile_stages.workspace.errors import InputError

# Each command imports the analysis it needs when it runs: `--version`, `--help` and shell completion
# load no model, rule or parser (tests/cli/test_cold_start.py checks it).

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from dockerfile_stages.cli.check import FileResult
    from dockerfile_stages.cli.report import Checked
    from dockerfile_stages.workspace.build_files import BuildFileIndex
    from dockerfile_stages.workspace.dockerfiles import Walk

    _Commands = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
SERVE_STDIO = (["serve"], ["serve", "--stdio"])
PLATFORM = r"[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?"  # (compiled by ``size --platform`` only)


def _parse_command(args: argparse.Namespace) -> int:
    import json

    from dockerfile_stages.cli.parse import format_text as format_parse_text
    from dockerfile_stages.cli.parse import parse_report
    from dockerfile_stages.model import build_model
    from dockerfile_stages.syntax import Document
    from dockerfile_stages.workspace.sources import read_dockerfile

    text = read_dockerfile(args.file)
    document = Document(text)
    report = parse_report(document, build_model(document))
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_parse_text(report))
    return EXIT_OK


def _split_ids(values: list[str] | None) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def _known_rules(names: list[str], option: str) -> list[str]:
    """The names given, or a usage error naming the first one no rule answers to."""
    from dockerfile_stages.rules import rule_names
    from dockerfile_stages.rules.helpers import close_names

    known = rule_names()
    lowered = {name.lower() for name in known}
    for name in names:
        if name.lower() not in lowered:
            hint = close_names(name, known, limit=1)
            suggestion = f" (did you mean {hint[0]}?)" if hint else ""
            raise InputError(f"{option}: no rule {name!r}{suggestion}; `check --list-rules` lists them")
    return names


def _check_command(args: argparse.Namespace) -> int:
    from dockerfile_stages.cli import report
    from dockerfile_stages.workspace.dockerfiles import walk

    if args.list_rules:
        from dockerfile_stages.cli.check import list_rules

        sys.stdout.write(list_rules())
        return EXIT_OK
    if args.explain:
        from dockerfile_stages.rules import rule_named

        for name in _known_rules(_split_ids([args.explain]), "--explain"):
            rule = rule_named(name)
            if rule is not None:
                print(rule.explain(), end="")
        return EXIT_OK
    try:
        threshold = report.parse_severity(args.severity)
    except KeyError:
        raise InputError(f"--severity must be error, warning, info or hint, not {args.severity!r}") from None
    if args.write and not args.fix:
        raise InputError("--write goes with --fix (check --fix --write)")
    paths = args.paths or ["."]
    walked = walk(paths)
    files = walked.dockerfiles
    if not files:
        raise InputError("no Dockerfiles found (looked for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile)")
    jobs = args.jobs if args.jobs is not None else _cpus()
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {jobs}")
    run = _CheckRun(args, paths, walked, jobs)
    if args.fix:
        return run.fix(threshold)
    return run.report(run.results(), threshold)


def _cpus() -> int:
    """The CPUs this process may run on (``check.default_jobs``, without importing the rules)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


class _CheckRun:
    """One ``check``: the results of its files, from the cache (``cli/cache.py``) where they are there
    and by analysis where not; the rules load only for the second."""

    def __init__(self, args: argparse.Namespace, paths: list[str], walked: Walk, jobs: int) -> None:
        from dockerfile_stages.cli import cache

        self.cache = cache  # (a method's own import of it, once per file, was ~1 us of a cache-filling run's)
        self.args, self.paths, self.walked, self.jobs = args, paths, walked, jobs
        self.files = walked.dockerfiles
        self.select, self.ignore = _split_ids(args.select), _split_ids(args.ignore)
        self.targets = tuple(_split_ids(args.target))
        self.build_paths = cache.build_file_paths(paths, walked)
        self.checked_names = False
        folder = None if args.fix or "-" in self.files else cache.location(args.cache_dir, args.no_cache)
        self.build_files, self.build_fingerprint = cache.read_build_files(self.build_paths)
        self.store = (
            cache.Store(folder, cache.run_key(self.select, self.ignore, self.targets, self.build_fingerprint, paths))
            if folder is not None
            else None
        )
        # Which targets each Dockerfile's builds use, from the build files read for the key: kept in
        # the key file while the disk's answers they were worked out from hold (no parse of them then).
        stored = self.store.build_targets if self.store is not None else None
        self._index: BuildFileIndex | None = None
        self.targets_kept = stored is not None and bool(self.build_files) and stored.holds()
        if stored is not None and self.targets_kept:
            self.build_targets = stored
        else:
            self._index, self.build_targets = cache.BuildTargets.of(self.build_files)
            if self.store is not None and self.build_files:
                self.store.put_build_targets(self.build_targets)
        self.any_builds = self.build_targets.any_builds  # (none: no file has targets, none looked up)
        # each Dockerfile's ignore file, read before the analysis (a rule that reads it reads it again)
        self.ignore_files = {
            path: cache.ignore_file_of(path) if path != "-" and walked.may_have_ignore_file(path) else None
            for path in self.files
        }

    def side_inputs(self, path: str, ignore: str) -> str:
        """``cache.side_inputs`` of a file: its ignore file's digest and the targets its builds use."""
        if not self.any_builds or path == "-":
            return self.cache.side_inputs(ignore, ())
        return self.cache.side_inputs(ignore, self.build_targets.targets_of(path))

    @property
    def index(self) -> BuildFileIndex:
        """The index of the build files read for the key (parsed here on a run that found what it
        needed of them in the cache)."""
        if self._index is None:
            self._index = self.cache.index_of(self.build_files)
        return self._index

    def names(self) -> tuple[list[str], list[str]]:
        """``--select`` and ``--ignore``, each name checked against the rules (a cache hit skips this: its
        key holds the names, which were checked when it was written)."""
        if not self.checked_names:
            self.select = _known_rules(self.select, "--select")
            self.ignore = _known_rules(self.ignore, "--ignore")
            self.checked_names = True
        return self.select, self.ignore

    def results(self) -> list[Checked]:
        """Every file's results in order, then the build files' (DS150/DS151)."""
        from pathlib import Path

        from dockerfile_stages.cli import cache
        from dockerfile_stages.cli.report import Checked

        found: list[Checked | None] = []
        missed: list[str] = []
        for path in self.files:
            hit = None
            if self.store is not None and self.store.has(path):  # (a file never stored is not read here)
                data = cache.read_dockerfile_bytes(path)
                if data is not None:
                    inputs = self.side_inputs(path, cache.ignore_digest(self.ignore_files[path]))
                    hit = self.store.lookup(path, data, inputs)
            found.append(None if hit is None else Checked(path, hit[0], warning=hit[1]))
            if hit is None:
                missed.append(path)
        under = [Path(p).resolve() for p in self.paths if p != "-" and os.path.isdir(p)]
        build_checks = any(path.is_relative_to(directory) for path in self.build_paths for directory in under)
        # the build files' findings (DS150/DS151), kept while the disk and the Dockerfiles they read are the same
        kept = self.store.build_results() if build_checks and self.targets_kept and self.store is not None else None
        if not missed and (not build_checks or kept is not None):
            builds = [Checked(path, rows) for path, rows in kept or []]
            return [result for result in found if result is not None] + builds
        from dockerfile_stages.cli.check import check_build_files, check_files, checked

        select, ignore = self.names()
        index = self.index  # from the bytes the key was made of, and the targets each entry is keyed by
        # (no build file names a target: the analysis looks up none; the digests are for the cache only)
        fresh = iter(
            check_files(
                missed,
                select,
                ignore,
                self.targets,
                index if self.any_builds else None,
                self.jobs,
                keep_text=False,
                keep_digest=self.store is not None,
            )
        )
        results = [result if result is not None else self._store(next(fresh), checked) for result in found]
        if kept is not None:
            return results + [Checked(path, rows) for path, rows in kept]
        read: dict[str, str | None] = {}
        builds = [checked(result) for result in check_build_files(self.paths, index, select, ignore, read)]
        if self.store is not None and build_checks:
            self.store.put_build_results(read, [(result.path, result.rows) for result in builds])
        return results + builds

    def _store(self, result: FileResult, checked: Callable[[FileResult], Checked]) -> Checked:
        done = checked(result)
        if self.store is not None and result.error is None and result.digest is not None:
            # stored under the digests of what the analysis read: the file's bytes, and the ignore file where
            # a rule read it (where none did, the findings do not depend on it: the one read before)
            ignore = result.ignore_digest or self.cache.ignore_digest(self.ignore_files.get(result.path))
            self.store.put(result.path, result.digest, self.side_inputs(result.path, ignore), done.rows, done.warning)
        return done

    def ignore_file_warnings(self) -> list[str]:
        """One line per refused pattern of the ignore files these Dockerfiles' builds use (each file once),
        as ``check.ignore_file_warnings`` prints them, from the cache where it has them."""
        from dockerfile_stages.cli import cache

        lines: list[str] = []
        seen: set[Path] = set()
        for found in self.ignore_files.values():
            if found is None or found[0] in seen:
                continue
            seen.add(found[0])
            key = cache.ignore_digest(found)
            problems = self.store.problems.get(key) if self.store is not None else None
            if problems is None:
                from dockerfile_stages.cli.check import ignore_problems

                problems = ignore_problems(*found)
                if self.store is not None:
                    self.store.put_problems(key, problems)
            lines += [f"{found[0]}{problem}" for problem in problems]
        return lines

    def fix(self, threshold: int) -> int:
        """``--fix`` (never cached): the certain fixes as a diff, or written and the files checked again."""
        from dockerfile_stages.cli.check import check_build_files, check_files, checked

        select, ignore = self.names()
        index = self.index
        found = check_files(self.files, select, ignore, self.targets, index, self.jobs, keep_text=True)
        self._warn([checked(result) for result in found])
        fixed = _fix(found, select, ignore, write=self.args.write)
        if not self.args.write:
            return EXIT_FINDINGS if fixed else EXIT_OK
        again = check_files(self.files, select, ignore, self.targets, index, self.jobs, keep_text=False)
        results = [checked(result) for result in again + check_build_files(self.paths, index, select, ignore)]
        return self._output(results, threshold)

    def _warn(self, results: list[Checked]) -> None:
        for result in results:
            if result.warning:
                print(f"dockerfile-stages: {result.warning}", file=sys.stderr)
        for line in self.ignore_file_warnings():
            print(line, file=sys.stderr)

    def report(self, results: list[Checked], threshold: int) -> int:
        self._warn(results[: len(self.files)])
        status = self._output(results, threshold)
        if self.store is not None:
            self.store.save()
        return status

    def _output(self, results: list[Checked], threshold: int) -> int:
        from pathlib import Path

        from dockerfile_stages.cli import report
        from dockerfile_stages.cli.style import paint_for

        errors = [result for result in results if result.error]
        good = [result for result in results if not result.error]
        if self.args.format == "json":
            sys.stdout.write(report.format_json(good, threshold))
        elif self.args.format == "sarif":
            sys.stdout.write(report.format_sarif(good, threshold, Path.cwd(), self._sarif_rules()))
        else:
            sys.stdout.write(report.format_text(good, threshold, paint_for(sys.stdout)))
        for result in errors:
            print(f"dockerfile-stages: {result.error}", file=sys.stderr)
        print(report.summary(good, threshold), file=sys.stderr)
        if errors:
            return EXIT_USAGE
        found = any(row.severity >= threshold for result in good for row in result.rows)
        return EXIT_FINDINGS if found else EXIT_OK

    def _sarif_rules(self) -> list[dict[str, Any]]:
        if self.store is not None and self.store.sarif_rules is not None:
            return self.store.sarif_rules
        from dockerfile_stages.cli.check import sarif_rules

        rules = sarif_rules()
        if self.store is not None:
            self.store.put_sarif_rules(rules)
        return rules


def _fix(results: list[FileResult], select: list[str], ignore: list[str], *, write: bool) -> int:
    """Apply the certain fixes: a unified diff on stdout, or (``write``) each file rewritten in place.
    Returns how many fixes there were."""
    import difflib

    from dockerfile_stages.refactor.fix_all import fix_all
    from dockerfile_stages.workspace.files import WriteRefused, rewrite

    total, changed = 0, 0
    for result in results:
        if result.error or result.text is None:
            continue
        fixed = fix_all(result.text, select=select, ignore=ignore)
        if not fixed.applied:
            continue
        total, changed = total + fixed.applied, changed + 1
        if not write:
            name = result.path.lstrip("/") if result.path != "-" else "Dockerfile"
            before, after = result.text.splitlines(keepends=True), fixed.text.splitlines(keepends=True)
            diff = "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))
            sys.stdout.flush()
            sys.stdout.buffer.write(diff.encode("utf-8", "surrogateescape"))  # the file's own bytes
        elif result.path == "-":
            raise InputError("--write needs files, not standard input")
        else:
            try:
                rewrite(result.path, fixed.text)
            except WriteRefused as err:
                raise InputError(f"{result.path}: {err}") from None
    verb = "fixed" if write else "would fix"
    print(
        f"{verb} {total} {'finding' if total == 1 else 'findings'} in {changed} {'file' if changed == 1 else 'files'}",
        file=sys.stderr,
    )
    return total


def _size_command(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from msgspec.structs import replace

    from dockerfile_stages.cli.check import ignore_file_warnings
    from dockerfile_stages.cli.size import format_text, size_report, size_summary
    from dockerfile_stages.sizes.service import SizeService, SizeSettings, offline_forced
    from dockerfile_stages.workspace.sources import read_dockerfile

    text = read_dockerfile(args.file)
    settings = SizeSettings(timeout_s=args.timeout, insecure_registries=tuple(args.insecure_registry or ()))
    if args.offline or offline_forced():
        settings = replace(settings, online=False)
    if args.cache_dir:
        settings = replace(settings, cache_dir=Path(args.cache_dir))
    service = SizeService(settings)
    context = Path(args.context) if args.context else (Path(args.file).parent if args.file != "-" else None)
    for line in ignore_file_warnings([args.file], context):
        print(line, file=sys.stderr)
    dockerfile = Path(args.file) if args.file != "-" else None
    report = size_report(text, context, service, args.platform, dockerfile)
    service.close()
    if args.format == "json":
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(report))
    print(f"dockerfile-stages: {size_summary(report)}", file=sys.stderr)
    return EXIT_OK


def _split_command(args: argparse.Namespace) -> int:
    import difflib

    from dockerfile_stages.model import build_model
    from dockerfile_stages.refactor.split import NoSplit, plan_split, split_text
    from dockerfile_stages.syntax import Document
    from dockerfile_stages.workspace.files import WriteRefused, rewrite
    from dockerfile_stages.workspace.sources import read_dockerfile

    text = read_dockerfile(args.file)
    document = Document(text, encoding="utf-32")
    plan = plan_split(document, build_model(document), runner=args.runner)
    if isinstance(plan, NoSplit):
        print(f"dockerfile-stages: no split: {plan.reason}", file=sys.stderr)
        return EXIT_FINDINGS
    result = split_text(document, plan)
    if args.diff:
        name = args.file.lstrip("/") if args.file != "-" else "Dockerfile"
        sys.stdout.writelines(
            difflib.unified_diff(
                text.splitlines(keepends=True), result.splitlines(keepends=True), f"a/{name}", f"b/{name}"
            )
        )
    elif args.verify:
        return _verify(args, result, plan.runner, plan.profile)
    elif args.write:
        if args.file == "-":
            raise InputError("--write needs a file, not standard input")
        try:
            rewrite(args.file, result)  # keeps a link a link, hard links, owner and mode
        except WriteRefused as err:
            raise InputError(f"{args.file}: {err}") from None
        print(f"split {args.file}: builder on {plan.base}, runner {plan.runner}", file=sys.stderr)
    else:
        sys.stdout.write(result)
    for note in plan.uncertain:
        print(f"dockerfile-stages: check: {note}", file=sys.stderr)
    return EXIT_OK


def _verify(args: argparse.Namespace, split: str, runner: str, profile: str) -> int:
    """Build and run the original and the split; 0 when they agree, 1 when not, 2 when it cannot tell."""
    import json
    from pathlib import Path

    from dockerfile_stages.cli.verify import Engine, Options, VerifyError, report, verify

    if args.file == "-":
        raise InputError("--verify needs a file (its directory is the build context), not standard input")
    engine = Engine(args.engine) if args.engine else None
    options = Options(engine, tuple(args.build_opt or ()), args.timeout, args.keep_images)
    try:
        result = verify(Path(args.file), split, options)
    except VerifyError as err:
        print(f"dockerfile-stages: cannot verify: {err}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        json.dump({**result.to_json(), "runner": runner, "profile": profile}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report(result, args.file))
    if not (result.original.built and result.split.built):
        return EXIT_USAGE
    return EXIT_OK if result.same else EXIT_FINDINGS


def _serve_command(args: argparse.Namespace) -> int:
    return _serve(args.tcp)


def _serve(tcp: str | None) -> int:
    from dockerfile_stages.lsp.bootstrap import run

    # an editor extension picks the level (DOCKERFILE_STAGES_LOG_LEVEL=debug logs every message pygls handles);
    # DOCKERFILE_STAGES_BOOTSTRAP=0 starts the full server at once (lsp/bootstrap.py answers first otherwise)
    return run(
        tcp=tcp,
        log_level=os.environ.get("DOCKERFILE_STAGES_LOG_LEVEL", "warning"),
        bootstrap=os.environ.get("DOCKERFILE_STAGES_BOOTSTRAP", "1") != "0",
    )


def _platform(text: str) -> str:
    """``--platform``: os/arch[/variant], as BuildKit writes platforms (linux/amd64, linux/arm/v7)."""
    if not re.fullmatch(PLATFORM, text):
        import argparse

        raise argparse.ArgumentTypeError(f"{text!r} is not a platform: write os/arch[/variant], e.g. linux/arm64")
    return text


def _completion_command(args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    sys.stdout.write(shellcode(["dockerfile-stages"], shell=args.shell))
    return EXIT_OK


def _command(commands: _Commands, name: str, summary: str, examples: str, **kw: Any) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with examples of its use."""
    import argparse

    return commands.add_parser(
        name,
        help=summary,
        description=kw.pop("description", summary[0].upper() + summary[1:] + "."),
        epilog="examples:\n" + "\n".join(f"  {line}" for line in examples.strip().splitlines()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **kw,
    )


def _add_parse(commands: _Commands) -> None:
    parse = _command(
        commands,
        "parse",
        "print the parse of a Dockerfile: directives, instructions, stages, errors",
        "dockerfile-stages parse Dockerfile\ndockerfile-stages parse --json - < Dockerfile",
    )
    parse.add_argument("file", help="the Dockerfile, or - for standard input")
    parse.add_argument("--json", action="store_true", help="print the parse as JSON")
    parse.set_defaults(run=_parse_command)


def _add_check(commands: _Commands) -> None:
    check = _command(
        commands,
        "check",
        "report mistakes (exit 1 when any finding reaches --severity)",
        "dockerfile-stages check .\ndockerfile-stages check --format sarif services/ > findings.sarif\n"
        "dockerfile-stages check --explain DS100",
        description="Check Dockerfiles for mistakes. Exit status: 0 clean, 1 findings, 2 usage or read error.",
    )
    check.add_argument("paths", nargs="*", help="files, or directories searched for Dockerfiles (default: .)")
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    check.add_argument(
        "--severity", default="warning", help="report and fail from this level: error, warning, info, hint"
    )
    check.add_argument(
        "--select", action="append", metavar="ID", help="only these rules (ids or names, comma-separated)"
    )
    check.add_argument(
        "--ignore", action="append", metavar="ID", help="skip these rules (ids or names, comma-separated)"
    )
    check.add_argument(
        "--target", action="append", metavar="STAGE", help="a --target your builds use (its stages count as used)"
    )
    check.add_argument("--jobs", type=int, metavar="N", help="check files in N processes (default: the number of CPUs)")
    check.add_argument(
        "--explain", metavar="ID", help="print the documentation of rules (ids or names, comma-separated) and exit"
    )
    check.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    check.add_argument(
        "--fix", action="store_true", help="apply the certain quick fixes: print them as a diff (exit 1 if any)"
    )
    check.add_argument("--write", action="store_true", help="with --fix: rewrite the files in place, then check")
    check.add_argument(
        "--no-cache", action="store_true", help="analyse every file, neither reading nor writing the results cache"
    )
    check.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where results are cached (default: $DOCKERFILE_STAGES_CACHE_DIR, else ~/.cache/dockerfile-stages/check)",
    )
    check.set_defaults(run=_check_command)


def _add_size(commands: _Commands) -> None:
    size = _command(
        commands,
        "size",
        "what each stage and the final image weigh, and what multi-stage saves",
        "dockerfile-stages size Dockerfile\ndockerfile-stages size --offline --platform linux/arm64 Dockerfile",
    )
    size.add_argument("file", help="the Dockerfile, or - for standard input")
    size.add_argument(
        "--platform", type=_platform, default="linux/amd64", help="platform of the images (default linux/amd64)"
    )
    size.add_argument("--offline", action="store_true", help="no network: the bundled snapshot and the cache only")
    size.add_argument("--format", choices=["text", "json"], default="text")
    size.add_argument("--context", help="the build context (default: the Dockerfile's directory)")
    size.add_argument(
        "--timeout", type=float, default=5.0, help="seconds for each image's whole registry lookup (default 5)"
    )
    size.add_argument("--cache-dir", help="where registry answers are cached (default: the user cache directory)")
    size.add_argument(
        "--insecure-registry",
        action="append",
        metavar="HOST",
        help="a registry whose certificate is not checked (then plain HTTP), as Docker does",
    )
    size.set_defaults(run=_size_command)


def _add_split(commands: _Commands) -> None:
    split = _command(
        commands,
        "split",
        "split a single-stage Dockerfile into builder and runner stages",
        "dockerfile-stages split --diff Dockerfile\n"
        "dockerfile-stages split --runner gcr.io/distroless/static-debian12 --write Dockerfile",
    )
    split.add_argument("file", help="the Dockerfile, or - for standard input")
    split.add_argument("--runner", metavar="IMAGE", help="the runtime image (default: chosen per profile)")
    mode = split.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff instead of the new file")
    mode.add_argument("--write", action="store_true", help="rewrite the file in place (atomically)")
    mode.add_argument(
        "--verify",
        action="store_true",
        help="build the original and the split, run both, compare exit status and output, report sizes",
    )
    verifying = split.add_argument_group("--verify options")
    verifying.add_argument("--engine", choices=["docker", "podman", "buildah"], help="default: the first installed")
    verifying.add_argument(
        "--build-opt", action="append", metavar="OPT", help="a word added to the build command (repeatable)"
    )
    verifying.add_argument("--timeout", type=float, default=600.0, help="seconds per build and per run (default 600)")
    verifying.add_argument("--keep-images", action="store_true", help="keep the two images (and their layer cache)")
    verifying.add_argument("--format", choices=["text", "json"], default="text", help="the report's format")
    split.set_defaults(run=_split_command)


def _add_serve(commands: _Commands) -> None:
    serve = _command(
        commands,
        "serve",
        "run the language server (stdio by default)",
        "dockerfile-stages serve            # what editors start\ndockerfile-stages serve --tcp 127.0.0.1:2087",
    )
    serve.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP address instead of stdio")
    serve.set_defaults(run=_serve_command)


def _add_completion(commands: _Commands) -> None:
    completion = _command(
        commands,
        "completion",
        "print the shell completion script for bash, zsh or fish",
        "dockerfile-stages completion bash > ~/.local/share/bash-completion/completions/dockerfile-stages\n"
        "dockerfile-stages completion fish > ~/.config/fish/completions/dockerfile-stages.fish",
    )
    completion.add_argument("shell", choices=["bash", "zsh", "fish"])
    completion.set_defaults(run=_completion_command)


_COMMANDS: dict[str, Callable[[_Commands], None]] = {
    "parse": _add_parse,
    "check": _add_check,
    "size": _add_size,
    "split": _add_split,
    "serve": _add_serve,
    "completion": _add_completion,
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with ``only`` one command's (``main`` builds just the command it runs:
    building every command's options is about 10 ms of a cold ``check``, mostly argparse's gettext
    lookups)."""
    import argparse  # here: `serve`, what editors start, builds no parser

    parser = argparse.ArgumentParser(
        prog="dockerfile-stages",
        description="Language server and checks for multi-stage Dockerfiles.",
        epilog="Run 'dockerfile-stages COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, add in _COMMANDS.items():
        if only is None or name == only:
            add(commands)
    return parser


def _command_named(arguments: list[str]) -> str | None:
    """The command the arguments run, when the parser needs only that one (not for shell completion)."""
    if arguments and arguments[0] in _COMMANDS and "_ARGCOMPLETE" not in os.environ:
        return arguments[0]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    lean_msgspec.install()  # before anything imports msgspec (a library importing the package is untouched)
    for stream in (sys.stdout, sys.stderr):  # text read from bytes that are not UTF-8 still prints
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments in SERVE_STDIO and "_ARGCOMPLETE" not in os.environ:
        return _serve(None)  # what editors start, at every start: no parser to build
    try:
        return _main(arguments)
    finally:
        if argv is None:  # the program's own run ends here: the objects it made need no last collection
            import gc

            gc.freeze()  # (Python collects all of them at exit: ~7 of the ~35 ms of a cold check)


def _main(arguments: list[str]) -> int:
    args = quick_check_args(arguments) if "_ARGCOMPLETE" not in os.environ else None
    if args is None:
        parser = build_parser(_command_named(arguments))
        if "_ARGCOMPLETE" in os.environ:  # asked by the shell's completion script: answers, then exits
            import argcomplete

            argcomplete.autocomplete(parser)
        args = parser.parse_args(arguments)
    try:
        return int(args.run(args))
    except InputError as err:
        print(f"dockerfile-stages: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


# ``check``'s options as ``_add_check`` declares them, for ``quick_check_args`` (tests/cli/test_quick_args.py
# holds the two to the same options, defaults and answers).
_CHECK_FLAGS = {"--list-rules": "list_rules", "--fix": "fix", "--write": "write", "--no-cache": "no_cache"}
_CHECK_VALUES = {"--format": "format", "--severity": "severity", "--jobs": "jobs", "--explain": "explain"}
_CHECK_VALUES |= {"--cache-dir": "cache_dir"}
_CHECK_LISTS = {"--select": "select", "--ignore": "ignore", "--target": "target"}
_CHECK_FORMATS = ("text", "json", "sarif")
_CHECK_DEFAULTS: dict[str, Any] = {"format": "text", "severity": "warning", "list_rules": False, "fix": False}
_CHECK_DEFAULTS |= {"write": False, "no_cache": False, "select": None, "ignore": None, "target": None}
_CHECK_DEFAULTS |= {"jobs": None, "explain": None, "cache_dir": None}


def quick_check_args(arguments: Sequence[str]) -> Any:
    """The namespace argparse gives for ``check`` arguments spelt out in full (``--jobs 2``,
    ``--format=json``, paths in one run), without importing argparse or building its parser (about
    3 ms of a cold ``check``: the import with gettext and locale, the options, their help); None for
    anything else (``--help``, a prefix, an error, another command), which argparse answers."""
    if not arguments or arguments[0] != "check":
        return None
    from types import SimpleNamespace

    found: dict[str, Any] = {"command": "check", "paths": [], **_CHECK_DEFAULTS}
    paths_ended = False  # argparse takes the paths at their first run; paths after an option are an error
    words = iter(arguments[1:])
    for word in words:
        if word == "-" or not word.startswith("-"):
            if paths_ended:
                return None
            found["paths"].append(word)
            continue
        if found["paths"]:
            paths_ended = True
        name, equals, value = word.partition("=")
        if name in _CHECK_FLAGS and not equals:
            found[_CHECK_FLAGS[name]] = True
            continue
        if name not in _CHECK_VALUES and name not in _CHECK_LISTS:
            return None
        if not equals:
            value = next(words, "-")
            if value.startswith("-"):  # argparse decides (a negative number, a missing value)
                return None
        if name == "--format" and value not in _CHECK_FORMATS:
            return None
        if name == "--jobs":
            try:
                found["jobs"] = int(value)
            except ValueError:
                return None
        elif name in _CHECK_VALUES:
            found[_CHECK_VALUES[name]] = value
        else:
            dest = _CHECK_LISTS[name]
            found[dest] = [*(found[dest] or []), value]
    return SimpleNamespace(**found, run=_check_command)
