"""Size of the automatic split against a hand-written split of the same project (real builds).

Each benchmarks/split_vs_hand/<project>.Dockerfile is a multi-stage Dockerfile written by hand for
tests/realbuild/projects/<project>. For each, the original, `dockerfile-stages split` and the hand
split are built and run; the table gives the three sizes, whether all three print the same, and the
median size reduction of the automatic and of the hand-written splits.

    . ../shared/tools/realbuild/env.sh
    python benchmarks/split_vs_hand.py --engine buildah $(for w in $BUILD_FLAGS; do echo "--build-opt=$w"; done)
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from dockerfile_stages.cli.verify import (
    Engine,
    ImageRun,
    Options,
    build_and_run,
    find_engine,
    remove_images,
    verify,
)
from dockerfile_stages.model import build_model
from dockerfile_stages.refactor.split import SplitPlan, plan_split, split_text
from dockerfile_stages.syntax import Document

ROOT = Path(__file__).resolve().parent.parent
HAND = ROOT / "benchmarks" / "split_vs_hand"
PROJECTS = ROOT / "tests" / "realbuild" / "projects"


def _mb(run: ImageRun) -> str:
    return f"{run.size / 1e6:8.1f}" if run.size else "       -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=[e.value for e in Engine])
    parser.add_argument("--build-opt", action="append", default=[])
    args = parser.parse_args()
    options = Options(Engine(args.engine) if args.engine else None, tuple(args.build_opt), 900.0, keep_images=False)
    engine = find_engine(options.engine)
    auto_reductions: list[float] = []
    hand_reductions: list[float] = []
    print(f"{'project':22} {'single':>8} {'auto':>8} {'hand':>8}  same output (auto, hand)")
    for hand_file in sorted(HAND.glob("*.Dockerfile")):
        name = hand_file.name.removesuffix(".Dockerfile")
        dockerfile = PROJECTS / name / "Dockerfile"
        document = Document(dockerfile.read_text())
        plan = plan_split(document, build_model(document))
        if not isinstance(plan, SplitPlan):
            print(f"{name:22} no split: {plan.reason}")
            continue
        result = verify(dockerfile, split_text(document, plan), options)
        tag = f"localhost/split-vs-hand/{name}"
        hand = build_and_run(engine, hand_file, dockerfile.parent, tag, options)
        remove_images(engine, (tag,))
        original = result.original
        hand_same = hand.built and (hand.exit_status, hand.output) == (original.exit_status, original.output)
        print(f"{name:22} {_mb(original)} {_mb(result.split)} {_mb(hand)}  {result.same}, {hand_same}")
        if original.size and result.split.size and hand.size:
            auto_reductions.append(1 - result.split.size / original.size)
            hand_reductions.append(1 - hand.size / original.size)
    if auto_reductions:
        print(
            f"median size reduction: automatic {statistics.median(auto_reductions) * 100:.1f}%, "
            f"hand-written {statistics.median(hand_reductions) * 100:.1f}% ({len(auto_reductions)} projects)"
        )


if __name__ == "__main__":
    main()
