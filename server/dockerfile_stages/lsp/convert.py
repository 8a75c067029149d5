"""Our positions (line, code-point column) to LSP's, in the negotiated encoding, and back."""

from __future__ import annotations

from lsprotocol import types

from dockerfile_stages.rules.base import Edit, Severity
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span

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
