"""textDocument/formatting, rangeFormatting and onTypeFormatting (a newline after the escape); the
edits as plain JSON (a large file may need thousands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import JsonList, cursor, json_edits
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    def enabled() -> bool:
        return server.session.settings.format_enabled

    @DocumentRequest(server, types.TEXT_DOCUMENT_FORMATTING, empty=None)
    def formatting(analysis: Analysis, params: types.DocumentFormattingParams) -> JsonList | None:
        if not enabled():
            return None
        return json_edits(analysis.document, analysis.format())

    @DocumentRequest(server, types.TEXT_DOCUMENT_RANGE_FORMATTING, empty=None)
    def range_formatting(analysis: Analysis, params: types.DocumentRangeFormattingParams) -> JsonList | None:
        if not enabled():
            return None
        document = analysis.document
        first, _ = cursor(document, params.range.start)
        last, last_col = cursor(document, params.range.end)
        if last > first and last_col == 0 and params.range.end.character == 0:
            last -= 1  # a selection of whole lines ends at the start of the next one
        return json_edits(document, analysis.format(first, last))

    @DocumentRequest(
        server,
        types.TEXT_DOCUMENT_ON_TYPE_FORMATTING,
        types.DocumentOnTypeFormattingOptions(first_trigger_character="\n"),
        empty=None,
    )
    def on_type(analysis: Analysis, params: types.DocumentOnTypeFormattingParams) -> JsonList | None:
        if not enabled() or params.ch != "\n":
            return None
        line, _ = cursor(analysis.document, params.position)
        return json_edits(analysis.document, analysis.format_on_type(line))
