"""Our positions (line, code-point column) to LSP's, in the negotiated encoding, and back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from cattrs import Converter
from lsprotocol import types
from lsprotocol.converters import get_converter

from dockerfile_stages.lsp import diagnostic_json
from dockerfile_stages.rules.base import Edit, Finding
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


def position(document: Document, pos: Pos) -> types.Position:
    line, character = diagnostic_json.client_position(document, pos)
    return types.Position(line=line, character=character)


def lsp_range(document: Document, span: Span) -> types.Range:
    return types.Range(start=position(document, span.start), end=position(document, span.end))


json_range = diagnostic_json.json_range  # ``lsp_range`` as JSON, for answers that skip cattrs


def cursor(document: Document, pos: types.Position) -> tuple[int, int]:
    """A client position to (line, code-point column), clamped to the document."""
    return document.to_index(pos.line, pos.character)


def text_edit(document: Document, edit: Edit) -> types.TextEdit:
    return types.TextEdit(range=lsp_range(document, edit.span), new_text=edit.text)


def to_diagnostic(uri: str, document: Document, finding: Finding) -> types.Diagnostic:
    """The diagnostic ``lsp/diagnostic_json.py`` publishes, as lsprotocol's type (for code actions)."""
    diagnostic: types.Diagnostic = _converter().structure(
        diagnostic_json.diagnostic(uri, document, finding), types.Diagnostic
    )
    return diagnostic


@cache
def _converter() -> Converter:
    return get_converter()
