"""Definition, references, highlight, rename, symbols, folding and hover, end to end."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from .conftest import URI, change, doc_id, open_doc, pos

DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG GO=1.21
FROM golang:${GO} AS builder
RUN go build -o /app

FROM builder AS tested
RUN --mount=type=cache,target=/c,from=builder go test ./...

FROM scratch
COPY --from=builder /app /app
COPY <<EOF /etc/motd
hello
EOF
"""
BUILDER_DECL = types.Range(start=pos(2, 21), end=pos(2, 28))


async def test_definition_from_each_kind_of_reference(client: LanguageClient) -> None:
    open_doc(client, DOCKERFILE)
    for line, col in ((5, 6), (6, 40), (9, 15)):
        result = await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc_id(), position=pos(line, col))
        )
        assert isinstance(result, types.Location), (line, col)
        assert result.range == BUILDER_DECL


async def test_references_with_and_without_declaration(client: LanguageClient) -> None:
    open_doc(client, DOCKERFILE)
    for include in (True, False):
        result = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc_id(),
                position=pos(9, 14),
                context=types.ReferenceContext(include_declaration=include),
            )
        )
        assert result is not None
        assert sorted(loc.range.start.line for loc in result) == ([2] if include else []) + [5, 6, 9]


async def test_highlight_marks_declaration_as_write(client: LanguageClient) -> None:
    open_doc(client, DOCKERFILE)
    result = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=doc_id(), position=pos(2, 23))
    )
    assert result is not None
    kinds = {h.range.start.line: h.kind for h in result}
    assert kinds == {
        2: types.DocumentHighlightKind.Write,
        5: types.DocumentHighlightKind.Read,
        6: types.DocumentHighlightKind.Read,
        9: types.DocumentHighlightKind.Read,
    }


async def test_rename_rewrites_declaration_and_every_reference(client: LanguageClient) -> None:
    open_doc(client, DOCKERFILE)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc_id(), position=pos(9, 14))
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder) and prepared.placeholder == "builder"
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(), position=pos(9, 14), new_name="compile")
    )
    assert edit is not None and edit.changes is not None
    edits = edit.changes[URI]
    assert sorted((e.range.start.line, e.range.start.character) for e in edits) == [(2, 21), (5, 5), (6, 38), (9, 12)]
    assert {e.new_text for e in edits} == {"compile"}


@pytest.mark.parametrize(
    ("new_name", "message"),
    [("tested", "already named"), ("9lives", "not a valid stage name"), ("scratch", "reserved")],
)
async def test_rename_refuses_bad_names(client: LanguageClient, new_name: str, message: str) -> None:
    open_doc(client, DOCKERFILE)
    with pytest.raises(JsonRpcException, match=message):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc_id(), position=pos(2, 22), new_name=new_name)
        )


async def test_prepare_rename_is_null_where_nothing_can_be_renamed(client: LanguageClient) -> None:
    open_doc(client, DOCKERFILE)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc_id(), position=pos(3, 2))
    )
    assert prepared is None


async def test_symbols_are_a_hierarchy(client: LanguageClient) -> None:
    open_doc(client, DOCKERFILE)
    result = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc_id()))
    assert result is not None
    top = [(s.name, s.kind) for s in result if isinstance(s, types.DocumentSymbol)]
    assert top == [
        ("GO", types.SymbolKind.Variable),
        ("builder", types.SymbolKind.Class),
        ("tested", types.SymbolKind.Class),
        ("stage 2", types.SymbolKind.Class),
    ]
    final = result[-1]
    assert isinstance(final, types.DocumentSymbol) and final.children is not None
    assert [child.name for child in final.children] == ["COPY", "COPY"]
    assert final.range.end.line == 12


async def test_folding_ranges(client: LanguageClient) -> None:
    open_doc(client, DOCKERFILE + "# one\n# two\n# three\nRUN a \\\n  b\n")
    result = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc_id()))
    assert result is not None
    folds = {(f.start_line, f.end_line, f.kind) for f in result}
    assert (2, 3, types.FoldingRangeKind.Region) in folds  # stage
    assert (10, 12, types.FoldingRangeKind.Region) in folds  # heredoc
    assert (13, 15, types.FoldingRangeKind.Comment) in folds  # comment block
    assert (16, 17, types.FoldingRangeKind.Region) in folds  # continuation


async def test_hover_on_reference_shows_the_stage(client: LanguageClient) -> None:
    open_doc(client, DOCKERFILE)
    result = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(), position=pos(9, 16)))
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    assert "stage `builder` (index 0)" in result.contents.value
    assert "`FROM golang:${GO}` at line 3" in result.contents.value
    assert "golang:1.21" in result.contents.value  # the ARG expanded
    assert result.range == types.Range(start=pos(9, 12), end=pos(9, 19))


async def test_navigation_follows_edits(client: LanguageClient) -> None:
    open_doc(client, DOCKERFILE)
    change(client, 0, 0, 0, 0, "# a new first line\n", version=2)  # everything moves down one line
    result = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc_id(), position=pos(10, 15))
    )
    assert isinstance(result, types.Location)
    assert result.range.start == pos(3, 21)
