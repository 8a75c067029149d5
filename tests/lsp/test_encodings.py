"""positionEncoding negotiation: a client that asks for UTF-8 (or UTF-32) gets columns in those units."""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import SERVER, doc_id, open_doc, pos

LINE = "RUN --mount=type=cache,id=日本🐳,from= make"


async def _complete(client: LanguageClient, encoding: str) -> types.CompletionList:
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                general=types.GeneralClientCapabilities(position_encodings=[encoding])
            ),
            initialization_options={"sizes": {"online": False}},
        )
    )
    assert result.capabilities.position_encoding == encoding
    open_doc(client, f"FROM alpine AS builder\nFROM alpine\n{LINE}\n")
    prefix = LINE[: LINE.index("from=") + len("from=")]
    units = {"utf-8": len(prefix.encode()), "utf-32": len(prefix)}[encoding]
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(), position=pos(2, units))
    )
    assert isinstance(completion, types.CompletionList)
    edit = completion.items[0].text_edit
    assert isinstance(edit, types.TextEdit) and edit.range.start.character == units
    return completion


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def bare(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    yield
    await lsp_client.shutdown_session()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-32"])
async def test_negotiated_encoding(bare: LanguageClient, encoding: str) -> None:
    completion = await _complete(bare, encoding)
    assert [item.label for item in completion.items] == ["builder"]
