"""The workspace's build files in the server: scanned once at start (off the event loop), kept current
from open buffers and ``workspace/didChangeWatchedFiles``; their diagnostics, links, and the
cross-file parts of definition, references, rename and hover.

Reading files happens in a worker thread (``workspace.build_files``); handlers only look up what is
known and translate positions.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from lsprotocol import types

from dockerfile_stages.ide import workspace_targets
from dockerfile_stages.ide.navigation import RenameError, occurrences
from dockerfile_stages.lsp import ignore_files
from dockerfile_stages.lsp.convert import (
    JsonList,
    JsonResult,
    SpanEdit,
    json_edits,
    lsp_range,
    text_edit,
    to_diagnostic,
)
from dockerfile_stages.lsp.document_links import dockerfile_links
from dockerfile_stages.lsp.uris import is_build_uri as is_build_uri  # also read as workspace_files.is_build_uri
from dockerfile_stages.lsp.uris import path_of as path_of  # also read as workspace_files.path_of
from dockerfile_stages.lsp.uris import uri_of
from dockerfile_stages.model.buildfiles import BuildFileEntry, kind_of
from dockerfile_stages.model.buildfiles.slots import target_slot
from dockerfile_stages.model.stages import Stage, StageModel, build_model
from dockerfile_stages.rules import RULES_BY_ID, Finding, is_selected
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span
from dockerfile_stages.workspace import build_files
from dockerfile_stages.workspace.dockerfiles import is_dockerfile_name
from dockerfile_stages.workspace.files import MAX_DOCKERFILE_BYTES

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer

log = logging.getLogger(__name__)
WATCH_ID = "dockerfile-stages-build-files"
WATCHED_GLOBS = (
    "**/*compose*.{yml,yaml}",
    "**/docker-bake*.{hcl,json}",
    "**/.github/workflows/*.{yml,yaml}",
    "**/.gitlab-ci.{yml,yaml}",
    "**/{Makefile,makefile,GNUmakefile,*.mk}",
    "**/{justfile,Justfile,.justfile,*.just}",
    "**/*.{sh,bash}",
    "**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}",
    "**/.dockerignore",  # what a build context sends
)


class WorkspaceFiles(msgspec.Struct):
    """What the session knows of files it has not opened: build files and the Dockerfiles they build."""

    roots: list[Path] = msgspec.field(default_factory=list)
    index: build_files.BuildFileIndex = msgspec.field(default_factory=build_files.BuildFileIndex)
    disk: dict[Path, Document] = msgspec.field(default_factory=dict)  # text as on disk, for positions
    disk_models: dict[Path, StageModel] = msgspec.field(default_factory=dict)  # Dockerfiles not open
    published: set[str] = msgspec.field(default_factory=set)  # build-file URIs showing diagnostics
    reading: dict[Path, asyncio.Task[None]] = msgspec.field(default_factory=dict)  # the latest read of an open file


class _Read(msgspec.Struct):
    """What a worker thread read: entries, texts and Dockerfile models, applied on the loop."""

    entries: list[BuildFileEntry] = msgspec.field(default_factory=list)
    removed: list[Path] = msgspec.field(default_factory=list)
    documents: dict[Path, Document] = msgspec.field(default_factory=dict)
    models: dict[Path, StageModel] = msgspec.field(default_factory=dict)
    dropped_models: list[Path] = msgspec.field(default_factory=list)
    whole_workspace: bool = False  # a scan: every build file is checked again


# -- reading (worker thread) --------------------------------------------------------------------


def _read(
    paths: Iterable[Path],
    open_texts: dict[Path, str],
    known_models: set[Path],
    root: Path | None,
    platform: str,
    encoding: str,
) -> _Read:
    read = _Read()
    for path in paths:
        text = open_texts.get(path)
        if text is None:
            text = build_files.read_text(path)
            if text is None:
                read.removed.append(path)
                continue
            read.documents[path] = Document(text, encoding)  # type: ignore[arg-type]
        entry = build_files.load(path, text, root)
        if entry is not None:
            read.entries.append(entry)
    wanted = {r.dockerfile for e in read.entries for r in e.builds if r.dockerfile and r.dockerfile_exists}
    for dockerfile in wanted - known_models:  # open ones too: their disk text counts again once closed
        _read_dockerfile(read, dockerfile, platform, encoding)
    return read


def _read_dockerfile(read: _Read, path: Path, platform: str, encoding: str) -> None:
    text = build_files.read_text(path, MAX_DOCKERFILE_BYTES)
    if text is None:
        read.dropped_models.append(path)
        return
    document = Document(text, encoding)  # type: ignore[arg-type]
    read.documents[path] = document
    read.models[path] = build_model(document, platform)


def _read_changes(
    changes: list[tuple[Path, bool]],
    open_texts: dict[Path, str],
    known_models: set[Path],
    root: Path | None,
    platform: str,
    encoding: str,
) -> _Read:
    """Watched-file events: (path, deleted)."""
    build = [path for path, deleted in changes if not deleted and kind_of(path.as_posix())]
    read = _read(build, open_texts, known_models, root, platform, encoding)
    for path, deleted in changes:
        if deleted:
            if kind_of(path.as_posix()):
                read.removed.append(path)
            read.dropped_models.append(path)
        elif is_dockerfile_name(path.name) and path in known_models:
            _read_dockerfile(read, path, platform, encoding)
    return read


# -- applying (event loop) ----------------------------------------------------------------------


def _apply(server: StagesServer, read: _Read) -> None:
    files = server.workspace_files
    if not (read.entries or read.removed or read.documents or read.dropped_models):
        return  # nothing was read (an empty workspace): nothing to check again
    before = {opened.uri: targets_for(server, opened.uri) for opened in server.documents.all()}
    for path in read.removed:
        files.index.remove(path)
        files.disk.pop(path, None)
    for path in read.dropped_models:
        files.disk_models.pop(path, None)
        files.disk.pop(path, None)
    _apply_models(server, read)
    for entry in read.entries:
        files.index.put(entry)
    from dockerfile_stages.lsp.diagnostics import schedule

    for opened in server.documents.all():  # the targets used (DS110) may have changed
        if before.get(opened.uri) != targets_for(server, opened.uri):
            schedule(server, opened.uri, immediately=True)
    if read.whole_workspace:
        publish_all(server)
    else:  # a keystroke in one build file re-checks that file (and those sharing a Dockerfile read anew)
        read_paths = {entry.path for entry in read.entries} | set(read.removed)
        publish_all(server, only=set(read.models) | set(read.dropped_models), files_read=read_paths)
    for path in read.removed:
        uri = uri_of(path)
        if uri in files.published:  # gone: its diagnostics go too
            files.published.discard(uri)
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _apply_models(server: StagesServer, read: _Read) -> None:
    server.workspace_files.disk.update(read.documents)
    server.workspace_files.disk_models.update(read.models)


def _open_texts(server: StagesServer) -> dict[Path, str]:
    texts = {}
    for uri, document in server.build_files.items():
        path = path_of(uri)
        if path is not None:
            texts[path] = document.text
    for opened in server.documents.all():
        path = path_of(opened.uri)
        if path is not None:
            texts[path] = opened.document.text
    return texts


def _root(server: StagesServer) -> Path | None:
    roots = server.workspace_files.roots
    return roots[0] if roots else None


async def _in_worker(server: StagesServer, work: _Work) -> None:
    loop = asyncio.get_running_loop()
    try:
        read = await loop.run_in_executor(None, work.run)
    except Exception:  # a file system surprise must not take the server down
        log.exception("reading the workspace's build files failed")
        return
    _apply(server, read)


class _Work(msgspec.Struct):
    paths: list[Path] | None  # None: scan the roots
    changes: list[tuple[Path, bool]]
    roots: list[Path]
    open_texts: dict[Path, str]
    known_models: set[Path]
    platform: str
    encoding: str

    def run(self) -> _Read:
        root = self.roots[0] if self.roots else None
        if self.changes:
            return _read_changes(self.changes, self.open_texts, self.known_models, root, self.platform, self.encoding)
        if self.paths is not None:
            return _read(self.paths, self.open_texts, self.known_models, root, self.platform, self.encoding)
        paths = [path for folder in self.roots for path in build_files.scan(folder)]
        read = _read(paths, self.open_texts, self.known_models, root, self.platform, self.encoding)
        read.whole_workspace = True
        return read


def _work(server: StagesServer, paths: list[Path] | None, changes: list[tuple[Path, bool]] | None = None) -> _Work:
    files = server.workspace_files
    return _Work(
        paths,
        changes or [],
        list(files.roots),
        _open_texts(server),
        set(files.disk_models),
        server.settings.platform,
        server.encoding,
    )


def build_file_changed(server: StagesServer, uri: str) -> None:
    """An open build file was edited, opened or closed: read it again (from its buffer while open)."""
    path = path_of(uri)
    if path is None:
        return
    reading = server.workspace_files.reading
    previous = reading.pop(path, None)
    if previous is not None:
        previous.cancel()  # an older text: its answer must not land after this one's
    task = asyncio.ensure_future(_in_worker(server, _work(server, [path])))
    reading[path] = task
    task.add_done_callback(lambda done: reading.pop(path, None) if reading.get(path) is done else None)


# -- questions the other handlers ask -----------------------------------------------------------


def targets_for(server: StagesServer, uri: str) -> tuple[str, ...]:
    """The ``--target`` names the workspace builds this Dockerfile with."""
    path = path_of(uri)
    return server.workspace_files.index.targets_of(path) if path else ()


def model_of(server: StagesServer, path: Path) -> StageModel | None:
    opened = server.documents.get(uri_of(path))
    if opened is not None:
        return opened.model
    return server.workspace_files.disk_models.get(path)


def document_of(server: StagesServer, path: Path) -> Document | None:
    uri = uri_of(path)
    opened = server.documents.get(uri)
    if opened is not None:
        return opened.document
    return server.build_files.get(uri) or server.workspace_files.disk.get(path)


def location(server: StagesServer, path: Path, span: Span) -> types.Location | None:
    document = document_of(server, path)
    if document is None:
        return None
    return types.Location(uri=uri_of(path), range=lsp_range(document, span))


def _entry(server: StagesServer, uri: str) -> tuple[BuildFileEntry, Document] | None:
    path = path_of(uri)
    document = server.build_files.get(uri)
    if path is None or document is None:
        return None
    entry = server.workspace_files.index.get(path)
    return (entry, document) if entry is not None else None


def _cursor(document: Document, position: types.Position) -> tuple[int, int]:
    return document.to_index(position.line, position.character)


def build_findings(server: StagesServer, entry: BuildFileEntry) -> list[Finding]:
    ignore = server.settings.ignore
    found = workspace_targets.findings(entry, lambda path: model_of(server, path))
    return [finding for finding in found if is_selected(RULES_BY_ID[finding.rule], (), ignore)]


def publish_all(server: StagesServer, only: set[Path] | None = None, files_read: Iterable[Path] = ()) -> None:
    """Diagnostics of the build files: all, or (with ``only``) those building these Dockerfiles and
    those just read."""
    files = server.workspace_files
    enabled = server.settings.diagnostics_enabled
    files_read = set(files_read)
    for entry in files.index.entries():
        if only is not None and entry.path not in files_read and not any(r.dockerfile in only for r in entry.builds):
            continue
        uri = uri_of(entry.path)
        document = document_of(server, entry.path)
        found = build_findings(server, entry) if enabled and document is not None else []
        if not found and uri not in files.published:
            continue
        diagnostics = [to_diagnostic(uri, document, finding) for finding in found] if document else []
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
        if found:
            files.published.add(uri)
        else:
            files.published.discard(uri)


def dockerfile_published(server: StagesServer, uri: str) -> None:
    """The Dockerfile's stages may have changed: the build files that build it are checked again."""
    path = path_of(uri)
    if path is not None and server.workspace_files.index.builds_of(path):
        publish_all(server, only={path})


def code_actions(server: StagesServer, uri: str, start: types.Position, end: types.Position) -> list[types.CodeAction]:
    found = _entry(server, uri)
    if found is None:
        return []
    entry, document = found
    first, last = Pos(*_cursor(document, start)), Pos(*_cursor(document, end))
    actions = []
    for finding in build_findings(server, entry):
        if finding.span.end < first or finding.span.start > last:
            continue
        for fix in finding.fixes:
            edit = types.WorkspaceEdit(changes={uri: [text_edit(document, e) for e in fix.edits]})
            actions.append(
                types.CodeAction(
                    title=fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[to_diagnostic(uri, document, finding)],
                    is_preferred=fix.preferred or None,
                    edit=edit,
                )
            )
    return actions


def definition(server: StagesServer, uri: str, position: types.Position) -> types.Location | None:
    found = _entry(server, uri)
    if found is None:
        return None
    entry, document = found
    target = workspace_targets.definition(entry, *_cursor(document, position), lambda p: model_of(server, p))
    return location(server, target.path, target.span) if target else None


def _stage_at_target(server: StagesServer, uri: str, position: types.Position) -> workspace_targets.TargetAt | None:
    found = _entry(server, uri)
    if found is None:
        return None
    entry, document = found
    return workspace_targets.target_at(entry, *_cursor(document, position), lambda p: model_of(server, p))


def uses(server: StagesServer, dockerfile: Path, stage: Stage) -> list[types.Location]:
    """The build-file values that name ``stage`` of ``dockerfile``."""
    builds = server.workspace_files.index.builds_of(dockerfile)
    places = (location(server, use.path, use.span) for use in workspace_targets.uses_of(builds, stage))
    return [place for place in places if place is not None]


def references_from_build_file(
    server: StagesServer, uri: str, position: types.Position, include_declaration: bool
) -> list[types.Location] | None:
    """None when the position is not on a target (the caller answers as for any other file)."""
    at = _stage_at_target(server, uri, position)
    if at is None or at.stage is None:
        return None
    places = [location(server, at.dockerfile, o.span) for o in occurrences(at.model, at.stage, include_declaration)]
    return [place for place in places if place is not None] + uses(server, at.dockerfile, at.stage)


def prepare_rename_in_build_file(
    server: StagesServer, uri: str, position: types.Position
) -> types.PrepareRenamePlaceholder | None:
    at = _stage_at_target(server, uri, position)
    document = server.build_files.get(uri)
    if at is None or at.stage is None or at.stage.name is None or document is None:
        return None
    return types.PrepareRenamePlaceholder(range=lsp_range(document, at.span), placeholder=at.stage.name)


def rename_from_build_file(
    server: StagesServer, uri: str, position: types.Position, new_name: str
) -> JsonResult | None:
    at = _stage_at_target(server, uri, position)
    if at is None or at.stage is None or at.stage.name_span is None:
        return None
    start = at.stage.name_span.start
    return rename_stage(server, at.dockerfile, at.model, start.line, start.col, new_name)


def rename_stage(
    server: StagesServer, dockerfile: Path, model: StageModel, line: int, col: int, new_name: str
) -> JsonResult | None:
    """The Dockerfile's edits and every build file's, in one edit. Raises ``RenameError``."""
    builds = server.workspace_files.index.builds_of(dockerfile)
    per_file = workspace_targets.rename_across_files(dockerfile, model, line, col, new_name, builds)
    return _workspace_edit(server, per_file)


def _workspace_edit(server: StagesServer, edits: Mapping[Path, Sequence[SpanEdit]]) -> JsonResult | None:
    per_file: list[tuple[str, int | None, JsonList]] = []
    for path, changes in edits.items():
        document = document_of(server, path)
        if document is None:
            raise RenameError(f"{path} could not be read; nothing was renamed.")
        uri = uri_of(path)
        opened = server.documents.get(uri)
        per_file.append((uri, opened.client_version if opened else None, json_edits(document, changes)))
    capabilities = server.client_capabilities.workspace
    edit_support = capabilities.workspace_edit if capabilities else None
    return workspace_edit(per_file, bool(edit_support and edit_support.document_changes))


def workspace_edit(per_file: list[tuple[str, int | None, JsonList]], document_changes: bool) -> JsonResult:
    """A ``WorkspaceEdit`` as JSON: versioned ``documentChanges`` where the client takes them."""
    if document_changes:
        return JsonResult(
            documentChanges=[
                {"textDocument": {"uri": uri, "version": version}, "edits": edits} for uri, version, edits in per_file
            ]
        )
    return JsonResult(changes={uri: edits for uri, _, edits in per_file})


def hover(server: StagesServer, uri: str, position: types.Position) -> types.Hover | None:
    at = _stage_at_target(server, uri, position)
    document = server.build_files.get(uri)
    if at is None or document is None:
        return None
    entry = server.workspace_files.index.get(path_of(uri) or Path())
    where = workspace_targets.label(entry, at.dockerfile) if entry else str(at.dockerfile)
    estimate = _estimate(server, at.dockerfile, at.stage) if at.stage else []
    text = workspace_targets.hover_markdown(at, where, estimate)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=lsp_range(document, at.span)
    )


def _estimate(server: StagesServer, dockerfile: Path, stage: Stage) -> list[str]:
    """The stage's size estimate where the Dockerfile is open (its sizes are looked up there)."""
    opened = server.documents.get(uri_of(dockerfile))
    if opened is None:
        return []
    from dockerfile_stages.ide.sizes import stage_estimate_lines

    estimates = server.session.analysis_of(opened).estimates()
    return stage_estimate_lines(estimates[stage.index]) if stage.index < len(estimates) else []


async def target_completion(server: StagesServer, uri: str, position: types.Position) -> list[dict[str, object]]:
    """Stage names where a build's ``--target`` value is being typed (JSON-shaped items)."""
    path = path_of(uri)
    document = server.build_files.get(uri)
    kind = kind_of(path.as_posix()) if path else None
    if path is None or document is None or kind is None:
        return []
    line, col = _cursor(document, position)
    slot = target_slot(path.as_posix(), document.text, line, col)
    if slot is None:
        return []
    root = _root(server)
    loop = asyncio.get_running_loop()
    resolved = await loop.run_in_executor(None, build_files.resolve, path, kind, slot.build, root)
    if resolved.dockerfile is None or not resolved.dockerfile_exists:
        return []
    model = model_of(server, resolved.dockerfile)
    if model is None:
        read = _Read()
        await loop.run_in_executor(
            None, _read_dockerfile, read, resolved.dockerfile, server.settings.platform, server.encoding
        )
        _apply_models(server, read)
        model = read.models.get(resolved.dockerfile)
    if model is None:
        return []
    where = os.path.relpath(resolved.dockerfile, path.parent)
    return [
        {
            "label": candidate.name,
            "kind": types.CompletionItemKind.Reference.value,
            "detail": f"{candidate.detail} in {where}",
            "textEdit": {"range": _json_range(lsp_range(document, candidate.replace)), "newText": candidate.name},
        }
        for candidate in workspace_targets.complete_target(slot, model)
    ]


def _json_range(where: types.Range) -> dict[str, object]:
    return {
        "start": {"line": where.start.line, "character": where.start.character},
        "end": {"line": where.end.line, "character": where.end.character},
    }


def register(server: StagesServer) -> None:
    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        files = server.workspace_files
        folders = server.workspace.folders
        files.roots = [path for folder in folders.values() if (path := path_of(folder.uri))]
        if not files.roots and server.workspace.root_uri:
            root = path_of(server.workspace.root_uri)
            files.roots = [root] if root else []
        _watch(server)
        await _in_worker(server, _work(server, None))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(params: types.DidChangeWatchedFilesParams) -> None:
        changes = [
            (path, change.type == types.FileChangeType.Deleted)
            for change in params.changes
            if (path := path_of(change.uri)) is not None
        ]
        server.session.workspace.changed([path for path, _ in changes])  # build contexts measure again
        ignore_files.changed(server, [path for path, _ in changes])
        open_paths = set(_open_texts(server))
        # an open build file's buffer wins over the disk; a Dockerfile's disk copy is kept for after it closes
        changes = [
            (path, deleted) for path, deleted in changes if path not in open_paths or not kind_of(path.as_posix())
        ]
        if changes:
            await _in_worker(server, _work(server, None, changes))

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK)
    def links(params: types.DocumentLinkParams) -> list[types.DocumentLink] | JsonList:
        text = server.client_capabilities.text_document
        tooltips = bool(text and text.document_link and text.document_link.tooltip_support)
        found = _entry(server, params.text_document.uri)
        if found is None:  # a Dockerfile: its images and frontend
            return dockerfile_links(server, params.text_document.uri, tooltips)
        entry, document = found
        return [
            types.DocumentLink(
                range=lsp_range(document, link.span),
                target=uri_of(link.path),
                tooltip="Open the Dockerfile this build reads" if tooltips else None,
            )
            for link in workspace_targets.links(entry)
        ]


def _watch(server: StagesServer) -> None:
    """Ask the client to tell us about build-file changes, where it can register watchers dynamically."""
    workspace = server.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
    )
    registration = types.Registration(
        id=WATCH_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
    )
    # not awaited: a client that never answers must not hold up the scan
    server.client_register_capability(types.RegistrationParams(registrations=[registration]))
