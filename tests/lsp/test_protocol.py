"""JSON-RPC and lifecycle rules, and the framing, on the real server: in process for the message
rules (fast, and the protocol's own state is visible), over stdio for the framing and the exit."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from dockerfile_stages.lsp.semantic_tokens import SentTokens
from dockerfile_stages.workspace.background import BackgroundContext

from ..fuzz.raw_lsp import RawServer, frame
from ..fuzz.session import Session

URI = "file:///p/Dockerfile"
OPTIONS = {"sizes": {"online": False}, "diagnostics": {"delayMs": 0}}


@pytest.fixture
async def session() -> AsyncIterator[Session]:
    started = Session.start()
    yield started
    started.close_server()


def error_of(answer: dict[str, Any]) -> tuple[int, Any]:
    assert "result" not in answer and "data" not in answer["error"], answer  # never a traceback
    return answer["error"]["code"], answer["id"]


@pytest.mark.parametrize(
    ("message", "expected_id"),
    [
        ({"jsonrpc": "2.0", "id": {"an": "object"}, "method": "textDocument/hover", "params": {}}, None),
        ({"jsonrpc": "2.0", "id": [1], "method": "shutdown"}, None),
        ({"jsonrpc": "2.0", "id": True, "method": "shutdown"}, None),
        ({"jsonrpc": "2.0", "id": 7, "method": 42, "params": {}}, 7),
        ({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", "params": "text"}, 8),
        ({"jsonrpc": "1.0", "id": 9, "method": "shutdown"}, 9),
        ([{"jsonrpc": "2.0", "id": 10, "method": "shutdown"}], None),
        ("a string", None),
        ({"jsonrpc": "2.0"}, None),
    ],
)
async def test_invalid_messages_get_invalid_request(session: Session, message: Any, expected_id: Any) -> None:
    await session.initialize()
    before = len(session.written)
    session.send(message)
    assert len(session.written) == before + 1
    assert error_of(json.loads(session.written[-1].split(b"\r\n\r\n", 1)[1])) == (-32600, expected_id)
    assert "result" in await session.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})


async def test_a_body_that_is_not_json_gets_parse_error(session: Session) -> None:
    session.send(b"{not json")
    assert error_of(session.messages()[-1]) == (-32700, None)  # the one answer so far


async def test_requests_before_initialize_get_server_not_initialized(session: Session) -> None:
    session.open("FROM alpine AS a\n", URI)  # a notification before initialize: dropped
    assert error_of(await session.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})) == (
        -32002,
        session.next_id,
    )
    await session.initialize()
    symbols = await session.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
    assert symbols["result"] in (None, [])  # the early didOpen did not count


async def test_a_second_initialize_is_refused(session: Session) -> None:
    first = await session.initialize(general={"positionEncodings": ["utf-8"]})
    assert first["result"]["capabilities"]["positionEncoding"] == "utf-8"
    again = await session.request(
        "initialize", {"capabilities": {"general": {"positionEncodings": ["utf-32"]}}, "initializationOptions": {}}
    )
    assert error_of(again) == (-32600, session.next_id)
    session.open("FROM alpine AS é\nFROM é\n", URI)
    definition = await session.request(
        "textDocument/definition", {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 5}}
    )
    location = definition["result"][0] if isinstance(definition["result"], list) else definition["result"]
    assert location["range"]["end"]["character"] == 17  # still counted in UTF-8 bytes ("é" is two)


async def test_after_shutdown_requests_get_invalid_request(session: Session) -> None:
    await session.initialize()
    assert (await session.request("shutdown"))["result"] is None
    assert error_of(await session.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}}))[0] == -32600
    assert error_of(await session.request("shutdown"))[0] == -32600


async def test_notifications_sent_with_an_id_are_handled_and_answered(session: Session) -> None:
    await session.initialize()
    item = {"uri": URI, "languageId": "dockerfile", "version": 1, "text": "FROM alpine AS base\n"}
    session.send({"jsonrpc": "2.0", "id": "open-1", "method": "textDocument/didOpen", "params": {"textDocument": item}})
    assert (await session.answer("open-1"))["result"] is None
    symbols = await session.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
    assert [symbol["name"] for symbol in symbols["result"]] == ["base"]


async def test_a_lone_surrogate_in_a_heredoc(session: Session) -> None:
    await session.initialize()
    session.open("FROM alpine AS a\nRUN <<EOF\n\ud800 text\nEOF\nFROM a\nCOPY <<x /f\n\udfff\nx\n", URI)
    for method, params in [
        ("textDocument/codeLens", {"textDocument": {"uri": URI}}),
        ("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 4, "character": 5}}),
        ("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 2, "character": 0}}),
        ("textDocument/documentSymbol", {"textDocument": {"uri": URI}}),
    ]:
        assert "error" not in await session.request(method, params), method


async def test_notifications_leave_no_future_behind(session: Session) -> None:
    await session.initialize(OPTIONS)
    await session.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
    in_flight = set(session.protocol._request_futures)  # start-up work may still run
    for number in range(300):
        uri = f"file:///p/{number}/Dockerfile"
        session.open("FROM alpine\n", uri)
        change = {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "#"}
        session.notify(
            "textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]}
        )
        session.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    await session.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
    assert set(session.protocol._request_futures) <= in_flight  # pygls kept three per document, for ever


async def test_closing_documents_frees_their_build_contexts(session: Session) -> None:
    await session.initialize(OPTIONS)
    for number in range(200):  # each in a folder of its own, as over a long day
        uri = f"file:///contexts/{number}/Dockerfile"
        session.open("FROM alpine\nCOPY . /x\n", uri)
        await session.request("textDocument/codeLens", {"textDocument": {"uri": uri}})
        session.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    await session.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
    gc.collect()
    alive = [c for c in gc.get_objects() if isinstance(c, BackgroundContext) and c.root.parent.name == "contexts"]
    assert len(alive) <= 1, len(alive)  # every folder's context was kept for ever: 200


async def test_closing_documents_frees_their_semantic_tokens(session: Session) -> None:
    await session.initialize(OPTIONS)
    for number in range(200):
        uri = f"file:///tokens/{number}/Dockerfile"
        session.open("FROM alpine AS build\nRUN echo $HOME\n", uri)
        await session.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
        session.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        await asyncio.sleep(0)  # the loop's turn: the work queued for after the open runs
    await session.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
    gc.collect()
    alive = [state for state in gc.get_objects() if isinstance(state, SentTokens)]
    assert len(alive) <= 1, len(alive)  # the last tokens sent were kept for every closed document: 200


MALFORMED = [
    b"Content-Length: 99999999999999999999\r\n\r\n{}",
    b"Content-Length: 100000000000\r\n\r\n{}",
    b"Content-Length: -5\r\n\r\n{}",
    b"junk without a newline",
    b"\xff\xfe\x00junk\r\n\r\n",
]


def test_the_framing_resynchronises_over_stdio() -> None:
    server = RawServer()
    try:
        server.initialize({"sizes": {"online": False}})
        for junk in MALFORMED:
            server.send_bytes(junk)
            answer = server.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
            assert "result" in answer, junk
        lowercase = frame({"jsonrpc": "2.0", "id": "lower", "method": "shutdown"}).replace(
            b"Content-Length", b"content-length"
        )
        server.send_bytes(lowercase)
        assert server.response("lower")["result"] is None
        server.notify("exit")
        assert server.process.wait(timeout=10) == 0  # exits although standard input stays open
        assert "Traceback" not in server.stderr_text()
    finally:
        server.kill()


async def test_a_code_lens_request_works_the_estimates_out_once(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lenses' estimates were worked out twice per request, once to find the build-context
    sizes worth waiting for and again for the answer: a file of 6,666 stages read twice. With
    nothing to wait for, the answer is made of the first; after a wait, they are worked out again."""
    from dockerfile_stages.sizes import estimate

    calls: list[int] = []
    real = estimate.estimate_stages

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(estimate, "estimate_stages", counted)
    await session.initialize(OPTIONS)
    uri = "file:///lenses/Dockerfile"
    session.open("FROM golang:1.22 AS build\nRUN go build\nFROM alpine\nCOPY --from=build /a /a\n", uri)
    answer = await session.request("textDocument/codeLens", {"textDocument": {"uri": uri}})
    assert len(answer["result"]) >= 2
    assert len(calls) == 1
