"""textDocument/documentLink in a Dockerfile: images to their registry pages, the # syntax=
frontend. (One handler serves the method: ``workspace_files`` answers for build files and asks
this module for Dockerfiles.) Plain JSON, the shape of lsprotocol's ``DocumentLink``: a file of
thousands of stages has as many links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import JsonList
from dockerfile_stages.lsp.ranges_json import ClientRanges, Json

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def dockerfile_links(server: StagesServer, uri: str, tooltips: bool) -> JsonList:
    analysis = server.session.analysis(uri)
    return JsonList() if analysis is None else links(analysis, tooltips)


def links(analysis: Analysis, tooltips: bool) -> JsonList:
    ranges = ClientRanges(analysis.document)
    found = JsonList()
    for link in analysis.document_links():
        item: Json = {"range": ranges.range(link.span), "target": link.target}
        if tooltips:
            item["tooltip"] = link.tooltip
        found.append(item)
    return found
