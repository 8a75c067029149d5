"""textDocument/codeLens: each stage's role and weight above its FROM, and what multi-stage saves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import lsp_range
from dockerfile_stages.lsp.handlers import AsyncDocumentRequest, wait_briefly

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @AsyncDocumentRequest(
        server, types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False), empty=[]
    )
    async def code_lens(analysis: Analysis, params: types.CodeLensParams) -> list[types.CodeLens]:
        # a build context not measured yet (the first request) is worth the hover's short wait
        await wait_briefly(analysis.code_lens_waits(), server.session.settings.sizes_hover_wait_ms / 1000)
        # A lens without a command to run: editors show the title as information.
        return [
            types.CodeLens(range=lsp_range(analysis.document, lens.span), command=types.Command(lens.title, ""))
            for lens in analysis.code_lenses()
        ]
