"""The bootstrap (lsp/bootstrap.py) answers initialize and publishes the first diagnostics before
pygls loads; the full server then carries on as if it had done so itself. In process for the
capabilities (the bootstrap's JSON against pygls's builder), over stdio for the handover."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from dockerfile_stages.lsp.capabilities import initialize_result

from ..fuzz.raw_lsp import RawServer, ServerGone, frame
from ..fuzz.session import Session

URI = "file:///bootstrap/project/Dockerfile"
TEXT = "FROM alpine AS unused\nFROM golang:1 AS build\nRUN go build\nFROM alpine\nMAINTAINER me\nCOPY --from=b /a /a\n"
OPTIONS = {"sizes": {"online": False}, "diagnostics": {"delayMs": 0}}

CLIENTS: list[dict[str, Any]] = [
    {},
    {"general": {"positionEncodings": ["utf-8"]}},
    {"general": {"positionEncodings": ["utf-32", "utf-8", "utf-16"]}},
    {"general": {"positionEncodings": ["latin-1", "utf-32"]}},
    {"general": {"positionEncodings": ["latin-1"]}},
    {"general": {"positionEncodings": []}},
    {"general": {}},
    {"textDocument": {"rename": {"prepareSupport": True}}},
    {"textDocument": {"rename": {"prepareSupport": False, "dynamicRegistration": True}}},
    {"textDocument": {"synchronization": {"willSave": True, "willSaveWaitUntil": False, "didSave": True}}},
    {"textDocument": {"synchronization": {"willSave": False}}},
    {"textDocument": {"diagnostic": {"dynamicRegistration": False}, "completion": {"completionItem": {}}}},
    {"notebookDocument": {"synchronization": {}}},
    {"workspace": {"fileOperations": dict.fromkeys(["willCreate", "didCreate", "willRename", "didRename"], True)}},
    {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}, "codeLens": {"refreshSupport": True}}},
    {"window": {"workDoneProgress": True}},
]


@pytest.fixture
async def session() -> AsyncIterator[Session]:
    started = Session.start()
    yield started
    started.close_server()


@pytest.mark.parametrize("client", CLIENTS, ids=[json.dumps(client)[:60] for client in CLIENTS])
async def test_the_bootstrap_advertises_what_pygls_builds(session: Session, client: dict[str, Any]) -> None:
    answer = await session.initialize(**client)
    assert answer["result"] == initialize_result(client)


def pipelined_session(
    env: dict[str, str] | None = None, between: tuple[dict[str, Any], ...] = ()
) -> tuple[list[dict[str, Any]], int, str]:
    """initialize, initialized (then ``between``) and didOpen at once, so the bootstrap finds the
    didOpen waiting; then completion and shutdown. Every message the server sent, its exit status,
    its log."""
    server = RawServer(env={"DOCKERFILE_STAGES_LOG_LEVEL": "debug", **(env or {})})
    try:
        initialize = {"processId": None, "capabilities": {"general": {"positionEncodings": ["utf-32"]}}}
        item = {"uri": URI, "languageId": "dockerfile", "version": 1, "text": TEXT}
        server.send_bytes(
            frame(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {**initialize, "initializationOptions": OPTIONS},
                }
            )
            + frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            + b"".join(frame(message) for message in between)
            + frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}})
        )
        seen: list[dict[str, Any]] = []
        answer_to(server, 1, seen)
        position = {"textDocument": {"uri": URI}, "position": {"line": 5, "character": 12}}
        server.send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/completion", "params": position})
        answer_to(server, 2, seen)
        server.send({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
        answer_to(server, 3, seen)
        server.notify("exit")
        status = server.process.wait(timeout=30)
        with contextlib.suppress(ServerGone):  # the output ended: every message is in
            while True:
                seen.append(server.next_message(10))
        return seen, status, server.stderr_text()
    finally:
        server.kill()


def answer_to(server: RawServer, request_id: int, seen: list[dict[str, Any]]) -> dict[str, Any]:
    """Read (keeping every message in ``seen``) until the answer to ``request_id``."""
    while True:
        message = server.next_message(60)
        seen.append(message)
        if message.get("id") == request_id and "method" not in message:
            return message


def answer_to_id(messages: list[dict[str, Any]], request_id: int) -> dict[str, Any]:
    return next(m for m in messages if m.get("id") == request_id and "method" not in m)


def publishes(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["params"] for m in messages if m.get("method") == "textDocument/publishDiagnostics"]


def test_a_session_after_the_handover_is_the_full_servers_session() -> None:
    early, early_status, log = pipelined_session()
    full, full_status, _ = pipelined_session({"DOCKERFILE_STAGES_BOOTSTRAP": "0"})
    assert "diagnostics published before the server loaded" in log  # the early path ran...
    assert "differs" not in log and "Traceback" not in log
    assert early_status == full_status == 0
    assert answer_to_id(early, 1) == answer_to_id(full, 1)  # ...and answered initialize as the full server does
    assert answer_to_id(early, 1)["result"]["capabilities"]["positionEncoding"] == "utf-32"
    assert [m.get("id") for m in early if "method" not in m].count(1) == 1  # answered once
    assert publishes(early) == publishes(full)  # the same diagnostics, once, not twice
    assert len(publishes(early)) == 1
    assert "maintainer-deprecated" in [item["data"]["rule"] for item in publishes(early)[0]["diagnostics"]]
    completions = [answer_to_id(messages, 2)["result"] for messages in (early, full)]
    assert completions[0] == completions[1] and completions[0]["items"]  # completion after the handover


def test_settings_sent_before_the_first_didopen_count_in_the_early_diagnostics() -> None:
    ignore = {"dockerfileStages": {"diagnostics": {"ignore": ["maintainer-deprecated"]}}}
    between = (
        {"jsonrpc": "2.0", "method": "$/setTrace", "params": {"value": "off"}},
        {"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"settings": ignore}},
    )
    early, _, log = pipelined_session(between=between)
    full, _, _ = pipelined_session({"DOCKERFILE_STAGES_BOOTSTRAP": "0"}, between)
    assert "diagnostics published before the server loaded" in log
    codes = [item["data"]["rule"] for item in publishes(early)[0]["diagnostics"]]
    assert codes and "maintainer-deprecated" not in codes  # the setting applied to the early publish
    assert publishes(early)[:1] == publishes(full)[:1]  # as the full server publishes it


def test_a_request_before_initialize_is_refused_through_the_bootstrap() -> None:
    server = RawServer()
    try:
        refused = server.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}}, timeout=60)
        assert refused["error"]["code"] == -32002
        assert "capabilities" in server.initialize(OPTIONS)["result"]
        again = server.request("initialize", {"capabilities": {}})
        assert again["error"]["code"] == -32600  # a second initialize
        assert server.stop() == 0
    finally:
        server.kill()


def test_junk_before_initialize_is_skipped_and_initialize_answered() -> None:
    server = RawServer()
    try:
        server.send_bytes(b"garbage without a header\r\n\r\n" + frame(b"{not json"))
        assert server.next_message(60)["error"]["code"] == -32700
        assert "capabilities" in server.initialize(OPTIONS)["result"]
        server.open(URI, TEXT)
        symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
        assert [s["name"] for s in symbols["result"]][:1] == ["unused"]
        assert server.stop() == 0
    finally:
        server.kill()


def test_capabilities_lsprotocol_refuses_still_give_a_working_session() -> None:
    """The bootstrap answers what it understands; the server, refusing the real params, starts from
    what was answered instead of from nothing."""
    server = RawServer()
    try:
        capabilities = {"general": {"positionEncodings": ["utf-8"]}, "textDocument": 5}  # cattrs refuses a number
        answer = server.initialize(OPTIONS, capabilities)
        assert answer["result"]["capabilities"]["positionEncoding"] == "utf-8"
        server.open(URI, "FROM alpine AS é\nFROM é\n")
        definition = server.request(
            "textDocument/definition", {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 5}}
        )
        assert definition["result"]["range"]["end"] == {"line": 0, "character": 17}  # UTF-8: é is 2 bytes
        assert server.stop() == 0
        assert "carrying on with the capabilities answered" in server.stderr_text()
    finally:
        server.kill()


def wait_for_log(server: RawServer, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in server.stderr_text():
            return True
        time.sleep(0.05)
    return text in server.stderr_text()


@pytest.mark.parametrize("online", [True, False])
def test_network_clients_load_in_the_background_after_initialized(online: bool) -> None:
    """Issue 15 item 6: httpx is imported on a thread once initialized, not by the first hover; with
    sizes offline it is not imported at all."""
    server = RawServer(env={"DOCKERFILE_STAGES_LOG_LEVEL": "debug", "DOCKERFILE_STAGES_OFFLINE": "0"})
    try:
        server.initialize({"sizes": {"online": online, "useEngine": False}})
        server.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})  # initialized was handled
        assert wait_for_log(server, "network clients loaded", 60 if online else 1) is online
        assert server.stop() == 0
    finally:
        server.kill()
