"""Findings as LSP diagnostics, in plain JSON: the one conversion for pushed and pulled diagnostics
and for the first diagnostics ``lsp/bootstrap.py`` publishes before lsprotocol is imported.
``lsp/convert.to_diagnostic`` (build files) structures the same JSON into lsprotocol's type."""

from __future__ import annotations

from typing import Any

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.ranges_json import ClientRanges
from dockerfile_stages.lsp.settings_schema import SECTION
from dockerfile_stages.rules import RULES_BY_ID
from dockerfile_stages.rules.base import Finding, Severity
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span

SOURCE = "dockerfile-stages"
PUBLISH_DIAGNOSTICS = "textDocument/publishDiagnostics"
SEVERITIES = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3, Severity.HINT: 4}  # LSP's numbers
INFORMATION = SEVERITIES[Severity.INFO]
UNNECESSARY = 1  # DiagnosticTag.Unnecessary

Json = dict[str, Any]


def client_position(document: Document, pos: Pos) -> tuple[int, int]:
    """A position clamped to the document, as (line, character in the negotiated encoding)."""
    return ClientRanges(document).point(pos.line, pos.col)


def json_range(document: Document, span: Span) -> Json:
    """One span as a range (an answer of many items converts through one ``ClientRanges``)."""
    return ClientRanges(document).range(span)


def diagnostic(uri: str, document: Document, finding: Finding, ranges: ClientRanges | None = None) -> Json:
    """One finding as an LSP ``Diagnostic`` (keys in lsprotocol's order, absent where it leaves them out)."""
    ranges = ranges or ClientRanges(document)
    item: Json = {
        "range": ranges.range(finding.span),
        "message": finding.message,
        "severity": SEVERITIES[finding.severity],
        "code": finding.rule,
        "source": SOURCE,
    }
    if finding.unnecessary:
        item["tags"] = [UNNECESSARY]
    if finding.related:
        item["relatedInformation"] = [
            {"location": {"uri": uri, "range": ranges.range(span)}, "message": message}
            for span, message in finding.related
        ]
    item["data"] = {"rule": RULES_BY_ID[finding.rule].name}
    return item


def diagnostics(uri: str, analysis: Analysis, enabled: bool = True, limit: int = 0) -> list[Json]:
    """The document's findings as diagnostics (none when the user turned diagnostics off); past
    ``limit`` (``diagnostics.maxProblems``, 0: none) the most severe ones and a note on the rest."""
    if not enabled:
        return []
    document = analysis.document
    ranges = ClientRanges(document)
    findings = analysis.findings
    shown = most_severe(findings, limit) if 0 < limit < len(findings) else findings
    items = [diagnostic(uri, document, finding, ranges) for finding in shown]
    if len(shown) < len(findings):
        items.append(_not_shown(len(findings) - len(shown), limit))
    return items


def most_severe(findings: list[Finding], limit: int) -> list[Finding]:
    """The ``limit`` most severe findings (the first of each severity), in document order.

    Severity by severity from the most severe, until ``limit`` are taken: no sort of every finding
    with a key function (20,000 findings on 6,666 stages: 4 ms of each publish)."""
    severities = [finding.severity for finding in findings]
    taken: list[int] = []
    for severity in sorted(set(severities), key=SEVERITIES.__getitem__):
        taken += [index for index, found in enumerate(severities) if found is severity][: limit - len(taken)]
        if len(taken) >= limit:
            break
    taken.sort()
    return [findings[index] for index in taken]


def _not_shown(hidden: int, limit: int) -> Json:
    """The note after a capped list, at the top of the file, where the user looks first."""
    message = (
        f"{hidden:,} more problems are not shown: the {limit:,} most severe are. Raise the setting "
        f"{SECTION}.diagnostics.maxProblems (0 shows all), or run `dockerfile-stages check` on the file."
    )
    start = {"line": 0, "character": 0}
    return {"range": {"start": start, "end": start}, "message": message, "severity": INFORMATION, "source": SOURCE}


def publish_params(uri: str, version: int | None, items: list[Json]) -> Json:
    params: Json = {"uri": uri}
    if version is not None:
        params["version"] = version
    params["diagnostics"] = items
    return params
