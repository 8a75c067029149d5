"""textDocument/hover: syntax docs, a stage reference's stage, an image's weight (and a build file's target)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import cursor, lsp_range
from dockerfile_stages.lsp.handlers import AsyncDocumentRequest, wait_briefly

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    def in_build_file(params: types.HoverParams) -> types.Hover | None:
        return workspace_files.hover(server, params.text_document.uri, params.position)

    @AsyncDocumentRequest(server, types.TEXT_DOCUMENT_HOVER, empty=None, build_file=in_build_file)
    async def on_hover(analysis: Analysis, params: types.HoverParams) -> types.Hover | None:
        line, col = cursor(analysis.document, params.position)
        # A lookup or build-context walk already running may finish within the wait: then the
        # hover shows its figure; otherwise it shows what is known and the lenses refresh later.
        await wait_briefly(analysis.hover_waits(line, col), server.session.settings.sizes_hover_wait_ms / 1000)
        found = analysis.hover(line, col)
        if found is None:
            return None
        contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value=found.markdown)
        return types.Hover(contents=contents, range=lsp_range(analysis.document, found.span))
