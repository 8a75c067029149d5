"""The language server as a subprocess, spoken to in raw JSON-RPC frames, with a timeout on every
wait so a hang fails loudly instead of blocking the run."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

SERVER = [sys.executable, "-m", "dockerfile_stages", "serve"]
Message = dict[str, Any]
STARTUP_S = 60.0  # importing lsprotocol alone takes seconds on a loaded machine


class ServerGone(Exception):
    """The server closed its output or did not answer in time."""


def frame(payload: Message | bytes) -> bytes:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


@dataclass
class RawServer:
    env: dict[str, str] | None = None
    process: subprocess.Popen[bytes] = field(init=False)
    messages: queue.Queue[tuple[float, Message | None]] = field(init=False, default_factory=queue.Queue)
    next_id: int = field(init=False, default=1000)
    last_received: float = field(init=False, default=0.0)  # when the message next_message gave last arrived

    def __post_init__(self) -> None:
        env = {**os.environ, **(self.env or {})}
        self.process = subprocess.Popen(
            SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr_lines: list[bytes] = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            while True:
                length = -1
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                body = stream.read(length)
                self.messages.put((time.monotonic(), json.loads(body)))
        finally:
            self.messages.put((time.monotonic(), None))

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr_lines.append(line)

    def send_bytes(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: Message | bytes) -> None:
        self.send_bytes(frame(message))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any = None, timeout: float = 30.0) -> Message:
        """Send a request and wait for its response (other messages are skipped)."""
        self.next_id += 1
        request_id = self.next_id
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return self.response(request_id, timeout)

    def response(self, request_id: Any, timeout: float = 30.0) -> Message:
        deadline = time.monotonic() + timeout
        while True:
            message = self.next_message(deadline - time.monotonic())
            if "method" not in message and message.get("id") == request_id:
                return message
            if "method" in message and "id" in message:  # a request from the server: answer it
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def next_message(self, timeout: float) -> Message:
        try:
            self.last_received, message = self.messages.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            raise ServerGone(f"no message within the time allowed; stderr: {self.stderr_text()[-2000:]}") from None
        if message is None:
            raise ServerGone(f"the server closed its output; stderr: {self.stderr_text()[-2000:]}")
        return message

    def initialize(self, options: Any = None, capabilities: Any = None, **params: Any) -> Message:
        answer = self.request(
            "initialize",
            {"processId": None, "capabilities": capabilities or {}, "initializationOptions": options, **params},
            timeout=STARTUP_S,
        )
        self.notify("initialized", {})
        return answer

    def open(self, uri: str, text: str, version: int = 1) -> None:
        item = {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})

    def stop(self, timeout: float = 10.0) -> int:
        """shutdown, exit, and the exit status; killed (and reported) if it does not end in time."""
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout)
                self.notify("exit")
            return self.process.wait(timeout=timeout)
        finally:
            self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):  # the pipe is already broken: nothing to flush
                    stream.close()

    def stderr_text(self) -> str:
        return b"".join(self.stderr_lines).decode(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None
