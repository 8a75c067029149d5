"""The split code action through the server: offered as a refactoring and as the DS111 quick fix."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import SERVER, URI, at, code_actions, diagnostics_for, open_doc, pos, start

SINGLE = 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server\nCMD ["/app/server"]\n'


async def test_split_offered_and_applies(client: LanguageClient) -> None:
    open_doc(client, SINGLE)
    diagnostics = await diagnostics_for(client, where=lambda d: any(x.code == "DS111" for x in d))
    toolchain = [d for d in diagnostics if d.code == "DS111"]
    actions = await code_actions(client, at(3, 0), toolchain)
    splits = [a for a in actions if a.title.startswith("Split into builder")]
    kinds = {a.kind for a in splits}
    assert kinds == {types.CodeActionKind.RefactorRewrite, types.CodeActionKind.QuickFix}
    quick = next(a for a in splits if a.kind == types.CodeActionKind.QuickFix)
    assert quick.diagnostics and quick.diagnostics[0].code == "DS111"
    # distroless is not in the snapshot: the title names the runner instead of guessing a size
    assert quick.title.endswith("(runner: gcr.io/distroless/static-debian12)")
    assert quick.edit is not None and quick.edit.changes is not None
    (edit,) = quick.edit.changes[URI]
    assert edit.range == types.Range(start=pos(0, 0), end=pos(4, len('CMD ["/app/server"]')))
    assert edit.new_text.startswith("FROM golang:1.22 AS builder\n")
    assert "FROM gcr.io/distroless/static-debian12\n" in edit.new_text


async def test_not_offered_on_a_runtime_image(client: LanguageClient) -> None:
    open_doc(client, "FROM alpine:3.19\nRUN apk add curl\n")
    actions = await code_actions(client, at(1, 0))
    assert not [a for a in actions if a.title.startswith("Split")]


async def test_title_has_sizes_when_the_snapshot_knows_both(client: LanguageClient) -> None:
    open_doc(
        client,
        'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
    )
    titles = [a.title for a in await code_actions(client, at(0, 0))]
    assert any(
        t.startswith("Split into builder and runner stages: final image about ") and "instead of" in t for t in titles
    ), titles


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def own_runners(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await start(
        lsp_client,
        options={"split": {"runners": {"go": "registry.example.com/base/static:1"}}, "sizes": {"online": False}},
    )
    yield
    await lsp_client.shutdown_session()


async def test_runner_images_from_settings(own_runners: LanguageClient) -> None:
    client = own_runners
    open_doc(client, SINGLE)
    split = next(a for a in await code_actions(client, at(0, 0)) if a.title.startswith("Split"))
    assert split.edit is not None and split.edit.changes is not None
    assert "FROM registry.example.com/base/static:1\n" in split.edit.changes[URI][0].new_text
