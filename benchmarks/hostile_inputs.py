"""The hostile inputs of issue 16 (item 3) and those the analysis fuzzer found since
(``tests/fuzz/hostile.py``), timed before and now: CPU seconds for parse + stage model, all
rules, the slowest single editor request (each feature at a few positions), and the whole input.

    python benchmarks/hostile_inputs.py                        # now, beside the recorded figure
    python benchmarks/hostile_inputs.py --before /tmp/old/server --timeout 60

``--before`` runs the same inputs, in a subprocess each, on another checkout's ``server`` folder
(e.g. ``git worktree add /tmp/old <commit>``), so before and now are measured in one run; an input
still running after ``--timeout`` CPU-seconds there is shown as ``>N``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz.hostile import SHAPES, exercise  # noqa: E402


def measure(index: int) -> dict[str, float]:
    shape = SHAPES[index]
    started = time.process_time()
    worst = exercise(shape.make(shape.size))
    worst["total"] = time.process_time() - started
    return worst


def measure_elsewhere(index: int, server: Path, timeout_s: float) -> str:
    """The total CPU time of ``SHAPES[index]`` on another checkout, as shown."""
    env = {**os.environ, "PYTHONPATH": f"{server}{os.pathsep}{ROOT}"}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (int(timeout_s), int(timeout_s) + 1))

    done = subprocess.run(
        [sys.executable, __file__, "--one", str(index)],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        check=False,
    )
    if done.returncode < 0:  # killed at the CPU limit
        return f">{timeout_s:.0f} s"
    if done.returncode != 0:
        return "fails: " + (done.stderr.strip().splitlines() or ["?"])[-1][:40]
    return f"{json.loads(done.stdout)['total']:.2f} s"


def _slowest_request(figures: dict[str, float]) -> tuple[str, float]:
    requests = {k: v for k, v in figures.items() if k not in ("parse+model", "rules", "total")}
    name = max(requests, key=lambda k: requests[k])
    return name, requests[name]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="another checkout's server folder, measured in the same run")
    parser.add_argument("--timeout", type=float, default=60.0, help="CPU seconds per input for --before")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one)))
        return
    print(f"{'input':<40} {'n':>7} {'before':>40} {'parse':>6} {'rules':>6} {'slowest request':>26} {'total':>6}")
    for index, shape in enumerate(SHAPES):
        before = shape.before
        if args.before is not None:
            before = measure_elsewhere(index, args.before, args.timeout)
        now = measure(index)
        name, slowest = _slowest_request(now)
        print(
            f"{shape.label:<40} {shape.size:>7} {before:>40} {now['parse+model']:>6.2f} {now['rules']:>6.2f} "
            f"{name + f' {slowest:.2f}':>26} {now['total']:>6.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
