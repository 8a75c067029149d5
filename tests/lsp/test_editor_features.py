"""Editor features over the protocol: completion snippets, hover docs, formatting, tokens, links."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from ..conftest import cursor
from .conftest import SERVER, URI, doc_id, open_doc, pos


def _capabilities() -> types.ClientCapabilities:
    completion = types.CompletionClientCapabilities(
        completion_item=types.ClientCompletionItemOptions(snippet_support=True)
    )
    return types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(completion=completion))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=_capabilities(),
            initialization_options={"diagnostics": {"delayMs": 50}, "sizes": {"online": False}},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _complete(client: LanguageClient, fixture: str) -> list[types.CompletionItem]:
    text, line, col = cursor(fixture)
    open_doc(client, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(), position=pos(line, col))
    )
    assert isinstance(result, types.CompletionList)
    return result.items


async def test_empty_line_completes_instruction_snippets(client: LanguageClient) -> None:
    items = await _complete(client, "FROM alpine\n|\n")
    first = next(item for item in items if item.label == "FROM")
    assert (first.insert_text_format, first.text_edit.new_text) == (  # type: ignore[union-attr]
        types.InsertTextFormat.Snippet,
        "FROM ${1:image} AS ${2:name}",
    )


async def test_dollar_completes_variables_with_values(client: LanguageClient) -> None:
    items = await _complete(client, "FROM alpine\nARG VERSION=3\nRUN echo $|\n")
    assert (items[0].label, items[0].detail) == ("VERSION", "`3`")


async def test_hover_on_a_keyword_and_on_a_variable(client: LanguageClient) -> None:
    open_doc(client, "FROM alpine\nARG VERSION=3\nRUN echo $VERSION\n")
    keyword = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(), position=pos(2, 1)))
    variable = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(), position=pos(2, 12)))
    assert keyword is not None and isinstance(keyword.contents, types.MarkupContent)
    assert "https://docs.docker.com/reference/dockerfile/#run" in keyword.contents.value
    assert variable is not None and isinstance(variable.contents, types.MarkupContent)
    assert variable.contents.value.startswith("**$VERSION** = `3`")


async def test_document_formatting(client: LanguageClient) -> None:
    open_doc(client, "FROM alpine\n  run a && \\\nb\n")
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=doc_id(), options=types.FormattingOptions(tab_size=4, insert_spaces=True)
        )
    )
    assert [(e.range.start.line, e.range.start.character, e.range.end.character, e.new_text) for e in edits or []] == [
        (1, 0, 2, ""),
        (1, 2, 5, "RUN"),
        (2, 0, 0, "    "),
    ]


async def test_semantic_tokens_full_delta_and_range(client: LanguageClient) -> None:
    open_doc(client, "FROM alpine AS base\nRUN echo hi\n")
    full = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=doc_id()))
    assert full is not None and list(full.data[:5]) == [0, 0, 4, 0, 0]  # FROM: a keyword at 0:0
    delta = await client.text_document_semantic_tokens_full_delta_async(
        types.SemanticTokensDeltaParams(text_document=doc_id(), previous_result_id=full.result_id or "")
    )
    assert isinstance(delta, types.SemanticTokensDelta) and delta.edits[0].delete_count == 0
    ranged = await client.text_document_semantic_tokens_range_async(
        types.SemanticTokensRangeParams(text_document=doc_id(), range=types.Range(start=pos(1, 0), end=pos(1, 11)))
    )
    assert ranged is not None and list(ranged.data) == [1, 0, 3, 0, 0]  # RUN only


async def test_variable_rename_signature_help_and_links(client: LanguageClient) -> None:
    open_doc(client, "FROM golang:1.22 AS build\nARG VERSION=1\nRUN echo $VERSION\nCOPY --from=build a \n")
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(), position=pos(2, 12), new_name="RELEASE")
    )
    assert edit is not None and edit.changes is not None
    assert [(e.range.start.line, e.new_text) for e in edit.changes[URI]] == [(1, "RELEASE"), (2, "RELEASE")]
    help_ = await client.text_document_signature_help_async(
        types.SignatureHelpParams(text_document=doc_id(), position=pos(3, 20))
    )
    assert help_ is not None and help_.signatures[0].label == "COPY [OPTIONS] <src> ... <dest>"
    assert help_.active_parameter == 1
    links = await client.text_document_document_link_async(types.DocumentLinkParams(text_document=doc_id()))
    assert [link.target for link in links or []] == ["https://hub.docker.com/_/golang"]


async def test_workspace_symbols_and_inlay_hints(client: LanguageClient) -> None:
    open_doc(client, "ARG V=3.20\nFROM alpine:${V} AS base\nFROM scratch AS final\nCOPY --from=0 /a /b\n")
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="ba"))
    assert [(s.name, s.location.range.start.line) for s in found or [] if isinstance(s.location, types.Location)] == [
        ("base", 1)
    ]
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=doc_id(), range=types.Range(start=pos(0, 0), end=pos(4, 0)))
    )
    assert [(h.position.line, h.label) for h in hints or []] == [(1, " = alpine:3.20"), (3, " (base)")]
