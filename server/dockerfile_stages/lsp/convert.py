"""Our positions (line, code-point column) to LSP's, in the negotiated encoding, and back."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from dockerfile_stages.rules import RULES_BY_ID
from dockerfile_stages.rules.base import Edit, Finding, Severity
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span


class JsonResult(dict[str, Any]):
    """A response result that is already JSON-shaped (sent as it is, skipping cattrs)."""


SOURCE = "dockerfile-stages"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def position(document: Document, pos: Pos) -> types.Position:
    line = max(0, min(pos.line, document.line_count - 1))
    col = min(pos.col, len(document.line(line)))
    return types.Position(line=line, character=document.to_character(line, col))


def lsp_range(document: Document, span: Span) -> types.Range:
    return types.Range(start=position(document, span.start), end=position(document, span.end))


def cursor(document: Document, pos: types.Position) -> tuple[int, int]:
    """A client position to (line, code-point column), clamped to the document."""
    return document.to_index(pos.line, pos.character)


def text_edit(document: Document, edit: Edit) -> types.TextEdit:
    return types.TextEdit(range=lsp_range(document, edit.span), new_text=edit.text)


def to_diagnostic(uri: str, document: Document, finding: Finding) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=lsp_range(document, span)), message=message
        )
        for span, message in finding.related
    ]
    return types.Diagnostic(
        range=lsp_range(document, finding.span),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.rule,
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if finding.unnecessary else None,
        related_information=related or None,
        data={"rule": RULES_BY_ID[finding.rule].name},
    )
