"""The server object, its protocol and start-up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Generator
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from dockerfile_stages import __version__
from dockerfile_stages.lsp.config import Settings
from dockerfile_stages.lsp.store import DocumentStore

log = logging.getLogger(__name__)


class StagesProtocol(LanguageServerProtocol):
    """Keeps documents in our own incremental store instead of pygls's whole-text workspace copy."""

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


class StagesServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "dockerfile-stages",
            __version__,
            protocol_cls=StagesProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.documents = DocumentStore()
        self.settings = Settings()
        self.client_supports_pull = False
        self.pulled_uris: set[str] = set()  # documents whose diagnostics the client pulls
        self.diagnostic_timers: dict[str, asyncio.TimerHandle] = {}

    @property
    def encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return str(getattr(encoding, "value", encoding) or "utf-16")

    def pushes_diagnostics(self, uri: str) -> bool:
        """Push unless told to pull, or (in "auto") once the client has pulled for this document."""
        mode = self.settings.diagnostics_mode
        return mode == "push" or (mode == "auto" and uri not in self.pulled_uris)

    def warn(self, message: str) -> None:
        log.warning(message)
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))


def build_server() -> StagesServer:
    from dockerfile_stages.lsp import (
        code_actions,
        completion,
        configuration,
        definition,
        diagnostics,
        folding,
        highlight,
        hover,
        references,
        rename,
        symbols,
        sync,
    )

    server = StagesServer()
    for feature in (
        configuration,
        sync,
        diagnostics,
        completion,
        definition,
        references,
        highlight,
        rename,
        symbols,
        folding,
        hover,
        code_actions,
    ):
        feature.register(server)
    return server


def run(tcp: str | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="dockerfile-stages: %(levelname)s %(message)s")
    server = build_server()
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
