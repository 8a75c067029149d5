"""A pytest-lsp session for the size tests: a client that counts the server's code-lens refreshes."""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient


async def start_session(client: LanguageClient, options: dict[str, Any]) -> None:
    """Initialize with code-lens refresh and work-done progress; ``client.lens_refreshes`` counts refreshes."""
    client.lens_refreshes = 0  # type: ignore[attr-defined]

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def refresh(params: None) -> None:
        client.lens_refreshes += 1  # type: ignore[attr-defined]

    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            code_lens=types.CodeLensWorkspaceClientCapabilities(refresh_support=True)
        ),
        window=types.WindowClientCapabilities(work_done_progress=True),
    )
    await client.initialize_session(types.InitializeParams(capabilities=capabilities, initialization_options=options))
