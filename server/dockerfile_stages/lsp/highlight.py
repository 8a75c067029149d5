"""textDocument/documentHighlight: the stage under the cursor, declaration and uses (plain JSON,
the shape of lsprotocol's ``DocumentHighlight``: a stage may be named thousands of times)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import JsonList, cursor
from dockerfile_stages.lsp.handlers import DocumentRequest
from dockerfile_stages.lsp.ranges_json import ClientRanges

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_WRITE, _READ = types.DocumentHighlightKind.Write.value, types.DocumentHighlightKind.Read.value


def highlights(analysis: Analysis, line: int, col: int) -> JsonList:
    ranges = ClientRanges(analysis.document)
    return JsonList(
        {"range": ranges.range(o.span), "kind": _WRITE if o.is_declaration else _READ}
        for o in analysis.highlights(line, col)
    )


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, empty=[])
    def highlight(analysis: Analysis, params: types.DocumentHighlightParams) -> JsonList:
        return highlights(analysis, *cursor(analysis.document, params.position))
