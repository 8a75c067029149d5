"""``check`` over the shared corpus: time, findings per rule, and the reviewed precision.

    python benchmarks/corpus_check.py [--corpus ../shared/corpus] [--runs 3]

Times the rules over every corpus file (median of ``--runs``, in process, parse and model included)
and one ``dockerfile-stages check`` of the whole corpus directory as a user runs it; then, per rule,
the findings and their verdicts from ``tests/rules/corpus_findings.tsv`` (the reviewed, pinned list):
``true`` (the file has the problem), ``buildkit`` (BuildKit reports the same; a test fragment or
meant by the author), ``false`` (a false finding).
"""

from __future__ import annotations

import argparse
import collections
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import RULES_BY_ID, run_rules
from dockerfile_stages.syntax import Document

ROOT = Path(__file__).resolve().parent.parent
PINNED = ROOT / "tests" / "rules" / "corpus_findings.tsv"


def _check_all(files: list[Path]) -> int:
    count = 0
    for path in files:
        document = Document(path.read_bytes().decode("utf-8", errors="surrogateescape"), encoding="utf-32")
        count += len(run_rules(document, build_model(document)))
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted((Path(args.corpus) / "files").glob("*.Dockerfile"))
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        found = _check_all(files)
        times.append(time.perf_counter() - started)
    print(
        f"rules over {len(files)} files: median {statistics.median(times):.2f} s of {args.runs} runs, {found} findings"
    )
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "dockerfile_stages",
        "check",
        "--no-cache",  # timed: every file analysed
        "--severity",
        "hint",
        str(Path(args.corpus) / "files"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    print(
        f"`check --severity hint` of the corpus directory: {time.perf_counter() - started:.2f} s "
        f"(exit {result.returncode}; {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ''})"
    )
    with PINNED.open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    verdicts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for row in rows:
        verdicts[row["rule"]][row["verdict"]] += 1
    print("\n| rule | name | findings | true | as BuildKit | false | precision |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    total: collections.Counter[str] = collections.Counter()
    for rule in sorted(verdicts):
        counts = verdicts[rule]
        total.update(counts)
        n = sum(counts.values())
        precision = (counts["true"] + counts["buildkit"]) / n
        print(
            f"| {rule} | {RULES_BY_ID[rule].name} | {n} | {counts['true']} | {counts['buildkit']} | "
            f"{counts['false']} | {precision:.0%} |"
        )
    n = sum(total.values())
    print(
        f"| all | | {n} | {total['true']} | {total['buildkit']} | {total['false']} | "
        f"{(total['true'] + total['buildkit']) / n:.1%} |"
    )


if __name__ == "__main__":
    main()
