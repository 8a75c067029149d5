"""Our positions (line, code-point column) to LSP's, in the negotiated encoding, and back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Protocol

import msgspec
from cattrs import Converter
from lsprotocol import types
from lsprotocol.converters import get_converter

from dockerfile_stages.lsp import diagnostic_json
from dockerfile_stages.lsp.ranges_json import ClientRanges
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
        """The whole JSON-RPC response body."""
        if not self.encoded:
            return _response(request_id, encode(dict(self)))
        parts = [encode(key) + b":" + encode(value) for key, value in self.items()]
        parts += [encode(key) + b":" + text.encode() for key, text in self.encoded.items()]
        return _response(request_id, b"{" + b",".join(parts) + b"}")


class JsonList(list[Any]):
    """A response result that is a JSON array already (symbols, lenses, links: thousands of items
    in a large file), sent as it is, skipping cattrs."""

    def response(self, request_id: int | str) -> bytes:
        return _response(request_id, encode(list(self)))


PRE_ENCODED = (JsonResult, JsonList)  # the results ``StagesProtocol`` sends without pygls's serialiser


def encode(value: Any) -> bytes:
    """JSON as UTF-8 bytes; msgspec's encoder is about ten times faster than ``json`` on large
    answers. A lone surrogate (text that was never valid UTF-8) is escaped by ``json`` instead."""
    try:
        return _ENCODER.encode(value)
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":")).encode()


def _response(request_id: int | str, result: bytes) -> bytes:
    return b'{"jsonrpc":"2.0","id":' + encode(request_id) + b',"result":' + result + b"}"


_ENCODER = msgspec.json.Encoder()


def position(document: Document, pos: Pos) -> types.Position:
    line, character = diagnostic_json.client_position(document, pos)
    return types.Position(line=line, character=character)


def lsp_range(document: Document, span: Span) -> types.Range:
    return types.Range(start=position(document, span.start), end=position(document, span.end))


json_range = diagnostic_json.json_range  # ``lsp_range`` as JSON, for answers that skip cattrs (one range)


def cursor(document: Document, pos: types.Position) -> tuple[int, int]:
    """A client position to (line, code-point column), clamped to the document."""
    return document.to_index(pos.line, pos.character)


def text_edit(document: Document, edit: Edit) -> types.TextEdit:
    return types.TextEdit(range=lsp_range(document, edit.span), new_text=edit.text)


class SpanEdit(Protocol):
    """A replacement of a span (a rule's ``Edit``, a build file's ``FileEdit``)."""

    @property
    def span(self) -> Span: ...

    @property
    def text(self) -> str: ...


def json_edits(document: Document, edits: Iterable[SpanEdit], ranges: ClientRanges | None = None) -> JsonList:
    """Edits as LSP ``TextEdit`` JSON (formatting a large file, renaming a stage named thousands of times);
    ``ranges`` when they join a larger answer."""
    ranges = ranges or ClientRanges(document)
    return JsonList({"range": ranges.range(edit.span), "newText": edit.text} for edit in edits)


def to_diagnostic(uri: str, document: Document, finding: Finding) -> types.Diagnostic:
    """The diagnostic ``lsp/diagnostic_json.py`` publishes, as lsprotocol's type (for code actions)."""
    diagnostic: types.Diagnostic = _converter().structure(
        diagnostic_json.diagnostic(uri, document, finding), types.Diagnostic
    )
    return diagnostic


def unstructure(value: Any) -> Any:
    """lsprotocol objects as JSON (for the few that join a plain-JSON answer)."""
    return _converter().unstructure(value)


@cache
def _converter() -> Converter:
    return get_converter()
