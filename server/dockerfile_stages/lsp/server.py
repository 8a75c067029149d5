"""The server object, its protocol and start-up."""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import sys
import threading
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from lsprotocol.types import EXIT
from pygls.exceptions import FeatureNotificationError, JsonRpcException, JsonRpcInternalError
from pygls.lsp.server import LanguageServer
from pygls.protocol import lsp_method

from dockerfile_stages import __version__, rules
from dockerfile_stages.lsp.bootstrap import configure_logging
from dockerfile_stages.lsp.config import Settings
from dockerfile_stages.lsp.convert import PRE_ENCODED, encode
from dockerfile_stages.lsp.diagnostics import DiagnosticsScheduler
from dockerfile_stages.lsp.framing import deliver, serve_stdio, serve_tcp
from dockerfile_stages.lsp.memory import GcPolicy
from dockerfile_stages.lsp.progress import LookupProgress
from dockerfile_stages.lsp.protocol import Phase, RobustProtocol
from dockerfile_stages.lsp.session import Session
from dockerfile_stages.lsp.store import DocumentStore
from dockerfile_stages.lsp.sync import structure_did_change
from dockerfile_stages.lsp.workspace_files import WorkspaceFiles
from dockerfile_stages.sizes.service import SizeService
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.positions import ENCODINGS, Encoding
from dockerfile_stages.workspace.background import WorkspaceReader

if TYPE_CHECKING:
    from dockerfile_stages.lsp.bootstrap import Handover

log = logging.getLogger(__name__)
# The network clients' load after ``initialized``, unless a document's first diagnostics come sooner.
BACKGROUND_LOAD_DELAY_S = 1.0
# Requests whose parameters the warm-up teaches cattrs to read before the first one comes (and answers
# it learns to write): the ones editors send as a file opens and as the pointer first moves.
WARMED_REQUESTS = (
    types.TEXT_DOCUMENT_HOVER,
    types.TEXT_DOCUMENT_COMPLETION,
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.TEXT_DOCUMENT_DEFINITION,
    types.TEXT_DOCUMENT_SIGNATURE_HELP,
    types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT,
    types.COMPLETION_ITEM_RESOLVE,
)
WARMED_ANSWERS = (types.Hover, types.MarkupContent, types.Range, types.SignatureHelp, types.Location)
_UNUSABLE = object()  # a message that could not be read; already answered where it was a request


class StagesProtocol(RobustProtocol):
    """Keeps documents in our own incremental store instead of pygls's whole-text workspace copy,
    and answers a request whose parameters do not fit its method with an error (pygls drops it,
    leaving the client waiting for ever)."""

    def structure_message(self, data: Any) -> Any:
        if isinstance(data, dict) and data.get("method") == types.TEXT_DOCUMENT_DID_CHANGE and "id" not in data:
            fast = structure_did_change(data)
            if fast is not None:
                return fast
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=error.to_response_error())
            return _UNUSABLE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answered_early: int | str | None = None  # the bootstrap answered this request: do not again
        self.early_answer: Any = None  # what this server would have answered it (JSON)

    def handle_message(self, message: Any) -> None:
        """pygls's dispatch, telling the kinds of message apart by their attributes: its
        ``isinstance`` checks against runtime-checkable protocols cost about 0.1 ms a message."""
        if message is _UNUSABLE:
            return
        if message.jsonrpc != self.VERSION or (self._shutdown and getattr(message, "method", "") != EXIT):
            super().handle_message(message)  # refused there, with its log line
            return
        context = contextvars.copy_context()
        if hasattr(message, "method") and hasattr(message, "params"):
            if hasattr(message, "id"):
                context.run(self._handle_request, message.id, message.method, message.params)
            else:
                context.run(self._handle_notification, message.method, message.params)
        elif hasattr(message, "result"):
            context.run(self._handle_response, message.id, message.result)
        else:
            context.run(self._handle_response, message.id, None, message.error)

    def _handle_notification(self, method_name: str, params: Any) -> None:
        """A didChange runs at once, with pygls's error report; pygls would first make a uuid4 and a
        Future for it (both for requests that can be cancelled, which a notification is not)."""
        if method_name != types.TEXT_DOCUMENT_DID_CHANGE:
            super()._handle_notification(method_name, params)
            return
        try:
            self.lsp_text_document__did_change(params)
        except Exception:
            error = JsonRpcInternalError.of(sys.exc_info())  # type: ignore[no-untyped-call]
            self._server._report_server_error(error, FeatureNotificationError)

    def notify_json(self, method: str, params: Any) -> None:
        """A notification whose parameters are JSON already (sent as they are, skipping cattrs)."""
        self.send_body(encode({"jsonrpc": "2.0", "method": method, "params": params}))  # 20,000 diagnostics: once

    def _send_data(self, data: Any) -> None:
        if self.answered_early is not None and _response_id(data) == self.answered_early:
            self.answered_early = None
            self.early_answer = json.loads(json.dumps(data, default=self._serialize_message))
            return
        # A result built as plain JSON skips cattrs, which costs more than the work for big answers.
        result = getattr(data, "result", None)
        if isinstance(result, PRE_ENCODED) and getattr(data, "id", None) is not None:
            self.send_body(result.response(data.id))
            return
        super()._send_data(data)

    @lsp_method(types.INITIALIZED)
    def lsp_initialized(self, *args: Any) -> Generator[Any, Any, None]:
        """pygls's, and the network clients loaded on a thread: off the path of the first hover."""
        server = self._server
        if isinstance(server, StagesServer):
            # Every rule module, so that no later run has to look at its document for what the
            # rules not imported yet need (a pass over every node of a large file at each edit).
            threading.Thread(target=rules.load_all, name="load-rules", daemon=True).start()
            # The network clients not at once: a client opens its first document right after
            # ``initialized``, and their load (about 180 ms of CPU, mostly TLS set-up) took the GIL
            # from its analysis (first diagnostics of 10,000 lines in 90-170 ms instead of 60).
            try:
                asyncio.get_running_loop().call_later(BACKGROUND_LOAD_DELAY_S, server.load_in_background)
            except RuntimeError:  # no event loop (driven by hand): now
                server.load_in_background()
        if (handler := self.fm.features.get(types.INITIALIZED)) is not None:
            yield handler, args, None

    # Text synchronisation goes straight to our handlers (plain functions, in lsp/sync.py): through
    # pygls's generator plumbing each message also paid for a Future, callbacks and a uuid4.
    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        self._feature(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        self._feature(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        self._feature(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _feature(self, method: str, params: Any) -> None:
        handler = self.fm.features.get(method)
        if handler is not None:
            handler(params)


def _response_id(data: Any) -> Any:
    """The id of a response (None for requests and notifications)."""
    if isinstance(data, dict):
        return None if "method" in data else data.get("id")
    return None if hasattr(data, "method") else getattr(data, "id", None)


class StagesServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "dockerfile-stages",
            __version__,
            protocol_cls=StagesProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.session = Session(workspace=WorkspaceReader(on_changed=self._sizes_arrived))
        self.diagnostic_timers = DiagnosticsScheduler()
        self.gc_policy = GcPolicy()
        self.gc_policy.start()
        self.lookup_progress = LookupProgress(self)
        self.main_loop: asyncio.AbstractEventLoop | None = None
        # publishDiagnostics params the bootstrap sent (by URI): the first identical publish is not sent again
        self.early_diagnostics: dict[str, Any] = {}
        self.background_loading = False

    def load_in_background(self) -> None:
        """Once, on threads (after the first document's diagnostics, or ``BACKGROUND_LOAD_DELAY_S``
        after ``initialized`` if that comes first): the registry and engine clients, and what the
        first requests of a session would otherwise work out themselves (``_warm_up``)."""
        if self.background_loading:
            return
        self.background_loading = True
        self.sizes.load_clients_in_background()  # off the path of the first hover
        threading.Thread(target=self._warm_up, name="warm-up", daemon=True).start()

    def _warm_up(self) -> None:
        """The bundled size snapshot (67 kB of JSON, read by the first image hover or lens) and
        cattrs's converters for the requests an editor sends first and their answers (each made on
        first use: together most of the first hover's 12 ms against 2.5 for the next ones)."""
        from dockerfile_stages.sizes.snapshot import load_snapshot

        load_snapshot()
        protocol, converter = self.protocol, self.protocol.fm.converter
        for method in WARMED_REQUESTS:
            request = protocol.get_message_type(method)
            if request is not None:
                converter.get_structure_hook(request)
        for answer in WARMED_ANSWERS:
            converter.get_unstructure_hook(answer)

    # Read-only views of the session, for feature modules.
    @property
    def settings(self) -> Settings:
        return self.session.settings

    @property
    def documents(self) -> DocumentStore:
        return self.session.documents

    @property
    def sizes(self) -> SizeService:
        return self.session.sizes

    @property
    def build_files(self) -> dict[str, Document]:
        return self.session.build_files

    @property
    def workspace_files(self) -> WorkspaceFiles:
        return self.session.workspace_files

    def restart_sizes(self) -> None:
        """A size service for the current settings; answers arriving later refresh the code lenses."""
        self.session.sizes.close()
        self.session.sizes = SizeService(
            self.settings.size_settings(), on_update=self._sizes_arrived, on_lookup=self._lookup
        )

    def _lookup(self, reference: str, started: bool) -> None:
        loop = self.main_loop
        if loop is None or loop.is_closed():
            return
        report = self.lookup_progress.started if started else self.lookup_progress.finished
        loop.call_soon_threadsafe(report, reference)

    def _sizes_arrived(self) -> None:
        loop = self.main_loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self.refresh_lenses)

    def refresh_lenses(self) -> None:
        if self.session.capabilities.refreshes_lenses:
            self.workspace_code_lens_refresh(None)

    @property
    def encoding(self) -> Encoding:
        """The position encoding agreed with the client at initialize."""
        value = str(getattr(self.workspace.position_encoding, "value", self.workspace.position_encoding))
        return next((encoding for encoding in ENCODINGS if encoding == value), "utf-16")

    def notify_json(self, method: str, params: Any) -> None:
        protocol = self.protocol
        assert isinstance(protocol, StagesProtocol)
        protocol.notify_json(method, params)

    def take_over(self, handover: Handover) -> None:
        """Carry on from the bootstrap (``lsp/bootstrap.py``): handle every message it read, in order,
        as if they came now, except that what it sent already is not sent again."""
        protocol = self.protocol
        assert isinstance(protocol, StagesProtocol)
        self.early_diagnostics.update(handover.published or {})
        events = list(handover.events)
        if handover.initialize_id is not None and events:
            protocol.answered_early = handover.initialize_id
            deliver(events.pop(0), protocol.handle_body)
            self._check_early_answer(protocol, handover)
        for event in events:
            deliver(event, protocol.handle_body)

    def _check_early_answer(self, protocol: StagesProtocol, handover: Handover) -> None:
        answer, protocol.early_answer = protocol.early_answer, None
        if answer is None:
            return  # not answered yet (it will not be sent when it is)
        if "error" in answer:
            # The bootstrap answered what lsprotocol refuses: start from what it understood instead.
            log.warning("initialize: %s; carrying on with the capabilities answered", answer["error"].get("message"))
            encoding = (handover.initialize_result or {}).get("capabilities", {}).get("positionEncoding")
            minimal = {"capabilities": {"general": {"positionEncodings": [encoding]}}}
            protocol.phase = Phase.WAITING
            protocol.answered_early = handover.initialize_id
            protocol.handle_body(
                json.dumps(
                    {"jsonrpc": "2.0", "id": handover.initialize_id, "method": "initialize", "params": minimal}
                ).encode()
            )
            protocol.early_answer = None
        elif answer.get("result") != handover.initialize_result:
            log.warning("the bootstrap's initialize answer differs from the server's: %s", json.dumps(answer)[:2000])

    def warn(self, message: str) -> None:
        log.warning(message)
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))


def build_server() -> StagesServer:
    from dockerfile_stages.ide.analysis import load_features
    from dockerfile_stages.lsp import (
        code_actions,
        code_lens,
        completion,
        configuration,
        definition,
        diagnostics,
        folding,
        formatting,
        highlight,
        hover,
        inlay_hints,
        references,
        rename,
        selection_range,
        semantic_tokens,
        signature_help,
        symbols,
        sync,
        workspace_files,
        workspace_symbols,
    )

    load_features()  # the analysis imports them where they are used: here, before the first request
    server = StagesServer()
    for feature in (
        configuration,
        sync,
        diagnostics,
        completion,
        definition,
        references,
        highlight,
        rename,
        semantic_tokens,
        signature_help,
        inlay_hints,
        selection_range,
        workspace_symbols,
        symbols,
        folding,
        formatting,
        hover,
        code_actions,
        code_lens,
        workspace_files,
    ):
        feature.register(server)
    return server


def run(tcp: str | None = None, log_level: str = "warning", handover: Handover | None = None) -> int:
    """Serve until the client says exit; the exit status is 0 only after a shutdown request (LSP spec).
    With a ``handover``, carry on from where the bootstrap stopped."""
    configure_logging(log_level)
    server = build_server()
    protocol = server.protocol
    assert isinstance(protocol, RobustProtocol)
    try:
        if tcp:
            host, _, port = tcp.rpartition(":")
            serve_tcp(server, protocol.handle_body, host or "127.0.0.1", int(port))
        elif handover is not None:
            serve_stdio(server, protocol.handle_body, parser=handover.parser, replay=lambda: server.take_over(handover))
        else:
            serve_stdio(server, protocol.handle_body)
    finally:
        server.sizes.close()  # lookups still running end now: the exit does not wait for registries
        server.session.workspace.close()
    return 0 if server.protocol._shutdown else 1
