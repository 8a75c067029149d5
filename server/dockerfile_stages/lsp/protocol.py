"""JSON-RPC and LSP lifecycle rules that pygls leaves out, checked on each body before pygls sees it.

- A body that is not JSON gets ParseError; a message that is not a JSON-RPC 2.0 request,
  notification or response (an id that is an object, a method that is a number, a batch) gets
  InvalidRequest with a null id, never an internal error with a traceback.
- Lifecycle (LSP 3.17): before ``initialize`` requests get ServerNotInitialized (-32002) and
  notifications are dropped, ``exit`` excepted; a second ``initialize`` is refused; after
  ``shutdown`` requests get InvalidRequest.
- A notification sent with an id is handled as the notification and answered with ``null``, so
  the client is not left waiting.
- pygls keeps the future of every notification handled through a generator or a thread in
  ``_request_futures`` under a fresh id, for ever (about 1.6 kB per keystroke): each is dropped
  once done.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable, Generator
from concurrent.futures import Future
from typing import Any

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import LanguageServerProtocol, lsp_method

log = logging.getLogger(__name__)

Id = int | str | None
_NOTIFICATIONS = frozenset(
    method for method, kinds in types.METHOD_TO_TYPES.items() if kinds[0].__name__.endswith("Notification")
)
_ALWAYS_ALLOWED = frozenset({types.EXIT})


class Phase(enum.Enum):
    WAITING = "waiting for initialize"
    RUNNING = "initialized"
    SHUT_DOWN = "shut down"


def envelope_problem(data: object) -> str | None:
    """Why ``data`` is not a JSON-RPC 2.0 message, or None when it is one."""
    if not isinstance(data, dict):
        return "a message must be a JSON object (batches are not used by LSP)"
    if data.get("jsonrpc") != "2.0":
        return 'a message must say "jsonrpc": "2.0"'
    if "id" in data and not valid_id(data["id"]):
        return "an id must be a number, a string or null"
    if "method" in data:
        if not isinstance(data["method"], str):
            return "a method must be a string"
        if "params" in data and data["params"] is not None and not isinstance(data["params"], (dict, list)):
            return "params must be an object or an array"
        return None
    if "id" not in data or ("result" not in data and "error" not in data):
        return "neither a request, a notification nor a response"
    return None


def valid_id(value: object) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


class RobustProtocol(LanguageServerProtocol):
    """The language server protocol with the checks above; bodies come in through ``handle_body``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phase = Phase.WAITING

    def handle_body(self, body: bytes) -> None:
        """One framed message: check it, then hand it to pygls. A bug costs one answer, never the server."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            self._refuse(None, JsonRpcParseError("the message is not JSON"))
            return
        try:
            self._dispatch(data)
        except JsonRpcException as error:
            self._refuse(_id_of(data), error)
        except Exception:
            log.exception("internal error on a message")
            if isinstance(data, dict) and "method" in data and "id" in data:
                self._refuse(_id_of(data), JsonRpcInternalError("internal error; see the server log"))

    def _dispatch(self, data: Any) -> None:
        problem = envelope_problem(data)
        if problem is not None:
            self._refuse(_id_of(data), JsonRpcInvalidRequest(problem))
            return
        method = data.get("method")
        if method is not None and "id" in data and method in _NOTIFICATIONS:
            self._send_data({"jsonrpc": "2.0", "id": data["id"], "result": None})  # answered, then handled
            data = {key: value for key, value in data.items() if key != "id"}
        if method is not None:
            refusal = self._lifecycle(method, is_request="id" in data)
            if refusal is not None:
                if "id" in data:
                    self._refuse(data["id"], refusal)
                return
        self.handle_message(self.structure_message(data))

    def _lifecycle(self, method: str, is_request: bool) -> JsonRpcException | None:
        """Whether the phase allows this message, and the error a request gets when it does not."""
        if method in _ALWAYS_ALLOWED:
            return None
        if self.phase is Phase.SHUT_DOWN:
            return JsonRpcInvalidRequest("the server is shut down; only exit is accepted")
        if method == types.INITIALIZE:
            if self.phase is not Phase.WAITING:
                return JsonRpcInvalidRequest("initialize was already received")
            self.phase = Phase.RUNNING
            return None
        if self.phase is Phase.WAITING:
            return JsonRpcServerNotInitialized("initialize must come first")
        if method == types.SHUTDOWN and is_request:
            self.phase = Phase.SHUT_DOWN
        return None

    def send_body(self, body: bytes) -> None:
        """A message already serialised (an answer built as JSON text), framed as pygls frames its
        own. Our writers (standard output, a TCP stream) write at once; none is awaitable."""
        if self.writer is None:
            return
        header = f"Content-Length: {len(body)}\r\nContent-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
        self.writer.write(header.encode() + body if self._include_headers else body)

    def _refuse(self, msg_id: Id, error: JsonRpcException) -> None:
        """An error response; written as plain JSON so that a null id is sent as ``"id": null``."""
        log.warning("refused a message: %s", error.message)
        answer = {"code": error.code, "message": error.message}
        self._send_data({"jsonrpc": "2.0", "id": msg_id if valid_id(msg_id) else None, "error": answer})

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        """pygls's shutdown, cancelling pending work over a copy: a cancelled future is forgotten at
        once (below), which would change the dict pygls iterates over."""
        if (user_handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield user_handler, args, None
        current = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current and not future.done():
                future.cancel()
        self._shutdown = True

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Callable[[Future[Any]], None],
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        def forget_then(future: Future[Any]) -> None:
            if self._request_futures.get(msg_id) is future:
                del self._request_futures[msg_id]  # pygls forgets only those of requests
            callback(future)

        super()._execute_handler(msg_id, handler, forget_then, args, kwargs)


def _id_of(data: object) -> Id:
    if isinstance(data, dict) and valid_id(data.get("id")):
        value: Id = data.get("id")
        return value
    return None
