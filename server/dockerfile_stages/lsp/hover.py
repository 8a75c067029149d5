"""textDocument/hover: a stage reference shows the stage it names; an image shows what it weighs."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.hover import hover
from dockerfile_stages.ide.sizes import image_at, image_hover, stage_estimate_lines
from dockerfile_stages.ide.syntax_hover import hover_syntax
from dockerfile_stages.lsp import workspace_files
from dockerfile_stages.lsp.convert import cursor, lsp_range
from dockerfile_stages.lsp.sizes import current_estimates

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(params: types.HoverParams) -> types.Hover | None:
        if workspace_files.is_build_uri(params.text_document.uri):
            return workspace_files.hover(server, params.text_document.uri, params.position)
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return None
        line, col = cursor(opened.document, params.position)
        model = opened.model
        document = opened.document
        syntax = hover_syntax(document, line, col, lambda: opened.variables)
        at = image_at(model, line, col)
        if syntax is not None and at is None:
            return _markdown(syntax.markdown, lsp_range(document, syntax.span))
        if at is not None:
            figure = server.sizes.known(at.image, at.platform)
            pending = server.sizes.pending(at.image, at.platform)
            if pending is not None:
                try:
                    wait = server.settings.sizes_hover_wait_ms / 1000
                    figure = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(pending)), wait)
                except Exception:  # slow (timeout) or failed: answer with what is known
                    figure = server.sizes.known(at.image, at.platform)
            card = image_hover(at, figure)
            if syntax is not None:  # a variable in the image: its value beside the image card
                return _markdown(syntax.markdown + "\n\n---\n\n" + card, lsp_range(document, syntax.span))
            return _markdown(card, lsp_range(opened.document, at.span))
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
