"""textDocument/codeLens: each stage's role and weight above its FROM, and what multi-stage saves.
(Plain JSON, the shape of lsprotocol's ``CodeLens``: a file of thousands of stages has as many lenses.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis, Lens
from dockerfile_stages.lsp.convert import JsonList
from dockerfile_stages.lsp.handlers import AsyncDocumentRequest, wait_briefly
from dockerfile_stages.lsp.memory import collector_paused
from dockerfile_stages.lsp.ranges_json import ClientRanges

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def lenses(analysis: Analysis, found: list[Lens]) -> JsonList:
    """A lens without a command to run: editors show the title as information."""
    ranges = ClientRanges(analysis.document)
    return JsonList(
        {"range": ranges.range(lens.span), "command": {"title": lens.title, "command": ""}} for lens in found
    )


def register(server: StagesServer) -> None:
    @AsyncDocumentRequest(
        server, types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False), empty=[]
    )
    async def code_lens(analysis: Analysis, params: types.CodeLensParams) -> JsonList:
        # a build context not measured yet (the first request) is worth the hover's short wait
        waits = analysis.code_lens_waits()
        await wait_briefly(waits.pending, server.session.settings.sizes_hover_wait_ms / 1000)
        with collector_paused():  # an answer's JSON forms no cycles (lsp/memory.py)
            return lenses(analysis, analysis.code_lenses(waits.estimates))
