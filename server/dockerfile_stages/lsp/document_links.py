"""textDocument/documentLink in a Dockerfile: images to their registry pages, the # syntax=
frontend. (One handler serves the method: ``workspace_files`` answers for build files and asks
this module for Dockerfiles.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.lsp.convert import lsp_range

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def dockerfile_links(server: StagesServer, uri: str, tooltips: bool) -> list[types.DocumentLink]:
    analysis = server.session.analysis(uri)
    if analysis is None:
        return []
    return [
        types.DocumentLink(
            range=lsp_range(analysis.document, link.span),
            target=link.target,
            tooltip=link.tooltip if tooltips else None,
        )
        for link in analysis.document_links()
    ]
