"""The server as a subprocess over stdio, driven by pytest-lsp."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER = [sys.executable, "-m", "dockerfile_stages", "serve"]
URI = "file:///work/project/Dockerfile"


def capabilities(pull: bool = False) -> types.ClientCapabilities:
    text = types.TextDocumentClientCapabilities(
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
        diagnostic=types.DiagnosticClientCapabilities() if pull else None,
    )
    return types.ClientCapabilities(text_document=text)


async def start(lsp_client: LanguageClient, options: dict[str, Any] | None = None, pull: bool = False) -> None:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(pull),
            initialization_options=options or {"diagnostics": {"delayMs": 50}, "sizes": {"online": False}},
        )
    )


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await start(lsp_client)
    yield
    await lsp_client.shutdown_session()


def open_doc(client: LanguageClient, text: str, uri: str = URI) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=text)
        )
    )


def change(
    client: LanguageClient, line: int, char: int, end_line: int, end_char: int, text: str, version: int, uri: str = URI
) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=char),
                        end=types.Position(line=end_line, character=end_char),
                    ),
                    text=text,
                )
            ],
        )
    )


def record_publishes(client: LanguageClient) -> list[types.PublishDiagnosticsParams]:
    """Every publishDiagnostics the client receives from now on, in order."""
    features = client.protocol.fm.features
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]
    seen: list[types.PublishDiagnosticsParams] = []

    def recording(params: types.PublishDiagnosticsParams) -> Any:
        seen.append(params)
        return original(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = recording
    return seen


async def wait_until(predicate: Callable[[], bool], timeout: float = 10, what: str = "condition") -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def diagnostics_for(
    client: LanguageClient,
    uri: str = URI,
    where: Callable[[Sequence[types.Diagnostic]], bool] = lambda d: True,
    timeout: float = 10,
) -> Sequence[types.Diagnostic]:
    """Diagnostics for ``uri`` once some have arrived that satisfy ``where`` (within ``timeout`` s)."""
    await wait_until(
        lambda: uri in client.diagnostics and where(client.diagnostics[uri]),
        timeout=timeout,
        what=f"diagnostics for {uri}",
    )
    return client.diagnostics[uri]


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


async def code_actions(
    client: LanguageClient, where: types.Range, diagnostics: Sequence[types.Diagnostic] = ()
) -> list[types.CodeAction]:
    """The code actions the server offers for ``where`` in the default document."""
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(), range=where, context=types.CodeActionContext(diagnostics=list(diagnostics))
        )
    )
    assert result is not None
    return [action for action in result if isinstance(action, types.CodeAction)]


def at(line: int, character: int) -> types.Range:
    """An empty range: a cursor."""
    return types.Range(start=pos(line, character), end=pos(line, character))


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def doc_id(uri: str = URI) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)
