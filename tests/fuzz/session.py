"""The real server in process, fed framed-message bodies straight into its protocol: every editor
feature through its public LSP entry point, at the cost of a function call instead of a pipe."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import msgspec
from pygls.exceptions import JsonRpcException, JsonRpcInternalError

from dockerfile_stages.lsp.protocol import RobustProtocol
from dockerfile_stages.lsp.server import StagesServer, build_server

OPTIONS = {"sizes": {"online": False}, "diagnostics": {"delayMs": 0}}


class ErrorLog(logging.Handler):
    """Counts what the server logs at ERROR: a handler that raised."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, JsonRpcException) and not isinstance(error, JsonRpcInternalError):
            return  # a request refused on purpose (pygls logs those at ERROR too); its answer says why
        trace = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        self.records.append(f"{record.getMessage()}\n{trace[-600:]}" if trace else record.getMessage())


@dataclass
class Session:
    server: StagesServer
    protocol: RobustProtocol
    written: list[bytes] = field(default_factory=list)
    next_id: int = 100
    _read: int = 0
    _answers: dict[Any, bytes] = field(default_factory=dict)  # as JSON text, parsed when taken
    # Notifications and server requests as their JSON text: parsed, a large publishDiagnostics is
    # thousands of objects that every collection in the process walks (the fuzzers measure its CPU).
    _other: list[bytes] = field(default_factory=list)

    @classmethod
    def start(cls) -> Session:
        server = build_server()
        protocol = server.protocol
        assert isinstance(protocol, RobustProtocol)
        session = cls(server, protocol)
        protocol.set_writer(session)
        return session

    def close_server(self) -> None:
        self.server.sizes.close()

    # the writer pygls writes to
    def write(self, data: bytes) -> None:
        self.written.append(data)

    def close(self) -> None:
        """The writer's close, called by exit."""

    def send(self, message: Any) -> None:
        self.protocol.handle_body(message if isinstance(message, bytes) else json.dumps(message).encode())

    def messages(self) -> list[dict[str, Any]]:
        self._collect()
        return [json.loads(body) for body in self._other] + [_decode(body) for body in self._answers.values()]

    def _collect(self) -> None:
        for data in self.written[self._read :]:
            body = data.split(b"\r\n\r\n", 1)[1] if data.startswith(b"Content-Length") else data
            envelope = _envelope(body)
            if envelope.method is msgspec.UNSET and envelope.id is not msgspec.UNSET:
                self._answers[envelope.id] = body
            else:
                self._other.append(body)  # parsed only if asked for (messages())
        self._read = len(self.written)
        del self._other[:-200]  # keep the recent notifications only: a long run must not grow

    def take_answer(self, message_id: Any, result: bool = True) -> dict[str, Any] | None:
        """The answer to ``message_id`` if it came; ``result=False``: its id and error only (what
        the fuzzers check), its result left unparsed (answers of megabytes cost the harness's CPU)."""
        self._collect()
        body = self._answers.pop(message_id, None)
        if body is None:
            return None
        if result:
            return _decode(body)  # type: ignore[no-any-return]
        envelope = _envelope(body)
        return {"id": envelope.id} if envelope.error is msgspec.UNSET else {"id": envelope.id, "error": envelope.error}

    async def answer(self, message_id: Any, timeout: float = 10.0, result: bool = True) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self.take_answer(message_id, result)
            if found is not None:
                return found
            if loop.time() > deadline:
                raise TimeoutError(f"no answer to {message_id!r} within {timeout} s")
            await asyncio.sleep(0.001)

    async def request(
        self, method: str, params: Any = None, timeout: float = 10.0, result: bool = True
    ) -> dict[str, Any]:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await self.answer(self.next_id, timeout, result)

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    async def initialize(self, options: Any = None, **capabilities: Any) -> dict[str, Any]:
        params = {"capabilities": capabilities, "initializationOptions": OPTIONS if options is None else options}
        answer = await self.request("initialize", params)
        self.notify("initialized", {})
        return answer

    def open(self, text: str, uri: str, version: int = 1) -> None:
        item = {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})

    def change(self, uri: str, version: int, start: tuple[int, int], end: tuple[int, int], text: str) -> None:
        change = {
            "range": {
                "start": {"line": start[0], "character": start[1]},
                "end": {"line": end[0], "character": end[1]},
            },
            "text": text,
        }
        self.notify(
            "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
        )


class _Envelope(msgspec.Struct):
    id: Any = msgspec.UNSET
    method: Any = msgspec.UNSET
    error: Any = msgspec.UNSET


_ENVELOPE = msgspec.json.Decoder(_Envelope)


def _envelope(body: bytes) -> _Envelope:
    """A message's id, method and error, the rest skipped (a publishDiagnostics of 1,000 items is
    not made into objects only to be put aside)."""
    try:
        return _ENVELOPE.decode(body)
    except msgspec.DecodeError:  # a lone surrogate escape: as the standard decoder reads it
        message = json.loads(body)
        if not isinstance(message, dict):
            return _Envelope()
        return _Envelope(*(message.get(key, msgspec.UNSET) for key in ("id", "method", "error")))


def _decode(body: bytes) -> Any:
    """msgspec's decoder, 2-3 times as fast on answers of megabytes (the fuzzers measure this
    process's CPU); the standard one where msgspec refuses a lone surrogate escape (``\\ud800``)."""
    try:
        return msgspec.json.decode(body)
    except msgspec.DecodeError:
        return json.loads(body)
