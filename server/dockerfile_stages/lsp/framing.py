"""The base protocol's framing (``Content-Length: N`` headers, a blank line, N bytes of JSON), read
so that no byte sequence can stop the server.

pygls's reader dies on ``Content-Length: 99999999999999999999`` (OverflowError) or a length of
100 GB (MemoryError), and after junk without a newline, a lowercase header or a negative length it
stays alive but never answers again. This parser accepts header names in any case, refuses lengths
that are not plain decimal numbers or exceed ``MAX_BODY_BYTES``, bounds a header block, and after
anything it refuses, scans ahead for the next ``Content-Length:`` so the next good message is read.
It does no I/O: ``feed`` bytes, get bodies and problems back; ``serve_stdio`` and ``serve_tcp``
pump real streams through it into the protocol. Importing this module imports no asyncio, pygls,
logging or msgspec: ``lsp/bootstrap.py`` reads the first message with it before those are loaded.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

if TYPE_CHECKING:
    import asyncio

    from pygls.server import JsonRPCServer

MAX_BODY_BYTES = 64 * 1024 * 1024  # a didOpen of the largest Dockerfile we read (16 MiB), escaped, fits
MAX_HEADER_BYTES = 8 * 1024  # the whole header block; real ones are under 100 bytes
_MARKER = b"content-length:"
_MARKER_SEARCH = re.compile(re.escape(_MARKER), re.IGNORECASE)  # a literal: linear, no backtracking
_READ_SIZE = 64 * 1024
MAX_QUEUED_CHUNKS = 16  # standard input read ahead of the event loop: at most 1 MiB


class FramingProblem(NamedTuple):
    """Bytes that were skipped, and why (logged; there is no request id to answer)."""

    reason: str
    skipped: int


Event = bytes | FramingProblem


class FrameParser:
    __slots__ = ("_buffer", "_length", "max_body", "max_header")

    def __init__(self, max_body: int = MAX_BODY_BYTES, max_header: int = MAX_HEADER_BYTES) -> None:
        self.max_body = max_body
        self.max_header = max_header
        self._buffer = bytearray()
        self._length: int | None = None  # the body length once its header block is read

    def feed(self, data: bytes) -> list[Event]:
        """Add bytes; return each complete body and each problem, in stream order."""
        self._buffer += data
        events: list[Event] = []
        while True:
            if self._length is not None:
                if len(self._buffer) < self._length:
                    return events
                events.append(bytes(self._buffer[: self._length]))
                del self._buffer[: self._length]
                self._length = None
            problem = self._read_headers()
            if problem is not None:
                events.append(problem)
            elif self._length is None:
                return events  # a header block is not complete yet

    def _read_headers(self) -> FramingProblem | None:
        """Parse the header block at the start of the buffer, if it is complete: sets the body
        length, or drops the bad bytes up to the next possible header and says why."""
        buffer = self._buffer
        while buffer[:1] == b"\n" or buffer[:2] == b"\r\n":  # blank lines between messages are harmless
            del buffer[: 1 if buffer[:1] == b"\n" else 2]
        block = _header_block(buffer, self.max_header)
        if block is None:
            if len(buffer) > self.max_header:
                return self._resync("a header block longer than 8 KiB, or junk without a newline")
            return None
        lines, consumed = block
        length, problem, well_formed = _content_length(lines, self.max_body)
        if problem is not None:
            # A refused length: skip its whole block. A line that is no header: junk may have run
            # into a real header, so look for one inside the block too.
            return self._resync(problem, after=consumed if well_formed else 1)
        del buffer[:consumed]
        self._length = length
        return None

    def _resync(self, reason: str, after: int = 1) -> FramingProblem:
        """Drop bytes up to the next ``Content-Length:`` (any case) from ``after`` on; with none in
        sight, keep only a tail that may be the start of one still arriving."""
        found = _MARKER_SEARCH.search(self._buffer, after)
        tail = _partial_marker(self._buffer)
        skipped = found.start() if found is not None else max(after, len(self._buffer) - tail)
        del self._buffer[:skipped]
        return FramingProblem(reason, skipped)


def _header_block(buffer: bytearray, limit: int) -> tuple[list[bytes], int] | None:
    """The header lines and the bytes they take, once a blank line ends them (``\\r\\n`` or ``\\n``)."""
    lines: list[bytes] = []
    start = 0
    while True:
        newline = buffer.find(b"\n", start, limit + 4)
        if newline < 0:
            return None
        line = bytes(buffer[start:newline]).rstrip(b"\r")
        start = newline + 1
        if not line:
            return lines, start
        lines.append(line)


def _partial_marker(buffer: bytearray) -> int:
    """How many trailing bytes could be the beginning of ``Content-Length:``."""
    tail = bytes(buffer[-(len(_MARKER) - 1) :]).lower()
    return next((n for n in range(len(tail), 0, -1) if _MARKER.startswith(tail[-n:])), 0)


def _token(text: bytes) -> bool:
    return all(33 <= byte < 127 and byte != ord(":") for byte in text)


def _content_length(lines: list[bytes], max_body: int) -> tuple[int, str | None, bool]:
    """The Content-Length of a header block, or why the block is refused (and whether its lines
    were all ``Name: value`` with a Content-Length among them)."""
    length: int | None = None
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not name or not _token(name):
            return 0, "a header line that is not 'Name: value'", False
        if name.lower() != b"content-length":
            continue  # Content-Type, and anything else, is allowed and ignored
        text = value.strip()
        if not text.isdigit() or len(text) > 12:
            return 0, f"a Content-Length that is not a length ({text[:20]!r})", True
        number = int(text)
        if number > max_body:
            return 0, f"a Content-Length over {max_body // (1024 * 1024)} MiB ({number})", True
        if length is not None and length != number:
            return 0, "two different Content-Length headers", True
        length = number
    if length is None:
        return 0, "a header block without Content-Length", False
    return length, None, True


# -- pumping real streams through the parser --------------------------------------------------------------


def deliver(event: Event, handle: Callable[[bytes], None]) -> None:
    """A body to ``handle``; a problem to the log."""
    if isinstance(event, FramingProblem):
        import logging

        logging.getLogger(__name__).warning("skipped %d bytes of input: %s", event.skipped, event.reason)
    elif event:
        handle(event)


async def pump(
    read: Callable[[], Awaitable[bytes]],
    handle: Callable[[bytes], None],
    stop: threading.Event,
    parser: FrameParser | None = None,
) -> None:
    """Read until end of input (or ``stop``), handing each complete body to ``handle``; ``parser``
    may hold the start of a message already (read by the bootstrap)."""
    parser = parser or FrameParser()
    while not stop.is_set():
        chunk = await read()
        if not chunk:
            return
        for event in parser.feed(chunk):
            deliver(event, handle)


def serve_stdio(
    server: JsonRPCServer,
    handle: Callable[[bytes], None],
    stdin: BinaryIO | None = None,
    parser: FrameParser | None = None,
    replay: Callable[[], None] | None = None,
) -> None:
    """pygls's ``start_io`` with this framing. Standard input is read on a daemon thread, so a
    client that keeps it open after ``exit`` cannot hold the process. ``replay`` runs first, on the
    event loop (the messages the bootstrap read), then reading goes on with its ``parser``."""
    import asyncio
    import logging

    from pygls.io_ import StdoutWriter

    stream = stdin or sys.stdin.buffer
    server._stop_event = stop = threading.Event()
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))

    async def main() -> None:
        chunks = StdinChunks(stream, asyncio.get_running_loop())
        if replay is not None:
            replay()
        chunks.start()
        await pump(chunks.get, handle, stop, parser)

    try:
        asyncio.run(main())
    except BrokenPipeError:
        logging.getLogger(__name__).error("the client closed its end; stopping")
    except (KeyboardInterrupt, SystemExit):
        pass  # exit notification, or interrupted
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]


class StdinChunks:
    """Standard input read on a daemon thread, at most ``limit`` chunks ahead of the event loop.

    A client that sends faster than the server handles (a flood, or a burst while a large answer is
    built) is held back by the pipe once ``limit`` chunks wait: the thread stops reading, the pipe
    fills, and the client's writes block. Nothing is dropped, and unread input costs at most
    ``limit`` x 64 KiB here (a message being framed is held by the parser, up to ``MAX_BODY_BYTES``).
    """

    def __init__(self, stream: BinaryIO, loop: asyncio.AbstractEventLoop, limit: int = MAX_QUEUED_CHUNKS) -> None:
        import asyncio

        self._read = _raw_reader(stream)
        self._loop = loop
        self._queue: asyncio.Queue[bytes] = asyncio.Queue()
        self._slots = threading.Semaphore(limit)  # one per chunk read and not yet taken by ``get``

    def start(self) -> None:
        threading.Thread(target=self._run, name="stdin", daemon=True).start()

    async def get(self) -> bytes:
        """The next chunk (b"" at the end of input)."""
        chunk = await self._queue.get()
        self._slots.release()
        return chunk

    def _run(self) -> None:
        try:
            while True:
                self._slots.acquire()
                chunk = self._read(_READ_SIZE)
                self._loop.call_soon_threadsafe(self._queue.put_nowait, chunk)
                if not chunk:
                    return
        except (OSError, ValueError, RuntimeError):  # closed input, or the loop already gone
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting
                self._loop.call_soon_threadsafe(self._queue.put_nowait, b"")


def _raw_reader(stream: BinaryIO) -> Callable[[int], bytes]:
    """Reads straight from the file descriptor where there is one: a thread blocked in a buffered
    read holds the buffer's lock, and the interpreter aborts at exit when it cannot take it."""
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return getattr(stream, "read1", stream.read)
    return lambda size: os.read(descriptor, size)


def serve_tcp(server: JsonRPCServer, handle: Callable[[bytes], None], host: str, port: int) -> None:
    """pygls's ``start_tcp`` with this framing (one client at a time, as pygls serves)."""
    import asyncio

    server._stop_event = stop = threading.Event()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.protocol.set_writer(writer)
        await pump(lambda: reader.read(_READ_SIZE), handle, stop)
        server.shutdown()  # type: ignore[no-untyped-call]

    async def main() -> None:
        server._server = await asyncio.start_server(connection, host, port)
        async with server._server:
            await server._server.serve_forever()

    with contextlib.suppress(asyncio.CancelledError, KeyboardInterrupt, SystemExit):
        asyncio.run(main())
