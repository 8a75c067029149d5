"""Completion of stage names, end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from ..conftest import cursor
from .conftest import SERVER, URI, capabilities, change, doc_id, open_doc, pos

DOCKERFILE = """\
ARG GO=1.21
FROM golang:${GO} AS builder
RUN go build -o /app

FROM alpine:3.19
RUN echo unnamed

FROM node:20 AS web
COPY --from=| /app /app

FROM scratch AS final
"""


async def complete_at(client: LanguageClient, fixture: str) -> tuple[types.CompletionList, int, int]:
    text, line, col = cursor(fixture)
    open_doc(client, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(), position=pos(line, col))
    )
    assert isinstance(result, types.CompletionList)
    return result, line, col


async def test_copy_from_offers_earlier_stages_only(client: LanguageClient) -> None:
    result, line, col = await complete_at(client, DOCKERFILE)
    labels = [item.label for item in result.items]
    assert labels == ["builder", "1"]  # not "web" (the current stage), not "final" (later)
    builder = result.items[0]
    assert builder.detail == "stage 0: FROM golang:${GO} (line 2)"
    assert builder.text_edit is not None and builder.text_edit.range.start == pos(line, col)


async def test_partial_word_filters_and_is_replaced_whole(client: LanguageClient) -> None:
    fixture = DOCKERFILE.replace("COPY --from=|", "COPY --from=bu|ild")
    result, line, col = await complete_at(client, fixture)
    assert [item.label for item in result.items] == ["builder"]
    edit = result.items[0].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.range == types.Range(start=pos(line, col - 2), end=pos(line, col + 3))
    assert edit.new_text == "builder"


async def test_mount_from_in_any_position(client: LanguageClient) -> None:
    for mount in ("type=cache,from=|", "from=|,target=/x", "type=bind,source=/x,from=b|,target=/y"):
        fixture = DOCKERFILE.replace("COPY --from=| /app /app", f"RUN --mount={mount} make")
        result, _, _ = await complete_at(client, fixture)
        assert "builder" in [item.label for item in result.items], mount


async def test_from_offers_named_earlier_stages(client: LanguageClient) -> None:
    fixture = DOCKERFILE.replace("COPY --from=|", "COPY --from=builder").replace(
        "FROM scratch AS final", "FROM b| AS final"
    )
    result, _, _ = await complete_at(client, fixture)
    assert [item.label for item in result.items if item.kind == types.CompletionItemKind.Reference] == ["builder"]


async def test_utf16_columns_after_an_emoji(client: LanguageClient) -> None:
    text = "FROM alpine AS builder\nFROM alpine\nRUN --mount=type=cache,id=🐳,from= make\n"
    open_doc(client, text)
    column = len("RUN --mount=type=cache,id=🐳,from=") + 1  # the whale is two UTF-16 units
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(), position=pos(2, column))
    )
    assert isinstance(result, types.CompletionList)
    assert [item.label for item in result.items] == ["builder"]
    edit = result.items[0].text_edit
    assert isinstance(edit, types.TextEdit) and edit.range.start.character == column


async def test_completion_sees_incremental_edits(client: LanguageClient) -> None:
    open_doc(client, "FROM golang:1.21 AS builder\nFROM scratch\nCOPY --from= /a /a\n")
    # the user inserts a new stage between the two, keystroke by keystroke
    new_stage = "FROM alpine AS assets\n"
    for offset, ch in enumerate(new_stage):
        change(client, 1, offset, 1, offset, ch, version=offset + 2)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(URI), position=pos(3, len("COPY --from=")))
    )
    assert isinstance(result, types.CompletionList)
    assert [item.label for item in result.items] == ["builder", "assets"]


async def test_nothing_outside_stage_slots(client: LanguageClient) -> None:
    result, _, _ = await complete_at(client, "FROM alpine AS a\nRUN echo |\n")
    assert list(result.items) == []


async def test_target_in_a_documented_build_command(client: LanguageClient) -> None:
    fixture = "# build the tests only: docker build --target te| .\nFROM alpine:3.19 AS test\nFROM alpine:3.19 AS app\n"
    result, line, col = await complete_at(client, fixture)
    assert [item.label for item in result.items] == ["test"]
    edit = result.items[0].text_edit
    assert isinstance(edit, types.TextEdit) and edit.range.start == pos(line, col - 2)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def defaults_client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """A client that accepts a range shared by the items of a list (LSP 3.17 ``itemDefaults``)."""
    caps = capabilities()
    assert caps.text_document is not None
    caps.text_document.completion = types.CompletionClientCapabilities(
        completion_item=types.ClientCompletionItemOptions(documentation_format=[types.MarkupKind.Markdown]),
        completion_list=types.CompletionListCapabilities(item_defaults=["editRange"]),
    )
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=caps, initialization_options={"sizes": {"online": False}})
    )
    yield
    await lsp_client.shutdown_session()


async def test_items_share_the_range_where_the_client_accepts_it(
    client: LanguageClient, defaults_client: LanguageClient
) -> None:
    fixture = "FROM alpine\nCOPY --ch| a b\n"
    shared, line, col = await complete_at(defaults_client, fixture)
    plain, _, _ = await complete_at(client, fixture)
    word = types.Range(start=pos(line, col - 4), end=pos(line, col))  # "--ch" is replaced whole
    assert shared.item_defaults is not None and shared.item_defaults.edit_range == word
    chmod = next(item for item in shared.items if item.label == "--chmod")
    assert (chmod.text_edit, chmod.text_edit_text) == (None, "--chmod=")
    assert plain.item_defaults is None
    edit = next(item.text_edit for item in plain.items if item.label == "--chmod")
    assert isinstance(edit, types.TextEdit) and (edit.range, edit.new_text) == (word, "--chmod=")
