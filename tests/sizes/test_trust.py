"""Workspace trust: while the editor says the workspace is untrusted, nothing it names is looked up on
the network (a registry on loopback counts every request it gets); once trust is granted, it is."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.sizes.figures import UNTRUSTED_NOTE
from dockerfile_stages.sizes.service import SizeService, SizeSettings

from ..lsp.conftest import SERVER, doc_id, pos
from .lens_client import start_session
from .registry_fixture import CountingProxy, Registry


@pytest.fixture
def proxy(registry: Registry) -> Iterator[CountingProxy]:
    front = CountingProxy(registry)
    yield front
    front.close()


def test_untrusted_service_asks_nothing_but_the_snapshot(
    proxy: CountingProxy, registry: Registry, tmp_path: Path
) -> None:
    registry.index("trust/svc", "1", {"linux/amd64": [4000]})
    image = parse_image_ref(f"{proxy.host}/trust/svc:1")
    assert image is not None
    settings = SizeSettings(cache_dir=tmp_path, docker_config=None, use_engine=True, trusted=False)
    untrusted = SizeService(settings)
    assert untrusted.known(image, "linux/amd64").untrusted and untrusted.pending(image, "linux/amd64") is None
    figure = untrusted.lookup(image, "linux/amd64")
    assert (figure.compressed_bytes, figure.untrusted) == (None, True)
    assert figure.note == f"not in the bundled snapshot; {UNTRUSTED_NOTE}"
    assert untrusted.known_tags(image) is None
    snapshot = untrusted.lookup(parse_image_ref("golang:1.22"), "linux/amd64")  # type: ignore[arg-type]
    assert snapshot.known and snapshot.note == UNTRUSTED_NOTE
    assert proxy.paths == []
    trusted = SizeService(SizeSettings(cache_dir=tmp_path, docker_config=None, use_engine=False, timeout_s=5))
    assert trusted.lookup(image, "linux/amd64").compressed_bytes == 4000
    assert proxy.paths


def _sizes(proxy: CountingProxy, tmp_path: Path) -> dict[str, Any]:
    return {"online": True, "useEngine": False, "cacheDir": str(tmp_path / "cache"), "hoverWaitMs": 5000}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def untrusted(lsp_client: LanguageClient, proxy: CountingProxy, tmp_path: Path):  # type: ignore[no-untyped-def]
    await start_session(
        lsp_client, {"dockerfileStages": {"workspace.trusted": False, "sizes": _sizes(proxy, tmp_path)}}
    )
    yield
    await lsp_client.shutdown_session()


async def _hover(client: LanguageClient, uri: str) -> str:
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc_id(uri), position=pos(1, 8)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value


async def test_untrusted_workspace_reaches_no_registry_until_trusted(
    untrusted: LanguageClient, proxy: CountingProxy, registry: Registry, tmp_path: Path
) -> None:
    client = untrusted
    registry.index("trust/lsp", "1", {"linux/amd64": [12000]})
    uri = f"file://{tmp_path}/Dockerfile"
    text = f"FROM golang:1.22 AS base\nFROM {proxy.host}/trust/lsp:1\n"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=text))
    )
    hover = await _hover(client, uri)
    assert f"note: not in the bundled snapshot; {UNTRUSTED_NOTE}" in hover
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc_id(uri)))
    titles = [lens.command.title for lens in lenses or [] if lens.command]
    assert any("(snapshot of " in title and "workspace not trusted" in title for title in titles), titles
    await asyncio.sleep(1.0)  # a lookup started anyway would have reached the registry by now
    assert proxy.paths == []

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"dockerfileStages": {"workspace.trusted": True}})
    )
    hover = await _hover(client, uri)  # waits (hoverWaitMs) for the lookup trust started
    assert "download (compressed): 12.0 kB" in hover and "source: registry" in hover, hover
    assert UNTRUSTED_NOTE not in hover
    assert any(path.startswith("/v2/trust/lsp/manifests/") for path in proxy.paths), proxy.paths
    assert client.lens_refreshes >= 1  # type: ignore[attr-defined]
