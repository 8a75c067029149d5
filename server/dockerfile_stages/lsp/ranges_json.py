"""Our spans as LSP ranges in plain JSON, for answers of thousands of items.

One ``ClientRanges`` serves one answer: it looks each line's length (and whether its columns need
converting at all) up once, and gives a span met again the range it built the first time, so
20,000 findings on 6,666 lines cost 6,666 line lookups rather than 80,000 position conversions.
It imports no lsprotocol: ``lsp/bootstrap.py`` publishes the first diagnostics through it.
"""

from __future__ import annotations

from typing import Any

from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span

Json = dict[str, Any]
_CONVERTED = -1  # a line whose columns go through the document's unit table (not ASCII)


class ClientRanges:
    __slots__ = ("_document", "_last", "_lengths", "_ranges")

    def __init__(self, document: Document) -> None:
        self._document = document
        self._last = document.line_count - 1
        self._lengths: dict[int, int] = {}  # line -> its length where columns are the client's, else _CONVERTED
        self._ranges: dict[Span, Json] = {}

    def point(self, line: int, col: int) -> tuple[int, int]:
        """A position clamped to the document, as (line, character in the negotiated encoding)."""
        if line > self._last:
            line = self._last
        if line < 0:
            line = 0
        length = self._lengths.get(line)
        if length is None:
            document = self._document
            same = document.encoding == "utf-32" or document.is_ascii(line)
            length = self._lengths[line] = document.line_length(line) if same else _CONVERTED
        if length == _CONVERTED:
            document = self._document
            return line, document.to_character(line, min(col, document.line_length(line)))
        return line, col if 0 <= col <= length else (0 if col < 0 else length)

    def position(self, pos: Pos) -> Json:
        line, character = self.point(pos[0], pos[1])
        return {"line": line, "character": character}

    def range(self, span: Span) -> Json:
        """The span as an LSP ``Range``; the same object for the same span (never mutate it)."""
        found = self._ranges.get(span)
        if found is None:
            (start_line, start_col), (end_line, end_col) = span
            start_line, start_char = self.point(start_line, start_col)
            end_line, end_char = self.point(end_line, end_col)
            found = self._ranges[span] = {
                "start": {"line": start_line, "character": start_char},
                "end": {"line": end_line, "character": end_char},
            }
        return found
