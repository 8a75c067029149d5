"""initialize and workspace/didChangeConfiguration: read settings into the typed model."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        text_capabilities = params.capabilities.text_document
        server.client_supports_pull = bool(text_capabilities and text_capabilities.diagnostic)
        server.settings, problems = server.settings.updated(params.initialization_options)
        for problem in problems:
            server.warn(f"initializationOptions: {problem}")
        workspace = params.capabilities.workspace
        server.client_refreshes_lenses = bool(workspace and workspace.code_lens and workspace.code_lens.refresh_support)
        server.main_loop = asyncio.get_event_loop()
        window = params.capabilities.window
        server.lookup_progress.enabled = bool(window and window.work_done_progress)
        server.restart_sizes()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        server.settings, problems = server.settings.updated(params.settings)
        for problem in problems:
            server.warn(f"settings: {problem}")
        for opened in server.documents.all():
            opened.platform = server.settings.platform
        server.restart_sizes()
        from dockerfile_stages.lsp.diagnostics import refresh_all

        refresh_all(server)
