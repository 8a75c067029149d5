"""Every finding over the shared corpus, reviewed and pinned: a change that adds or loses one fails.

``corpus_findings.tsv`` holds one reviewed finding a row: file, line, rule, verdict and a note.
Verdicts: ``true`` (the file has the problem), ``buildkit`` (BuildKit reports the same, though the
file's author may have meant it: a parser test case, a fragment without FROM), ``false`` (a false
finding, kept here so it is counted, with its cause in the note). After changing a rule, run

    PYTHONPATH=server python -m tests.rules.test_corpus_findings

to rewrite the file: reviewed rows keep their verdict, new rows come out as ``unreviewed``, which the
test refuses until someone has looked at them.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import run_rules
from dockerfile_stages.sizes.snapshot import snapshot_images
from dockerfile_stages.syntax import Document

from ..conftest import corpus_names, corpus_text, needs_corpus

PINNED = Path(__file__).with_name("corpus_findings.tsv")
VERDICTS = ("true", "buildkit", "false")
Key = tuple[str, int, str]


def current_findings() -> set[Key]:
    found: set[Key] = set()
    for name in corpus_names():
        document = Document(corpus_text(name), encoding="utf-32")
        for finding in run_rules(document, build_model(document), images=snapshot_images()):
            found.add((name, finding.span.start.line + 1, finding.rule))
    return found


def pinned() -> dict[Key, tuple[str, str]]:
    if not PINNED.exists():
        return {}
    with PINNED.open(newline="") as handle:
        return {
            (row["file"], int(row["line"]), row["rule"]): (row["verdict"], row["note"])
            for row in csv.DictReader(handle, delimiter="\t")
        }


@needs_corpus
def test_corpus_findings_are_the_reviewed_ones() -> None:
    reviewed = pinned()
    found = current_findings()
    added = sorted(found - set(reviewed))
    lost = sorted(set(reviewed) - found)
    assert not added, f"{len(added)} new findings to review (first: {added[:5]}); see this module's docstring"
    assert not lost, f"{len(lost)} reviewed findings are gone (first: {lost[:5]})"
    unreviewed = [key for key, (verdict, _) in reviewed.items() if verdict not in VERDICTS]
    assert not unreviewed, f"{len(unreviewed)} findings not reviewed yet (first: {unreviewed[:5]})"


def write() -> None:
    reviewed = pinned()
    rows = sorted(current_findings())
    with PINNED.open("w", newline="") as handle:
        out = csv.writer(handle, delimiter="\t", lineterminator="\n")
        out.writerow(["file", "line", "rule", "verdict", "note"])
        for key in rows:
            verdict, note = reviewed.get(key, ("unreviewed", ""))
            out.writerow([*key, verdict, note])
    print(f"{len(rows)} findings written to {PINNED}", file=sys.stderr)


if __name__ == "__main__":
    write()
