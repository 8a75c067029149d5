"""Findings as LSP diagnostics, in plain JSON: the one conversion for pushed and pulled diagnostics
and for the first diagnostics ``lsp/bootstrap.py`` publishes before lsprotocol is imported.
``lsp/convert.to_diagnostic`` (code actions, build files) structures the same JSON into lsprotocol's type."""

from __future__ import annotations

from typing import Any

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.rules import RULES_BY_ID
from dockerfile_stages.rules.base import Finding, Severity
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span

SOURCE = "dockerfile-stages"
PUBLISH_DIAGNOSTICS = "textDocument/publishDiagnostics"
SEVERITIES = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3, Severity.HINT: 4}  # LSP's numbers
UNNECESSARY = 1  # DiagnosticTag.Unnecessary

Json = dict[str, Any]


def client_position(document: Document, pos: Pos) -> tuple[int, int]:
    """A position clamped to the document, as (line, character in the negotiated encoding)."""
    line = max(0, min(pos.line, document.line_count - 1))
    col = min(pos.col, document.line_length(line))  # per position: no copy of a long line
    return line, document.to_character(line, col)


def json_range(document: Document, span: Span) -> Json:
    (start_line, start_char), (end_line, end_char) = (
        client_position(document, span.start),
        client_position(document, span.end),
    )
    return {"start": {"line": start_line, "character": start_char}, "end": {"line": end_line, "character": end_char}}


def diagnostic(uri: str, document: Document, finding: Finding) -> Json:
    """One finding as an LSP ``Diagnostic`` (keys in lsprotocol's order, absent where it leaves them out)."""
    item: Json = {
        "range": json_range(document, finding.span),
        "message": finding.message,
        "severity": SEVERITIES[finding.severity],
        "code": finding.rule,
        "source": SOURCE,
    }
    if finding.unnecessary:
        item["tags"] = [UNNECESSARY]
    if finding.related:
        item["relatedInformation"] = [
            {"location": {"uri": uri, "range": json_range(document, span)}, "message": message}
            for span, message in finding.related
        ]
    item["data"] = {"rule": RULES_BY_ID[finding.rule].name}
    return item


def diagnostics(uri: str, analysis: Analysis, enabled: bool = True) -> list[Json]:
    """The document's findings as diagnostics (none when the user turned diagnostics off)."""
    return [diagnostic(uri, analysis.document, finding) for finding in analysis.findings] if enabled else []


def publish_params(uri: str, version: int | None, items: list[Json]) -> Json:
    params: Json = {"uri": uri}
    if version is not None:
        params["version"] = version
    params["diagnostics"] = items
    return params
