"""The framing parser: any byte sequence, then a good message, and the good message is read."""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import threading
import time
from collections.abc import Callable

import pytest

from dockerfile_stages.lsp.framing import FrameParser, FramingProblem, StdinChunks

GOOD = b'{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}'


def frame(body: bytes, header: bytes = b"Content-Length") -> bytes:
    return header + b": " + str(len(body)).encode() + b"\r\n\r\n" + body


def bodies(parser: FrameParser, data: bytes, chunk: int = 0) -> list[bytes]:
    events = []
    if chunk:
        for start in range(0, len(data), chunk):
            events += parser.feed(data[start : start + chunk])
    else:
        events = parser.feed(data)
    return [event for event in events if isinstance(event, bytes)]


@pytest.mark.parametrize(
    "bad",
    [
        b"Content-Length: 99999999999999999999\r\n\r\n{}",  # OverflowError in pygls
        b"Content-Length: 100000000000\r\n\r\n{}",  # MemoryError in pygls
        b"Content-Length: -5\r\n\r\n{}",
        b"Content-Length: 5x\r\n\r\n{}",
        b"Content-Length:\r\n\r\n{}",
        b"junk without a newline",
        b"junk\r\n",
        b"\x00\xff\xfe" * 100,
        b"Content-Type: application/json\r\n\r\n{}",  # no length at all
        b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"X" * 20000,  # a header block that never ends
        b"Content-Length: 2\r\nnot a header\r\n\r\n{}",
    ],
)
@pytest.mark.parametrize("chunk", [0, 1, 7])
def test_resynchronises_on_the_next_message(bad: bytes, chunk: int) -> None:
    parser = FrameParser()
    assert bodies(parser, bad + frame(GOOD) + frame(GOOD), chunk)[-2:] == [GOOD, GOOD]


def test_lowercase_and_extra_headers_and_bare_newlines() -> None:
    data = frame(GOOD, b"content-length") + b"CONTENT-LENGTH: 2\nContent-Type: x\n\n{}" + b"\r\n" + frame(GOOD)
    assert bodies(FrameParser(), data) == [GOOD, b"{}", GOOD]


def test_problems_are_reported_with_what_was_skipped() -> None:
    events = FrameParser().feed(b"Content-Length: -1\r\n\r\n" + frame(GOOD))
    problems = [event for event in events if isinstance(event, FramingProblem)]
    assert problems and "not a length" in problems[0].reason and problems[0].skipped > 0
    assert events[-1] == GOOD


def test_a_body_may_contain_anything() -> None:
    body = json.dumps({"jsonrpc": "2.0", "method": "x", "params": "Content-Length: 5\r\n\r\n"}).encode()
    assert bodies(FrameParser(), frame(body) + frame(GOOD), 3) == [body, GOOD]


def test_random_junk_never_stops_the_reading() -> None:
    rng = random.Random(16)
    for _ in range(300):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
        if rng.random() < 0.3:
            junk += b"Content-Length: " + str(rng.randrange(-10, 10**15)).encode() + b"\r\n\r\n"
        parser = FrameParser(max_body=1 << 20)
        out = bodies(parser, junk + frame(GOOD) * 2, rng.choice([0, 1, 5, 64]))
        assert out[-1:] == [GOOD], junk  # the junk may swallow the first good message, never both


class _Chunks(io.RawIOBase):
    """Standard input with ``count`` chunks to give, counting the reads (no file descriptor)."""

    def __init__(self, count: int) -> None:
        self.sent = [f"chunk {index};".encode() for index in range(count)]
        self.reads = 0

    def read1(self, size: int = -1) -> bytes:
        self.reads += 1
        return self.sent[self.reads - 1] if self.reads <= len(self.sent) else b""


async def _until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the reader thread did not get there in time"
        await asyncio.sleep(0.01)


async def test_standard_input_is_read_at_most_a_few_chunks_ahead_and_nothing_is_dropped() -> None:
    stream = _Chunks(50)
    chunks = StdinChunks(stream, asyncio.get_running_loop(), limit=4)
    chunks.start()
    await _until(lambda: stream.reads == 4)
    await asyncio.sleep(0.2)
    assert stream.reads == 4  # waiting for the loop to take one
    got = [await chunks.get() for _ in range(51)]
    assert got == [*stream.sent, b""]  # every chunk, in order, then the end of input


async def test_a_client_that_floods_standard_input_is_held_back_by_the_pipe() -> None:
    read_end, write_end = os.pipe()
    message = frame(GOOD)
    flood = message * (4 * 1024 * 1024 // len(message))  # 4 MiB of requests
    written = 0

    def client() -> None:
        nonlocal written
        with os.fdopen(write_end, "wb", buffering=0) as out:
            view = memoryview(flood)
            while written < len(flood):
                written += out.write(view[written : written + 65536]) or 0

    with os.fdopen(read_end, "rb", buffering=0) as stdin:
        chunks = StdinChunks(stdin, asyncio.get_running_loop(), limit=2)
        chunks.start()
        sender = threading.Thread(target=client, daemon=True)
        sender.start()
        await _until(lambda: written > 0)
        await asyncio.sleep(0.3)
        # two chunks taken from the pipe and the pipe's own buffer: the client's write blocks
        assert written <= 2 * 65536 + 1024 * 1024
        received = bytearray()
        while chunk := await chunks.get():
            received += chunk
        sender.join(10)
    assert bytes(received) == flood
