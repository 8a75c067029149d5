"""Text synchronisation: didOpen, incremental didChange, didClose."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from dockerfile_stages.lsp import ignore_files
from dockerfile_stages.lsp.diagnostics import clear, schedule
from dockerfile_stages.lsp.uris import is_build_uri
from dockerfile_stages.lsp.workspace_files import build_file_changed
from dockerfile_stages.syntax.document import Document

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer
    from dockerfile_stages.lsp.store import OpenDocument


def register(server: StagesServer) -> None:
    session = server.session

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        if is_build_uri(item.uri):
            session.build_files[item.uri] = Document(item.text, server.encoding)
            build_file_changed(server, item.uri)
            return
        resume_collector = server.gc_policy.hold()
        try:
            opened = session.open(item, server.encoding)
            schedule(server, item.uri, immediately=True)
        except BaseException:
            resume_collector()
            raise
        ignore_files.check_for(server, item.uri)  # patterns Docker refuses, shown on the .dockerignore
        if not server.gc_policy.freezes_on_open(opened.document.line_count):
            resume_collector()
            _after_messages_read(server.load_in_background)  # its diagnostics are out (lsp/server.py)
            return
        # The tree, its model and its findings are frozen out of the collector's view once the
        # diagnostics are out, and after the messages already read, such as the pull that follows.
        # The collector stays off until then: on again now, it would first make a young collection
        # of the whole new tree (about 10 ms at 10,000 lines) before that pull is answered.
        _after_messages_read(lambda: _freeze(server, opened, resume_collector))
        _after_messages_read(server.load_in_background)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        build_file = session.build_files.get(params.text_document.uri)
        if build_file is not None:
            _apply(build_file, params.content_changes)
            build_file_changed(server, params.text_document.uri)
            return
        opened = session.documents.get(params.text_document.uri)
        if opened is None:
            server.warn(f"didChange for {params.text_document.uri}, which is not open: ignored")
            return
        _apply(opened.document, params.content_changes)
        opened.client_version = params.text_document.version
        server.gc_policy.edited()
        schedule(server, opened.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        if session.build_files.pop(params.text_document.uri, None) is not None:
            build_file_changed(server, params.text_document.uri)  # what is on disk counts again
            return
        closing = session.documents.get(params.text_document.uri)
        line_count = closing.document.line_count if closing is not None else 0
        del closing  # the tree goes now, by reference counting: the refreeze would walk it and freeze it again
        session.documents.close(params.text_document.uri)
        clear(server, params.text_document.uri)
        server.gc_policy.closed(line_count)


def _apply(document: Document, changes: Sequence[types.TextDocumentContentChangeEvent]) -> None:
    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            start, end = change.range.start, change.range.end
            document.apply_change(start.line, start.character, end.line, end.character, change.text)
        else:
            document.set_text(change.text)


def structure_did_change(data: dict[str, Any]) -> types.DidChangeTextDocumentNotification | None:
    """A didChange built without cattrs (a quarter of a keystroke's cost at 50,000 lines went to
    structuring it); None when it is not exactly the usual shape, for cattrs to read (and refuse)."""
    params = data.get("params")
    if (
        data.get("jsonrpc") != "2.0"
        or not isinstance(params, dict)
        or params.keys() != {"textDocument", "contentChanges"}
    ):
        return None
    document, changes = params["textDocument"], params["contentChanges"]
    if not isinstance(document, dict) or document.keys() != {"uri", "version"} or not isinstance(changes, list):
        return None
    uri, version = document["uri"], document["version"]
    if not isinstance(uri, str) or not _is_int(version):
        return None
    structured: list[types.TextDocumentContentChangeEvent] = []
    for change in changes:
        event = _change(change)
        if event is None:
            return None
        structured.append(event)
    identifier = types.VersionedTextDocumentIdentifier(version=version, uri=uri)
    return types.DidChangeTextDocumentNotification(
        params=types.DidChangeTextDocumentParams(text_document=identifier, content_changes=tuple(structured)),
        method="textDocument/didChange",
        jsonrpc=data["jsonrpc"],
    )


def _change(change: object) -> types.TextDocumentContentChangeEvent | None:
    if not isinstance(change, dict) or not isinstance(text := change.get("text"), str):
        return None
    if change.keys() == {"text"}:
        return types.TextDocumentContentChangeWholeDocument(text=text)
    if change.keys() - {"rangeLength"} != {"range", "text"}:
        return None
    length = change.get("rangeLength")
    span = change["range"]
    if (length is not None and not _is_int(length)) or not isinstance(span, dict) or span.keys() != {"start", "end"}:
        return None
    start, end = _position(span["start"]), _position(span["end"])
    if start is None or end is None:
        return None
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=start, end=end), text=text, range_length=length
    )


def _position(value: object) -> types.Position | None:
    if not isinstance(value, dict) or value.keys() != {"line", "character"}:
        return None
    line, character = value["line"], value["character"]
    if not _is_int(line) or not _is_int(character) or line < 0 or character < 0:
        return None
    return types.Position(line=line, character=character)


def _is_int(value: object) -> bool:
    return type(value) is int  # not bool, not float


def _freeze(server: StagesServer, opened: OpenDocument, resume_collector: Callable[[], None]) -> None:
    try:
        opened.model  # noqa: B018  (built by now where diagnostics are pushed; frozen with the tree)
        server.gc_policy.opened(opened.document.line_count)
    finally:
        resume_collector()


def _after_messages_read(work: Callable[[], None]) -> None:
    """``work`` on the event loop's next turn (at once without a running loop)."""
    try:
        asyncio.get_running_loop().call_soon(work)
    except RuntimeError:
        work()
