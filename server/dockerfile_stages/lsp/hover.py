"""textDocument/hover: a stage reference shows the stage it names; an image shows what it weighs."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.hover import hover
from dockerfile_stages.ide.sizes import image_at, image_hover, stage_estimate_lines
from dockerfile_stages.lsp.convert import cursor, lsp_range
from dockerfile_stages.lsp.sizes import current_estimates

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(params: types.HoverParams) -> types.Hover | None:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return None
        line, col = cursor(opened.document, params.position)
        model = opened.model
        at = image_at(model, line, col)
        if at is not None:
            figure = server.sizes.known(at.image, at.platform)
            pending = server.sizes.pending(at.image, at.platform)
            if pending is not None:
                try:
                    wait = server.settings.sizes_hover_wait_ms / 1000
                    figure = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(pending)), wait)
                except Exception:  # slow (timeout) or failed: answer with what is known
                    figure = server.sizes.known(at.image, at.platform)
            return _markdown(image_hover(at, figure), lsp_range(opened.document, at.span))
        found = hover(model, line, col)
        if found is None:
            return None
        text = found.markdown
        stage_index = next((s.index for s in model.stages if s.name_span == found.span), None)
        if stage_index is None:
            stage_index = next((r.target for r in model.refs if r.span == found.span), None)
        if stage_index is not None:
            estimate = current_estimates(server, opened)[stage_index]
            text += "\n\n" + "\n".join(stage_estimate_lines(estimate))
        return _markdown(text, lsp_range(opened.document, found.span))


def _markdown(text: str, where: types.Range) -> types.Hover:
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=where)
