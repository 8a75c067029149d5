"""Completing ``target`` in Compose and Bake files with the stages of the Dockerfile they build."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from ..conftest import cursor
from .conftest import change, doc_id, open_doc, pos

DOCKERFILE = "FROM golang:1.22 AS builder\nFROM alpine:3.19 AS debug\nFROM scratch AS release\n"


async def _complete(client: LanguageClient, uri: str, fixture: str) -> list[str]:
    text, line, col = cursor(fixture)
    open_doc(client, text, uri=uri)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=pos(line, col))
    )
    assert isinstance(result, types.CompletionList)
    return [item.label for item in result.items]


async def test_compose_build_target(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile.prod").write_text(DOCKERFILE)
    compose = (
        "services:\n  api:\n    build:\n      context: ./api\n      dockerfile: Dockerfile.prod\n"
        "      target: |\n    ports: ['8080:8080']\n"
    )
    uri = (tmp_path / "compose.yaml").as_uri()
    assert await _complete(client, uri, compose) == ["builder", "debug", "release"]
    # no Dockerfile diagnostics are published for a Compose file
    assert uri not in client.diagnostics


async def test_bake_target_filters_and_follows_edits(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    bake = 'group "default" {\n  targets = ["app"]\n}\n\ntarget "app" {\n  context = "."\n  target = "de|"\n}\n'
    uri = (tmp_path / "docker-bake.hcl").as_uri()
    assert await _complete(client, uri, bake) == ["debug"]
    change(client, 6, 12, 6, 14, "re", version=2, uri=uri)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=pos(6, 14))
    )
    assert isinstance(result, types.CompletionList)
    assert [item.label for item in result.items] == ["release"]


async def test_open_dockerfile_wins_over_disk(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    open_doc(client, "FROM alpine:3.19 AS edited-in-editor\n", uri=(tmp_path / "Dockerfile").as_uri())
    compose = "services:\n  web:\n    build:\n      context: .\n      target: |\n"
    assert await _complete(client, (tmp_path / "docker-compose.yml").as_uri(), compose) == ["edited-in-editor"]
