"""textDocument/formatting, rangeFormatting and onTypeFormatting (a newline after the escape)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.formatting import FormatOptions, KeywordCase, format_edits, format_on_type
from dockerfile_stages.lsp.convert import cursor, text_edit

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def options(server: StagesServer) -> FormatOptions:
    settings = server.settings
    indent = " " * settings.format_indent if settings.format_indent else "\t"
    return FormatOptions(indent=indent, keyword_case=KeywordCase(settings.format_keyword_case))


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        opened = server.documents.get(params.text_document.uri)
        if opened is None or not server.settings.format_enabled:
            return None
        return [text_edit(opened.document, edit) for edit in format_edits(opened.document, options(server))]

    @server.feature(types.TEXT_DOCUMENT_RANGE_FORMATTING)
    def range_formatting(params: types.DocumentRangeFormattingParams) -> list[types.TextEdit] | None:
        opened = server.documents.get(params.text_document.uri)
        if opened is None or not server.settings.format_enabled:
            return None
        document = opened.document
        first, _ = cursor(document, params.range.start)
        last, last_col = cursor(document, params.range.end)
        if last > first and last_col == 0 and params.range.end.character == 0:
            last -= 1  # a selection of whole lines ends at the start of the next one
        edits = format_edits(document, options(server), first, last)
        return [text_edit(document, edit) for edit in edits]

    @server.feature(
        types.TEXT_DOCUMENT_ON_TYPE_FORMATTING,
        types.DocumentOnTypeFormattingOptions(first_trigger_character="\n"),
    )
    def on_type(params: types.DocumentOnTypeFormattingParams) -> list[types.TextEdit] | None:
        opened = server.documents.get(params.text_document.uri)
        if opened is None or not server.settings.format_enabled or params.ch != "\n":
            return None
        document = opened.document
        line, _ = cursor(document, params.position)
        return [text_edit(document, edit) for edit in format_on_type(document, line, options(server))]
