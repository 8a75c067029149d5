"""textDocument/inlayHint: resolved FROM images, names of stages given by number (plain JSON, the
shape of lsprotocol's ``InlayHint``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import JsonList, cursor
from dockerfile_stages.lsp.handlers import DocumentRequest
from dockerfile_stages.lsp.ranges_json import ClientRanges

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

_TYPE = types.InlayHintKind.Type.value


def inlay_hints(analysis: Analysis, first: int, last: int) -> JsonList:
    """The hints of lines ``first`` to ``last``."""
    ranges = ClientRanges(analysis.document)
    return JsonList(
        {"position": ranges.position(hint.position), "label": hint.label, "kind": _TYPE, "tooltip": hint.tooltip}
        for hint in analysis.inlay_hints(first, last)
    )


def register(server: StagesServer) -> None:
    @DocumentRequest(server, types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False), empty=[])
    def hints(analysis: Analysis, params: types.InlayHintParams) -> JsonList:
        first, _ = cursor(analysis.document, params.range.start)
        last, _ = cursor(analysis.document, params.range.end)
        return inlay_hints(analysis, first, last)
