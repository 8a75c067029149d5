"""Our positions (line, code-point column) to LSP's, in the negotiated encoding, and back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lsprotocol import types

from dockerfile_stages.rules import RULES_BY_ID
from dockerfile_stages.rules.base import Edit, Finding, Severity
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span


class JsonResult(dict[str, Any]):
    """A response result that is already JSON-shaped (sent as it is, skipping cattrs).

    ``encoded`` members are JSON text serialised earlier (a long item list, kept while nothing in
    it changes) and go into the answer as they are, so a big answer is serialised once.
    """

    def __init__(self, encoded: Mapping[str, str] | None = None, /, **members: Any) -> None:
        super().__init__(**members)
        self.encoded = dict(encoded or {})

    def response(self, request_id: int | str) -> bytes:
        """The whole JSON-RPC response body (ASCII: the header counts bytes)."""
        parts = [f"{json.dumps(key)}:{json.dumps(value)}" for key, value in self.items()]
        parts += [f"{json.dumps(key)}:{text}" for key, text in self.encoded.items()]
        result = "{" + ",".join(parts) + "}"
        return f'{{"jsonrpc":"2.0","id":{json.dumps(request_id)},"result":{result}}}'.encode()


SOURCE = "dockerfile-stages"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def position(document: Document, pos: Pos) -> types.Position:
    line, character = _clamped(document, pos)
    return types.Position(line=line, character=character)


def _clamped(document: Document, pos: Pos) -> tuple[int, int]:
    """(line, character in the client's units), inside the document."""
    line = max(0, min(pos.line, document.line_count - 1))
    col = min(pos.col, len(document.line(line)))
    return line, document.to_character(line, col)


def lsp_range(document: Document, span: Span) -> types.Range:
    return types.Range(start=position(document, span.start), end=position(document, span.end))


def json_range(document: Document, span: Span) -> dict[str, Any]:
    """``lsp_range`` as JSON, for answers that skip cattrs."""
    return {"start": _json_position(document, span.start), "end": _json_position(document, span.end)}


def _json_position(document: Document, pos: Pos) -> dict[str, int]:
    line, character = _clamped(document, pos)
    return {"line": line, "character": character}


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
