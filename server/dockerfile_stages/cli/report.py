"""``check``'s output (text, JSON, SARIF, the summary line) from plain rows.

Findings come here as ``Row`` tuples of plain values, both those just worked out and those read back
from the results cache (``cli/cache.py``), so that the two print the same bytes. This module imports
neither the rules nor msgspec: a ``check`` answered from the cache loads only this, the cache and the
directory walk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from dockerfile_stages import __version__
from dockerfile_stages.cli.style import PLAIN, Paint, Tone

# rules.base.Severity's values and labels (tests/cli/test_check_cache.py holds them equal)
SEVERITY_LABELS = {1: "hint", 2: "info", 3: "warning", 4: "error"}
SEVERITY_ALIASES = {"information": "info", "warn": "warning", "style": "hint"}
SEVERITY_TONES = {4: Tone.ERROR, 3: Tone.WARNING, 2: Tone.INFO, 1: Tone.HINT}
SARIF_LEVELS = {4: "error", 3: "warning", 2: "note", 1: "note"}


class Row(NamedTuple):
    """One finding as plain values: positions 1-based, as printed."""

    line: int
    column: int
    end_line: int
    end_column: int
    severity: int  # rules.Severity's value
    rule: str
    name: str  # the rule's name
    message: str
    fixes: tuple[str, ...]  # the titles of its fixes


class Checked(NamedTuple):
    """One file's rows (an ``error`` instead when it could not be read; a ``warning`` about how it was read)."""

    path: str
    rows: tuple[Row, ...]
    error: str | None = None
    warning: str | None = None


def parse_severity(text: str) -> int:
    """``--severity``'s value as ``Severity.parse`` reads it; KeyError for any other."""
    label = SEVERITY_ALIASES.get(text.lower(), text.lower())
    for value, known in SEVERITY_LABELS.items():
        if known == label:
            return value
    raise KeyError(text)


def format_text(results: list[Checked], threshold: int, paint: Paint = PLAIN) -> str:
    lines = []
    for result in results:
        for row in result.rows:
            if row.severity >= threshold:
                lines.append(
                    paint(f"{result.path}:{row.line}:{row.column}:", Tone.PATH)
                    + f" {paint(SEVERITY_LABELS[row.severity], SEVERITY_TONES[row.severity])}"
                    + f" {paint(row.rule, Tone.RULE)} {row.message}"
                )
    return "\n".join(lines) + ("\n" if lines else "")


def summary(results: list[Checked], threshold: int) -> str:
    """One line for stderr: ``3 findings in 2 files``, ``no findings in 12 files``."""
    counts = [sum(1 for row in result.rows if row.severity >= threshold) for result in results]
    found, files = sum(counts), sum(1 for count in counts if count)
    checked = len(results)
    if not found:
        return f"no findings in {checked} {_plural(checked, 'file')}"
    return f"{found} {_plural(found, 'finding')} in {files} {_plural(files, 'file')}"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def format_json(results: list[Checked], threshold: int) -> str:
    items = [
        {
            "file": result.path,
            "line": row.line,
            "column": row.column,
            "end_line": row.end_line,
            "end_column": row.end_column,
            "severity": SEVERITY_LABELS[row.severity],
            "rule": row.rule,
            "name": row.name,
            "message": row.message,
            "fixes": list(row.fixes),
        }
        for result in results
        for row in result.rows
        if row.severity >= threshold
    ]
    import json  # (here: text output loads no json)

    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def format_sarif(results: list[Checked], threshold: int, base: Path, rules: list[dict[str, Any]]) -> str:
    """``rules``: every rule described as SARIF's ``reportingDescriptor`` (``check.sarif_rules``), in order."""
    rules_index = {rule["id"]: position for position, rule in enumerate(rules)}
    sarif_results: list[dict[str, Any]] = []
    for result in results:
        location = _artifact_location(result.path, base)
        for row in result.rows:
            if row.severity < threshold:
                continue
            described = {"ruleId": row.rule} | (
                {"ruleIndex": rules_index[row.rule]} if row.rule in rules_index else {}  # (a hand-edited cache)
            )
            sarif_results.append(
                {
                    **described,
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
                "tool": {"driver": {"name": "dockerfile-stages", "version": __version__, "rules": rules}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base.resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }
    import json

    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _artifact_location(path: str, base: Path) -> dict[str, str]:
    """A path under the base directory as a URI relative to %SRCROOT%; any other as an absolute file URI
    (which must not name a base, SARIF 2.1.0 section 3.4.4)."""
    resolved = Path(path).resolve()
    try:
        return {"uri": resolved.relative_to(base.resolve()).as_posix(), "uriBaseId": "%SRCROOT%"}
    except ValueError:
        return {"uri": resolved.as_uri()}
