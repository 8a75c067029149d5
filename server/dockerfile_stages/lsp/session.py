"""The language server's state in one object: open documents, settings, what the client can do,
which documents it pulls diagnostics for, and the services the analysis asks (sizes, workspace)."""

from __future__ import annotations

from pathlib import Path

import msgspec
from lsprotocol import types
from pygls.uris import to_fs_path

from dockerfile_stages.ide.analysis import Analysis, Options, Services
from dockerfile_stages.lsp.config import Settings
from dockerfile_stages.lsp.store import DocumentStore, OpenDocument
from dockerfile_stages.lsp.uris import path_of
from dockerfile_stages.lsp.workspace_files import WorkspaceFiles
from dockerfile_stages.rules import reads_ignore_file
from dockerfile_stages.sizes.service import SizeService, SizeSettings
from dockerfile_stages.sizes.snapshot import snapshot_images, snapshot_tags
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.positions import Encoding
from dockerfile_stages.workspace.background import WorkspaceReader


class ClientCapabilities(msgspec.Struct, frozen=True):
    """What the client said it supports at initialize."""

    pull_diagnostics: bool = False
    refreshes_lenses: bool = False
    snippets: bool = False
    shared_edit_range: bool = False  # a completion list's items may share one range (itemDefaults.editRange, 3.17)
    work_done_progress: bool = False
    watches_files: bool = False  # accepts a dynamic registration of workspace/didChangeWatchedFiles

    @classmethod
    def of(cls, capabilities: types.ClientCapabilities) -> ClientCapabilities:
        text = capabilities.text_document
        item = text.completion.completion_item if text and text.completion else None
        completion_list = text.completion.completion_list if text and text.completion else None
        workspace = capabilities.workspace
        window = capabilities.window
        watched = workspace.did_change_watched_files if workspace else None
        return cls(
            pull_diagnostics=bool(text and text.diagnostic),
            refreshes_lenses=bool(workspace and workspace.code_lens and workspace.code_lens.refresh_support),
            snippets=bool(item and item.snippet_support),
            shared_edit_range="editRange" in ((completion_list and completion_list.item_defaults) or ()),
            work_done_progress=bool(window and window.work_done_progress),
            watches_files=bool(watched and watched.dynamic_registration),
        )


def local_path(uri: str) -> Path | None:
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path) if path else None


class Session(msgspec.Struct):
    documents: DocumentStore = msgspec.field(default_factory=DocumentStore)
    build_files: dict[str, Document] = msgspec.field(default_factory=dict)  # open Compose and Bake files (text only)
    settings: Settings = msgspec.field(default_factory=Settings)
    capabilities: ClientCapabilities = msgspec.field(default_factory=ClientCapabilities)
    pulled_uris: set[str] = msgspec.field(default_factory=set)  # documents whose diagnostics the client pulls
    flagged_ignore_files: set[str] = msgspec.field(default_factory=set)  # .dockerignore URIs with problems published
    sizes: SizeService = msgspec.field(default_factory=lambda: SizeService(SizeSettings(online=False)))
    workspace: WorkspaceReader = msgspec.field(default_factory=WorkspaceReader)  # build contexts, unopened Dockerfiles
    workspace_files: WorkspaceFiles = msgspec.field(default_factory=WorkspaceFiles)  # the build files and their index

    def analysis(self, uri: str) -> Analysis | None:
        """The analysis of an open Dockerfile (None when the document is not open)."""
        opened = self.documents.get(uri)
        return self.analysis_of(opened) if opened is not None else None

    def analysis_of(self, opened: OpenDocument) -> Analysis:
        return opened.analysis(self.options(opened), self.services(opened))

    def options(self, opened: OpenDocument) -> Options:
        return self.settings.analysis_options(self.workspace_targets(opened.uri))

    def workspace_targets(self, uri: str) -> tuple[str, ...]:
        """The targets the workspace's build files build from this Dockerfile (they count as used)."""
        path = path_of(uri)
        return self.workspace_files.index.targets_of(path) if path else ()

    def services(self, opened: OpenDocument) -> Services:
        # the ignore file only where a rule reads it: other patterns would only empty the rule cache
        patterns = opened.ignore_lines if reads_ignore_file(opened.document) else None
        return Services(
            sizes=self.sizes,
            context=opened.context,
            images=snapshot_images(),
            tags=snapshot_tags,
            ignore_patterns=patterns,
        )

    def open(self, item: types.TextDocumentItem, encoding: Encoding) -> OpenDocument:
        opened = self.documents.open(item.uri, item.text, item.version, encoding, self.settings.platform)
        path = local_path(item.uri)
        if path is not None:
            opened.context = self.workspace.context(path.parent, path)
        return opened

    def pushes_diagnostics(self, uri: str) -> bool:
        return self.settings.pushes_diagnostics(pulled=uri in self.pulled_uris)
