"""Long fuzz runs with their figures: ``python -m tests.fuzz [analysis|sessions|soak|registry ...]``
from the repository root (``--seed``, ``--scale`` multiply the default sizes)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from ..conftest import CORPUS
from . import analysis, lsp_session, registry_faults, soak

KINDS = ("analysis", "sessions", "soak", "registry")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz")
    parser.add_argument("kinds", nargs="*", choices=KINDS, default=list(KINDS))
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the number of inputs, steps, edits")
    parser.add_argument("--budget", type=float, default=1.0, help="seconds allowed per analysis input")
    parser.add_argument("--lines", type=int, default=10_000, help="length of the soak's file")
    parser.add_argument("--dump", type=Path, help="analysis: write each input over budget to this folder")
    parser.add_argument("--pairs", type=int, default=500, help="open/close pairs after the soak's edits")
    args = parser.parse_args()
    failed = False
    for kind in args.kinds:
        started = time.monotonic()
        if kind == "analysis":
            corpus = CORPUS if CORPUS.is_dir() else None
            figures = asyncio.run(
                analysis.run(args.seed, int(3000 * args.scale), corpus, args.budget, log=print, dump=args.dump)
            )
            print(figures.summary())
            for line in figures.crashes[:20] + figures.over_budget[:40] + figures.over_budget_cpu[:40]:
                print("  ", line[:300])
            failed |= bool(figures.crashes or figures.divergences or figures.over_budget)
        elif kind == "sessions":
            session_figures = lsp_session.run(args.seed, max(1, int(20 * args.scale)), 300)
            print(session_figures.summary())
            for line in session_figures.slow[:10]:
                print("   slow:", line[:400])
            for line in session_figures.internal_errors + session_figures.unanswered + session_figures.deaths:
                print("  ", line[:300])
            failed |= bool(session_figures.internal_errors or session_figures.unanswered or session_figures.deaths)
        elif kind == "soak":
            soak_figures = soak.run(
                int(20000 * args.scale), pairs=args.pairs, lines=args.lines, log=lambda line: print(line, flush=True)
            )
            print(soak_figures.summary())
            failed |= soak_figures.growth_mb >= 2.0
        else:
            with tempfile.TemporaryDirectory() as cache:
                fault_figures = registry_faults.run(args.seed, int(500 * args.scale), Path(cache))
            print(fault_figures.summary(), dict(sorted(fault_figures.by_fault.items())))
            for line in fault_figures.errors[:20]:
                print("  ", line[:300])
            failed |= bool(fault_figures.errors)
        print(f"  ({kind}: {time.monotonic() - started:.0f} s, seed {args.seed})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
