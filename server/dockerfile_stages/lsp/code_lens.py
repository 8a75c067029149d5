"""textDocument/codeLens: each stage's role and weight above its FROM, and what multi-stage saves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.sizes import lens_title, summary_title
from dockerfile_stages.lsp.convert import lsp_range
from dockerfile_stages.lsp.sizes import current_estimates
from dockerfile_stages.sizes.estimate import compare
from dockerfile_stages.syntax.nodes import Pos, Span

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    def code_lens(params: types.CodeLensParams) -> list[types.CodeLens]:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return []
        document = opened.document
        estimates = current_estimates(server, opened)
        lenses = []
        comparison = compare(estimates)
        if comparison is not None:
            top = Span(Pos(0, 0), Pos(0, 0))
            lenses.append(_lens(lsp_range(document, top), summary_title(comparison)))
        for estimate in estimates:
            lenses.append(_lens(lsp_range(document, estimate.stage.keyword_span), lens_title(estimate)))
        return lenses


def _lens(where: types.Range, title: str) -> types.CodeLens:
    # A lens without a command to run: editors show the title as information.
    return types.CodeLens(range=where, command=types.Command(title=title, command=""))
