"""Sizes in the editor: hover on images and stages, code lenses, refresh when a lookup finishes."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from ..lsp.conftest import SERVER, doc_id, pos
from .lens_client import start_session
from .registry_fixture import Registry

URI_TEMPLATE = "file://{}/Dockerfile"


def _open(client: LanguageClient, uri: str, text: str) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=text)
        )
    )


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def offline(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await start_session(lsp_client, {"sizes": {"online": False}})
    yield
    await lsp_client.shutdown_session()


async def test_offline_hover_and_lenses_from_the_snapshot(offline: LanguageClient, tmp_path: Path) -> None:
    client = offline
    (tmp_path / "main.go").write_text("package main\n" * 100)
    (tmp_path / ".dockerignore").write_text("*.log\n")
    (tmp_path / "debug.log").write_text("x" * 5000)
    uri = URI_TEMPLATE.format(tmp_path)
    text = (
        "FROM golang:1.22 AS builder\nCOPY . .\nRUN go build -o /app\n"
        "FROM debian:12-slim\nCOPY --from=builder /app /app\n"
    )
    _open(client, uri, text)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(uri), position=pos(0, 8)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    value = hover.contents.value
    assert "image `golang:1.22`" in value and "download (compressed): 299 MB" in value
    assert "snapshot of 2024-09-05" in value and "estimated" in value
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc_id(uri)))
    assert lenses is not None
    titles = [(lens.range.start.line, lens.command.title) for lens in lenses if lens.command]
    assert titles[0] == (
        0,
        "multi-stage ships about 74.8 MB plus the copied build output, instead of about 791 MB in a single stage",
    )
    assert titles[1][0] == 0 and titles[1][1].startswith("build stage - about 791 MB, not shipped")
    assert titles[2][0] == 3 and titles[2][1].startswith("final image - about 74.8 MB")
    assert "snapshot of 2026-08-04" in titles[2][1]
    stage_hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=pos(4, 15))
    )
    assert stage_hover is not None and isinstance(stage_hover.contents, types.MarkupContent)
    assert "COPY . from the build context: 1.3 kB" in stage_hover.contents.value  # debug.log ignored


@pytest.fixture
def online_options(registry: Registry, tmp_path: Path) -> dict[str, Any]:
    return {
        "sizes": {
            "online": True,
            "useEngine": False,
            "insecureRegistries": [registry.host],
            "cacheDir": str(tmp_path / "cache"),
            "hoverWaitMs": 3000,
        }
    }


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def online(lsp_client: LanguageClient, online_options: dict[str, Any]):  # type: ignore[no-untyped-def]
    await start_session(lsp_client, online_options)
    yield
    await lsp_client.shutdown_session()


async def test_registry_hover_cold_then_warm(online: LanguageClient, registry: Registry, tmp_path: Path) -> None:
    client = online
    totals = registry.index("team/lsp2", "1", {"linux/amd64": [11000, 22000], "linux/arm64": [5000]})
    uri = URI_TEMPLATE.format(tmp_path)
    text = f"FROM --platform=linux/arm64 {registry.host}/team/lsp2:1 AS b\nFROM {registry.host}/team/lsp2:1\n"
    _open(client, uri, text)
    started = time.perf_counter()
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(uri), position=pos(1, 8)))
    cold = time.perf_counter() - started
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert f"download (compressed): {totals['linux/amd64'] / 1000:.1f} kB" in hover.contents.value
    assert "platform: linux/amd64" in hover.contents.value and "source: registry" in hover.contents.value
    arm = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(uri), position=pos(0, 35)))
    assert arm is not None and isinstance(arm.contents, types.MarkupContent)
    assert "download (compressed): 5.0 kB" in arm.contents.value and "linux/arm64" in arm.contents.value
    started = time.perf_counter()
    await client.text_document_hover_async(types.HoverParams(text_document=doc_id(uri), position=pos(1, 8)))
    warm = time.perf_counter() - started
    print(f"hover with a cold cache: {cold * 1000:.1f} ms, warm: {warm * 1000:.1f} ms")
    assert warm < cold


async def test_lenses_say_looking_up_then_refresh(online: LanguageClient, registry: Registry, tmp_path: Path) -> None:
    client = online
    registry.index("team/lens", "1", {"linux/amd64": [30000]})
    uri = URI_TEMPLATE.format(tmp_path)
    _open(client, uri, f"FROM {registry.host}/team/lens:1\n")
    first = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc_id(uri)))
    assert first is not None and first[0].command is not None
    assert "looking up" in first[0].command.title or "30.0 kB" in first[0].command.title
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc_id(uri)))
        assert lenses is not None and lenses[0].command is not None
        if "kB" in lenses[0].command.title:
            break
        assert asyncio.get_running_loop().time() < deadline, lenses[0].command.title
        await asyncio.sleep(0.1)
    assert lenses[0].command.title.startswith("final image - about ")
    await asyncio.sleep(0.2)
    kinds = [getattr(report, "kind", None) for values in client.progress_reports.values() for report in values]
    assert kinds[:1] == ["begin"] and kinds[-1:] == ["end"], kinds
    assert client.lens_refreshes >= 1  # type: ignore[attr-defined]
