"""Stages across the workspace over LSP: build files found without being opened, their diagnostics,
references and rename across files (one WorkspaceEdit), definition, hover, links, completion, and
the unused-stage rule following watched-file changes."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import SERVER, codes, diagnostics_for, doc_id, open_doc, pos, wait_until

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "workspace"
DOCKERFILE = FIXTURE / "svc" / "Dockerfile"


def uri(relative: str, root: Path = FIXTURE) -> str:
    return (root / relative).as_uri()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    registrations: list[types.RegistrationParams] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registrations.append(params)

    lsp_client.registrations = registrations  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def scanned(client: LanguageClient, root: Path = FIXTURE) -> None:
    """The start-up scan is over once the fixture's Compose file has its diagnostics."""
    await diagnostics_for(client, uri("compose.yaml", root))


async def start(client: LanguageClient, root: Path = FIXTURE, document_changes: bool = True) -> None:
    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=document_changes),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
        ),
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)
        ),
    )
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="fixture")],
            initialization_options={"diagnostics": {"delayMs": 0}, "sizes": {"online": False}},
        )
    )


def text_at(path: Path, where: types.Range) -> str:
    assert where.start.line == where.end.line
    return path.read_text().split("\n")[where.start.line][where.start.character : where.end.character]


def where_is(path: Path, line_text: str, word: str) -> types.Position:
    """The position of ``word`` on the line that reads ``line_text`` (stripped)."""
    lines = path.read_text().split("\n")
    line = next(index for index, text in enumerate(lines) if text.strip() == line_text)
    return pos(line, lines[line].index(word) + 1)


async def test_build_files_are_checked_without_being_opened(client: LanguageClient) -> None:
    await start(client)
    compose = await diagnostics_for(client, uri("compose.yaml"), lambda d: len(d) == 2)
    assert [(str(d.code), text_at(FIXTURE / "compose.yaml", d.range)) for d in compose] == [
        ("DS150", "tast"),
        ("DS151", "./web"),
    ]
    script = await diagnostics_for(client, uri("scripts/build.sh"))
    assert [(str(d.code), text_at(FIXTURE / "scripts" / "build.sh", d.range)) for d in script] == [("DS150", "releese")]
    registered = client.registrations  # type: ignore[attr-defined]
    assert [r.method for params in registered for r in params.registrations] == ["workspace/didChangeWatchedFiles"]


async def test_quick_fix_in_a_compose_file(client: LanguageClient) -> None:
    await start(client)
    compose_uri = uri("compose.yaml")
    open_doc(client, (FIXTURE / "compose.yaml").read_text(), uri=compose_uri)
    (diagnostic, _) = await diagnostics_for(client, compose_uri, lambda d: len(d) == 2)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(compose_uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert result is not None
    (action,) = [a for a in result if isinstance(a, types.CodeAction)]
    assert action.edit is not None and action.edit.changes is not None
    assert [(e.range, e.new_text) for e in action.edit.changes[compose_uri]] == [(diagnostic.range, "test")]


async def test_references_include_the_build_files(client: LanguageClient) -> None:
    await start(client)
    await scanned(client)
    open_doc(client, DOCKERFILE.read_text(), uri=DOCKERFILE.as_uri())
    await diagnostics_for(client, DOCKERFILE.as_uri())
    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(DOCKERFILE.as_uri()),
            position=where_is(DOCKERFILE, "FROM scratch AS release", "release"),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert found is not None
    places = sorted(
        (Path(location.uri[len("file://") :]).relative_to(FIXTURE).as_posix(), location.range.start.line)
        for location in found
    )
    assert places == [(".github/workflows/build.yml", 10), ("docker-bake.hcl", 6), ("svc/Dockerfile", 13)]
    for location in found:
        assert text_at(Path(location.uri[len("file://") :]), location.range) == "release"


async def test_rename_edits_every_file_in_one_edit(client: LanguageClient) -> None:
    await start(client)
    await scanned(client)
    open_doc(client, DOCKERFILE.read_text(), uri=DOCKERFILE.as_uri())
    await diagnostics_for(client, DOCKERFILE.as_uri())
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=doc_id(DOCKERFILE.as_uri()),
            position=where_is(DOCKERFILE, "FROM builder AS test", "test"),
            new_name="unit",
        )
    )
    assert edit is not None and edit.document_changes is not None and edit.changes is None
    touched: dict[str, list[str]] = {}
    for change in edit.document_changes:
        assert isinstance(change, types.TextDocumentEdit)
        path = Path(change.text_document.uri[len("file://") :])
        assert change.text_document.version == (1 if path == DOCKERFILE else None)
        for text_edit in change.edits:
            assert isinstance(text_edit, types.TextEdit) and text_edit.new_text == "unit"
            touched.setdefault(path.relative_to(FIXTURE).as_posix(), []).append(text_at(path, text_edit.range))
    # the Bake target "test" (a block label, not a --target) is left alone; "tast" is not "test"
    assert touched == {
        "svc/Dockerfile": ["test"],
        "docker-bake.hcl": ["test"],
        "scripts/build.sh": ["test"],
    }
    bake_lines = [
        e.range.start.line
        for c in edit.document_changes
        if isinstance(c, types.TextDocumentEdit) and c.text_document.uri.endswith("docker-bake.hcl")
        for e in c.edits
    ]
    assert bake_lines == [11]


async def test_rename_from_a_build_file_without_document_changes(client: LanguageClient) -> None:
    await start(client, document_changes=False)
    await scanned(client)
    bake = FIXTURE / "docker-bake.hcl"
    open_doc(client, bake.read_text(), uri=bake.as_uri())
    position = where_is(bake, 'target = "release"', "release")
    prepared = None
    for _ in range(100):  # the buffer is read in the background after didOpen
        prepared = await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc_id(bake.as_uri()), position=position)
        )
        if prepared is not None:
            break
        await asyncio.sleep(0.05)
    assert isinstance(prepared, types.PrepareRenamePlaceholder) and prepared.placeholder == "release"
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(bake.as_uri()), position=position, new_name="prod")
    )
    assert edit is not None and edit.changes is not None
    assert sorted(Path(key).name for key in edit.changes) == ["Dockerfile", "build.yml", "docker-bake.hcl"]


async def test_definition_hover_and_link_from_compose(client: LanguageClient) -> None:
    await start(client)
    await scanned(client)
    override = FIXTURE / "compose.override.yaml"
    open_doc(client, override.read_text(), uri=override.as_uri())
    position = where_is(override, "target: debug", "debug")
    found: Any = None
    for _ in range(100):
        found = await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc_id(override.as_uri()), position=position)
        )
        if found:
            break
        await asyncio.sleep(0.05)
    assert isinstance(found, types.Location) and found.uri == DOCKERFILE.as_uri()
    assert text_at(DOCKERFILE, found.range) == "debug"
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(override.as_uri()), position=position)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "alpine:3.19" in hover.contents.value and "pulls in: builder" in hover.contents.value
    links = await client.text_document_document_link_async(
        types.DocumentLinkParams(text_document=doc_id(override.as_uri()))
    )
    assert links is not None
    assert [(link.target, text_at(override, link.range)) for link in links] == [(DOCKERFILE.as_uri(), "Dockerfile")]


async def test_completion_after_target_in_a_makefile(client: LanguageClient) -> None:
    await start(client)
    makefile = FIXTURE / "Makefile"
    open_doc(client, "image:\n\tdocker build --target  -f svc/Dockerfile svc\n", uri=makefile.as_uri())
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(makefile.as_uri()), position=pos(1, 23))
    )
    assert isinstance(result, types.CompletionList)
    assert [item.label for item in result.items] == ["builder", "test", "lint", "debug", "release"]


async def test_unused_stage_follows_watched_files(client: LanguageClient, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    await start(client, root)
    dockerfile = root / "svc" / "Dockerfile"
    open_doc(client, dockerfile.read_text(), uri=dockerfile.as_uri())
    await wait_until(lambda: uri("compose.yaml", root) in client.diagnostics, what="the workspace scan")
    assert "DS110" not in codes(await diagnostics_for(client, dockerfile.as_uri()))
    (root / "Makefile").unlink()  # the only build of "lint"
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri("Makefile", root), type=types.FileChangeType.Deleted)]
        )
    )
    unused = await diagnostics_for(client, dockerfile.as_uri(), lambda d: "DS110" in codes(d))
    assert [d.range.start.line for d in unused if d.code == "DS110"] == [7]
    (root / "Makefile").write_text("image:\n\tdocker build --target lint svc\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri("Makefile", root), type=types.FileChangeType.Created)]
        )
    )
    await diagnostics_for(client, dockerfile.as_uri(), lambda d: "DS110" not in codes(d))
