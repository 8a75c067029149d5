"""Bad input never crashes or hangs the server."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import SERVER, URI, change, diagnostics_for, doc_id, open_doc, pos


async def test_requests_for_unknown_documents_are_empty(client: LanguageClient) -> None:
    other = types.TextDocumentIdentifier(uri="file:///nowhere/Dockerfile")
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=other, position=pos(0, 0))
    )
    assert isinstance(completion, types.CompletionList) and list(completion.items) == []
    assert await client.text_document_hover_async(types.HoverParams(text_document=other, position=pos(0, 0))) is None
    assert (
        await client.text_document_definition_async(types.DefinitionParams(text_document=other, position=pos(0, 0)))
        is None
    )
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=other))
    assert symbols == []


async def test_positions_past_the_end(client: LanguageClient) -> None:
    open_doc(client, "FROM alpine AS a\nFROM alpine\nCOPY --from=")
    for position in (pos(2, 500), pos(99, 0), pos(99, 99)):
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc_id(), position=position)
        )
        assert isinstance(result, types.CompletionList)
        assert [item.label for item in result.items] == ["a"]
        assert (
            await client.text_document_hover_async(types.HoverParams(text_document=doc_id(), position=position)) is None
        )


async def test_change_before_open_is_ignored(client: LanguageClient) -> None:
    change(client, 0, 0, 0, 0, "FROM x\n", version=5, uri="file:///not/open/Dockerfile")
    open_doc(client, "FROM alpine AS a\nFROM alpine\nCOPY --from=a /x /x\n")
    await diagnostics_for(client, URI)


async def test_binary_junk_and_half_typed_text(client: LanguageClient) -> None:
    junk = bytes(range(1, 256)).decode("latin-1") * 20
    open_doc(client, junk + "\nFROM \nCOPY --from\nRUN --mount=\nONBUILD\nARG\n")
    diagnostics = await diagnostics_for(client, where=lambda d: bool(d))
    assert diagnostics  # reported, not crashed
    result = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc_id()))
    assert result is not None


async def test_fifty_thousand_lines(client: LanguageClient) -> None:
    stage = "FROM golang:1.21 AS s{n}\nRUN go build -o /a{n}\nCOPY --from=s{p} /a{p} /a{p}\n"
    text = "".join(stage.format(n=n, p=max(n - 1, 0)) for n in range(1, 16668)) + "FROM scratch\nCOPY --from=s1 /a /a\n"
    open_doc(client, text)
    # a hang guard, not a speed target (lsp_bench measures that): a loaded 2-core CI machine needs >10 s
    await diagnostics_for(client, where=lambda d: True, timeout=120)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(), position=pos(50002, len("COPY --from=s1")))
    )
    assert isinstance(result, types.CompletionList) and [i.label for i in result.items] == ["s1"] + [
        f"s{n}" for n in range(10, 20)
    ] + [f"s{n}" for n in range(100, 200)] + [f"s{n}" for n in range(1000, 2000)] + [
        f"s{n}" for n in range(10000, 16668)
    ]


def _frame(payload: dict[str, Any] | bytes) -> bytes:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


def _read_message(stream: Any) -> dict[str, Any]:
    length = 0
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    message: dict[str, Any] = json.loads(stream.read(length))
    return message


def _read_response(stream: Any, request_id: int) -> dict[str, Any]:
    while True:
        message = _read_message(stream)
        if message.get("id") == request_id and "method" not in message:
            return message


def test_malformed_messages_cancellation_and_exit() -> None:
    process = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin and process.stdout
    try:
        process.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
        process.stdin.flush()
        assert "capabilities" in _read_response(process.stdout, 1)["result"]
        process.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        # a body that is not JSON, a request with broken params, an unknown method, a stray cancel
        process.stdin.write(_frame(b"{this is not json"))
        process.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"bogus": 1}}))
        process.stdin.write(_frame({"jsonrpc": "2.0", "id": 3, "method": "no/such/method", "params": {}}))
        process.stdin.write(_frame({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 99}}))
        process.stdin.flush()
        assert "error" in _read_response(process.stdout, 2)
        assert _read_response(process.stdout, 3)["error"]["code"] == -32601
        # still serving
        process.stdin.write(_frame({"jsonrpc": "2.0", "id": 4, "method": "shutdown", "params": None}))
        process.stdin.flush()
        assert _read_response(process.stdout, 4)["result"] is None
        process.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit", "params": None}))
        process.stdin.flush()
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_exit_without_shutdown_exits_1() -> None:
    process = subprocess.run(
        SERVER, input=_frame({"jsonrpc": "2.0", "method": "exit", "params": None}), capture_output=True, timeout=30
    )
    assert process.returncode == 1


def test_closed_stdin_ends_the_server() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", "serve"], input=b"", capture_output=True, timeout=30
    )
    assert process.returncode in (0, 1)


def test_cancel_request_is_honoured(tmp_path: Any) -> None:
    """A hover waiting on a registry that never answers is cancelled by $/cancelRequest."""
    import socket
    import time

    hanging = socket.socket()
    hanging.bind(("127.0.0.1", 0))
    hanging.listen(8)  # accepts connections, never answers
    host = f"127.0.0.1:{hanging.getsockname()[1]}"
    options = {
        "sizes": {
            "online": True,
            "useEngine": False,
            "insecureRegistries": [host],
            "hoverWaitMs": 20000,
            "timeoutMs": 20000,
            "cacheDir": str(tmp_path),
        }
    }
    process = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin and process.stdout
    try:
        process.stdin.write(
            _frame(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"capabilities": {}, "initializationOptions": options},
                }
            )
        )
        process.stdin.flush()
        _read_response(process.stdout, 1)
        text = f"FROM {host}/team/app:1\n"
        process.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        process.stdin.write(
            _frame(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didOpen",
                    "params": {
                        "textDocument": {
                            "uri": "file:///c/Dockerfile",
                            "languageId": "dockerfile",
                            "version": 1,
                            "text": text,
                        }
                    },
                }
            )
        )
        process.stdin.write(
            _frame(
                {
                    "jsonrpc": "2.0",
                    "id": 2,
                    "method": "textDocument/hover",
                    "params": {
                        "textDocument": {"uri": "file:///c/Dockerfile"},
                        "position": {"line": 0, "character": 8},
                    },
                }
            )
        )
        process.stdin.flush()
        time.sleep(0.5)
        started = time.monotonic()
        process.stdin.write(_frame({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 2}}))
        process.stdin.flush()
        response = _read_response(process.stdout, 2)
        assert response["error"]["code"] == -32800  # RequestCancelled
        assert time.monotonic() - started < 5
        process.stdin.write(_frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None}))
        process.stdin.flush()
        assert "result" in _read_response(process.stdout, 3)
    finally:
        process.kill()
        process.wait()
        hanging.close()
