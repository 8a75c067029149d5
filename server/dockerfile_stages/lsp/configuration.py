"""initialize and workspace/didChangeConfiguration: read settings into the typed model."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.lsp.diagnostics import refresh_all
from dockerfile_stages.lsp.session import ClientCapabilities

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    session = server.session

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        session.capabilities = ClientCapabilities.of(params.capabilities)
        session.settings, problems = session.settings.updated(params.initialization_options)
        for problem in problems:
            server.warn(f"initializationOptions: {problem}")
        server.main_loop = asyncio.get_event_loop()
        server.lookup_progress.enabled = session.capabilities.work_done_progress
        server.restart_sizes()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        session.settings, problems = session.settings.updated(params.settings)
        for problem in problems:
            server.warn(f"settings: {problem}")
        for opened in session.documents.all():
            opened.platform = session.settings.platform
        server.restart_sizes()
        refresh_all(server)
        server.refresh_lenses()  # their sizes may come from elsewhere now (e.g. trust was granted)
