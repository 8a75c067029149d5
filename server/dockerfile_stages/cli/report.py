"""``check``'s output from plain rows: text, JSON, SARIF and the summary line.

Light on purpose (no msgspec, model, rules or parser): a run answered from the results cache
(``workspace/check_cache.py``) formats what it read with this same code, so a cached run prints what
a fresh one prints, byte for byte. ``cli/check.py`` turns findings into these rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from dockerfile_stages.cli.style import PLAIN, Paint, Tone

SARIF_LEVELS = {4: "error", 3: "warning", 2: "note", 1: "note"}  # by Severity's value
SEVERITY_TONES = {4: Tone.ERROR, 3: Tone.WARNING, 2: Tone.INFO, 1: Tone.HINT}


class Row(NamedTuple):
    """One finding as every format shows it (lines and columns from 1)."""

    severity: int  # rules.Severity's value: HINT 1 .. ERROR 4
    label: str  # its name: "error", "warning", ...
    rule: str
    name: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    fixes: tuple[str, ...]  # the titles of its fixes


class Report(NamedTuple):
    """The rows of one file, as shown (the path as the user named it or as the walk found it)."""

    path: str
    rows: Sequence[Row]


class SarifRules(NamedTuple):
    """The SARIF driver's rule table, and each rule's position in it."""

    rules: list[dict[str, Any]]
    positions: dict[str, int]


def format_text(reports: Sequence[Report], threshold: int, paint: Paint = PLAIN) -> str:
    lines = [
        paint(f"{report.path}:{row.line}:{row.column}:", Tone.PATH)
        + f" {paint(row.label, SEVERITY_TONES[row.severity])}"
        + f" {paint(row.rule, Tone.RULE)} {row.message}"
        for report in reports
        for row in report.rows
        if row.severity >= threshold
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def summary(reports: Sequence[Report], threshold: int) -> str:
    """One line for stderr: ``3 findings in 2 files``, ``no findings in 12 files``."""
    counts = [sum(1 for row in report.rows if row.severity >= threshold) for report in reports]
    found, files = sum(counts), sum(1 for count in counts if count)
    checked = len(reports)
    if not found:
        return f"no findings in {checked} {_plural(checked, 'file')}"
    return f"{found} {_plural(found, 'finding')} in {files} {_plural(files, 'file')}"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def any_reaches(reports: Sequence[Report], threshold: int) -> bool:
    return any(row.severity >= threshold for report in reports for row in report.rows)


def format_json(reports: Sequence[Report], threshold: int) -> str:
    items = [
        {
            "file": report.path,
            "line": row.line,
            "column": row.column,
            "end_line": row.end_line,
            "end_column": row.end_column,
            "severity": row.label,
            "rule": row.rule,
            "name": row.name,
            "message": row.message,
            "fixes": list(row.fixes),
        }
        for report in reports
        for row in report.rows
        if row.severity >= threshold
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def format_sarif(
    reports: Sequence[Report], threshold: int, base: Path, version: str, rules: Callable[[], SarifRules]
) -> str:
    """``rules``: the driver's rule table (built from the rules, or read from the cache)."""
    table = rules()
    sarif_results: list[dict[str, Any]] = []
    for report in reports:
        location = _artifact_location(report.path, base)
        for row in report.rows:
            if row.severity < threshold:
                continue
            sarif_results.append(
                {
                    "ruleId": row.rule,
                    "ruleIndex": table.positions[row.rule],
                    "level": SARIF_LEVELS[row.severity],
                    "message": {"text": row.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": location,
                                "region": {
                                    "startLine": row.line,
                                    "startColumn": row.column,
                                    "endLine": row.end_line,
                                    "endColumn": row.end_column,
                                },
                            }
                        }
                    ],
                }
            )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "dockerfile-stages", "version": version, "rules": table.rules}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base.resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _artifact_location(path: str, base: Path) -> dict[str, str]:
    """A path under the base directory as a URI relative to %SRCROOT%; any other as an absolute file URI
    (which must not name a base, SARIF 2.1.0 section 3.4.4)."""
    resolved = Path(path).resolve()
    try:
        return {"uri": resolved.relative_to(base.resolve()).as_posix(), "uriBaseId": "%SRCROOT%"}
    except ValueError:
        return {"uri": resolved.as_uri()}
