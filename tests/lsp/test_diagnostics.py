"""Diagnostics pushed after open and after edits (debounced), pulled on request, and quick fixes."""

from __future__ import annotations

import asyncio

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import (
    SERVER,
    URI,
    change,
    code_actions,
    codes,
    diagnostics_for,
    doc_id,
    open_doc,
    pos,
    record_publishes,
    start,
    wait_until,
)

BROKEN = (
    "FROM golang:1.21 AS builder\nRUN CGO_ENABLED=0 go build -o /app\nFROM scratch\nCOPY --from=buidler /app /app\n"
)


async def test_pushed_after_open_with_fix(client: LanguageClient) -> None:
    open_doc(client, BROKEN)
    diagnostics = await diagnostics_for(client, where=lambda d: bool(d))
    unknown = next(d for d in diagnostics if d.code == "DS100")
    assert unknown.severity == types.DiagnosticSeverity.Warning
    assert unknown.range == types.Range(start=pos(3, 12), end=pos(3, 19))
    assert "Did you mean 'builder'?" in unknown.message
    actions = await code_actions(client, unknown.range, [unknown])
    fix = next(a for a in actions if a.title == "Change to 'builder'")
    assert fix.edit is not None and fix.edit.changes is not None
    assert [e.new_text for e in fix.edit.changes[URI]] == ["builder"]


async def test_parse_errors_are_diagnostics(client: LanguageClient) -> None:
    open_doc(client, "FROM alpine\nENV\nRUN <<EOF\nnever closed\n")
    diagnostics = await diagnostics_for(client, where=lambda d: bool(d))
    assert "DS001" in codes(diagnostics)
    assert any("unterminated heredoc" in d.message for d in diagnostics)


async def test_debounced_burst_costs_one_analysis(client: LanguageClient) -> None:
    # a delay long enough that a slow machine cannot space the burst's keystrokes past it
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"diagnostics": {"delayMs": 300}})
    )
    published = record_publishes(client)
    open_doc(client, "FROM golang:1.21 AS builder\nFROM scratch\nCOPY --from= /app /app\n")
    await wait_until(lambda: len(published) == 1, what="the publish after didOpen")
    for offset, ch in enumerate("buidler"):
        change(client, 2, 12 + offset, 2, 12 + offset, ch, version=offset + 2)
    await wait_until(lambda: len(published) >= 2, what="a publish after the burst")
    await asyncio.sleep(0.8)  # well past the delay: no further publishes may come
    assert len(published) == 2
    assert published[-1].version == 8
    assert codes(published[-1].diagnostics) == ["DS110", "DS100"]  # builder unused, and the typo


async def test_fix_then_edit_clears_the_diagnostic(client: LanguageClient) -> None:
    open_doc(client, BROKEN)
    await diagnostics_for(client, where=lambda d: "DS100" in codes(d))
    change(client, 3, 12, 3, 19, "builder", version=2)
    await diagnostics_for(client, where=lambda d: "DS100" not in codes(d))


async def test_ignore_comment_and_check_directive_suppress(client: LanguageClient) -> None:
    text = (
        "# check=skip=DS116\nFROM alpine\n# dockerfile-stages: ignore=DS100\n"
        "COPY --from=nope /a /a\nCOPY --from=nada /b /b\n"
    )
    open_doc(client, text)
    diagnostics = await diagnostics_for(client, where=lambda d: bool(d))
    assert [(d.code, d.range.start.line) for d in diagnostics] == [("DS100", 4)]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def pull_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await start(lsp_client, pull=True)
    yield
    await lsp_client.shutdown_session()


async def test_pull_diagnostics(pull_client: LanguageClient) -> None:
    client = pull_client
    open_doc(client, BROKEN)
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc_id()))
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert codes(report.items) == ["DS110", "DS100"]
    # once the client pulls, pushes stop (an empty push clears anything pushed before)
    await diagnostics_for(client, where=lambda d: len(d) == 0)
    change(client, 3, 12, 3, 19, "builder", version=2)
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc_id()))
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport) and list(report.items) == []


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def quiet_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await start(
        lsp_client,
        options={"dockerfileStages": {"diagnostics": {"ignore": ["DS100"], "delayMs": 0}, "sizes": {"online": False}}},
    )
    yield
    await lsp_client.shutdown_session()


async def test_configuration_from_initialization_and_changes(quiet_client: LanguageClient) -> None:
    client = quiet_client
    published = record_publishes(client)
    open_doc(client, BROKEN)
    await wait_until(lambda: len(published) == 1, what="first publish")
    assert codes(published[0].diagnostics) == ["DS110"]
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"dockerfileStages": {"diagnostics": {"ignore": []}}})
    )
    await wait_until(lambda: len(published) == 2, what="publish after configuration change")
    assert codes(published[1].diagnostics) == ["DS110", "DS100"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def silent_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await start(lsp_client, options={"diagnostics": {"enable": False}, "sizes": {"online": False}})
    yield
    await lsp_client.shutdown_session()


async def test_quick_fixes_still_offered_with_diagnostics_off(silent_client: LanguageClient) -> None:
    client = silent_client
    open_doc(client, BROKEN)
    actions = await code_actions(client, types.Range(start=pos(3, 12), end=pos(3, 19)))
    assert "Change to 'builder'" in [a.title for a in actions]


async def test_problems_past_the_cap_are_counted_in_one_note(client: LanguageClient) -> None:
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"diagnostics": {"maxProblems": 2}})
    )
    open_doc(client, "FROM a AS b\n" * 6)  # 6 stages named b: 16 findings
    diagnostics = await diagnostics_for(client, where=lambda d: bool(d))
    assert len(diagnostics) == 3
    note = diagnostics[-1]
    assert note.severity == types.DiagnosticSeverity.Information
    assert note.message.startswith("14 more problems are not shown: the 2 most severe are.")
