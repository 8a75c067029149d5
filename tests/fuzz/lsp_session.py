"""The LSP session fuzzer: random sessions against the server over stdio (the real framing), with
malformed frames and messages, lifecycle misuse and cancellation storms mixed into ordinary
editing. Every request with a usable id must be answered within a bound, never with -32603, and
the server must be alive until the session's own exit."""

from __future__ import annotations

import random
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

from .analysis import FRAGMENTS, generated
from .raw_lsp import STARTUP_S, RawServer, ServerGone, frame

ANSWER_BOUND_S = 20.0  # generous for a loaded machine; a hang is minutes
DIAGNOSTICS_DELAY_MS = 0  # no debounce: every change is analysed and published, the hardest case
SLOW_S = 0.5  # an answer slower than this is listed with what was sent before it
JUNK = [
    b"Content-Length: 99999999999999999999\r\n\r\n{}",
    b"Content-Length: 100000000000\r\n\r\n",
    b"Content-Length: -5\r\n\r\n{}",
    b"content-length: 2\r\n\r\n{}",
    b"junk without a newline",
    b"\xff\xfe\x00\r\n\r\n",
    b"Content-Length: 3\r\n\r\n{x}",
    b"Content-Length: 10\r\nContent-Length: 11\r\n\r\n0123456789",
]
BAD_MESSAGES: list[Any] = [
    {"jsonrpc": "2.0", "id": {"an": "object"}, "method": "textDocument/hover", "params": {}},
    {"jsonrpc": "2.0", "id": 1.5, "method": "textDocument/hover"},
    {"jsonrpc": "2.0", "method": 42},
    {"jsonrpc": "1.0", "method": "initialized"},
    [1, 2, 3],
    "text",
    None,
    {"jsonrpc": "2.0", "method": "textDocument/hover", "params": "not an object"},
    {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": {"x": 1}}},
    {"jsonrpc": "2.0", "id": "r", "result": 1},  # a response to nothing
]


def _at(position: dict[str, int]) -> dict[str, Any]:
    return {"position": position}


def _whole(position: dict[str, int]) -> dict[str, Any]:
    return {"range": {"start": {"line": 0, "character": 0}, "end": position}}


# each method asked, and its parameters beside the document (from a random position)
_ASKED: dict[str, Any] = {
    "textDocument/completion": _at,
    "textDocument/hover": _at,
    "textDocument/definition": _at,
    "textDocument/documentSymbol": lambda position: {},
    "textDocument/codeLens": lambda position: {},
    "textDocument/semanticTokens/full": lambda position: {},
    "textDocument/foldingRange": lambda position: {},
    "textDocument/documentLink": lambda position: {},
    "textDocument/diagnostic": lambda position: {},
    "textDocument/documentHighlight": _at,
    "textDocument/references": lambda position: {"position": position, "context": {"includeDeclaration": True}},
    "textDocument/prepareRename": _at,
    "textDocument/rename": lambda position: {"position": position, "newName": "renamed"},
    "textDocument/selectionRange": lambda position: {"positions": [position, {"line": 0, "character": 0}]},
    "textDocument/inlayHint": _whole,
    "textDocument/formatting": lambda position: {"options": {"tabSize": 4, "insertSpaces": True}},
    "textDocument/codeAction": lambda position: {**_whole(position), "context": {"diagnostics": []}},
    "workspace/symbol": lambda position: {},
}


@dataclass
class SessionFigures:
    sessions: int = 0
    messages: int = 0
    requests: int = 0
    answered: int = 0
    internal_errors: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    deaths: list[str] = field(default_factory=list)
    worst_answer_s: float = 0.0
    worst_request: str = ""  # the method of the slowest answer, and the session's seed
    worst_by_method: dict[str, float] = field(default_factory=dict)
    slow: list[str] = field(default_factory=list)  # answers over SLOW_S: what came just before them

    def answer(self, method: str, seconds: float, seed: int, before: str = "") -> None:
        self.answered += 1
        if seconds > SLOW_S:
            self.slow.append(f"{seconds * 1000:6.0f} ms {method} (seed {seed}; sent after: {before})")
            self.slow.sort(reverse=True)
        self.worst_by_method[method] = max(self.worst_by_method.get(method, 0.0), seconds)
        if seconds > self.worst_answer_s:
            self.worst_answer_s = seconds
            self.worst_request = f"{method}, seed {seed}"

    def summary(self) -> str:
        slowest = sorted(self.worst_by_method.items(), key=lambda item: -item[1])[:4]
        return (
            f"lsp sessions: {self.sessions} sessions, {self.messages} messages, {self.requests} requests "
            f"({self.answered} answered), {len(self.internal_errors)} internal errors, {len(self.unanswered)} "
            f"unanswered, {len(self.deaths)} server deaths, worst answer {self.worst_answer_s * 1000:.0f} ms "
            f"({self.worst_request}); worst per method: "
            + ", ".join(f"{method} {seconds * 1000:.0f} ms" for method, seconds in slowest)
        )


@dataclass
class _Open:
    uri: str
    text: str
    version: int = 1


class _Driver:
    def __init__(self, server: RawServer, rng: random.Random, figures: SessionFigures, seed: int = 0) -> None:
        self.server = server
        self.seed = seed
        self.rng = rng
        self.figures = figures
        self.pending: dict[Any, tuple[str, float, str]] = {}
        self.recent: list[str] = []  # what was sent lately, to say what a slow answer waited behind
        self.docs: list[_Open] = []
        self.next_id = 0

    def request(self, method: str, params: Any, label: str = "") -> int:
        self.next_id += 1
        self.server.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        self.pending[self.next_id] = (f"{method} {label}".strip(), time.monotonic(), " | ".join(self.recent[-6:]))
        self.figures.requests += 1
        return self.next_id

    def drain(self, wait_s: float = 0.0) -> None:
        """Take every message that has arrived (waiting up to ``wait_s`` for the first)."""
        deadline = time.monotonic() + wait_s
        while True:
            try:
                message = self.server.next_message(max(0.0, deadline - time.monotonic()))
            except ServerGone:
                if not self.server.alive():
                    raise
                return
            self.note(message)
            deadline = time.monotonic()

    def note(self, message: dict[str, Any]) -> None:
        if "method" in message:
            if "id" in message:  # a request from the server (progress, refresh): answer it
                self.server.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            return
        entry = self.pending.pop(message.get("id"), None)
        if entry is None:
            return
        method, sent, before = entry
        arrived = self.server.last_received  # not when read: the driver drains only now and then
        self.figures.answer(method, arrived - sent, self.seed, before)
        error = message.get("error")
        if error is not None and error.get("code") == -32603:
            self.figures.internal_errors.append(f"{method}: {error.get('message')}")

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.12 or not self.docs:
            self.open()
            step = f"open ({len(self.docs[-1].text)} chars)"
        elif roll < 0.45:
            step = f"edit ({self.edit()} chars)"
        elif roll < 0.75:
            step = self.ask()
        elif roll < 0.82:
            self.cancel_storm()
            step = "cancel storm"
        elif roll < 0.88:
            junk = self.rng.choice(JUNK)
            self.server.send_bytes(junk)
            step = f"junk {junk[:24]!r}"
        elif roll < 0.94:
            bad = self.rng.choice(BAD_MESSAGES)
            self.server.send(bad)
            step = f"bad message {str(bad)[:40]}"
        elif roll < 0.955:
            self.request("initialize", {"capabilities": {}})  # a second initialize: refused
            step = "initialize again"
        elif roll < 0.965:
            step = self.flood()
        elif roll < 0.97:
            step = self.open_many_stages()
        else:
            self.close()
            step = "close"
        self.figures.messages += 1
        self.recent = [*self.recent[-10:], step]

    def open(self) -> None:
        doc = _Open(
            f"file:///session/{self.rng.randrange(10**9)}/Dockerfile",
            generated(self.rng, long_shapes=False).replace("\r", ""),
        )
        self.docs.append(doc)
        self.server.open(doc.uri, doc.text)

    def edit(self) -> int:
        doc = self.rng.choice(self.docs)
        lines = doc.text.split("\n")
        line = self.rng.randrange(len(lines))
        column = self.rng.randrange(len(lines[line]) + 1)
        insert = self.rng.choice(FRAGMENTS).replace("\r", "")
        lines[line] = lines[line][:column] + insert + lines[line][column:]
        doc.text = "\n".join(lines)
        doc.version += 1
        utf16 = len(lines[line][:column].encode("utf-16-le", "surrogatepass")) // 2
        change = {
            "range": {"start": {"line": line, "character": utf16}, "end": {"line": line, "character": utf16}},
            "text": insert,
        }
        self.server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": [change]},
        )
        return len(doc.text)

    def ask(self) -> str:
        doc = self.rng.choice(self.docs)
        line = self.rng.randrange(doc.text.count("\n") + 2)
        position = {"line": line, "character": self.rng.randrange(60)}
        method = self.rng.choice(sorted(_ASKED))
        params: dict[str, Any] = {"textDocument": {"uri": doc.uri}, **_ASKED[method](position)}
        if method == "workspace/symbol":
            params = {"query": self.rng.choice(["", "b", "stage"])}
        self.request(method, params)
        return f"{method} ({len(doc.text)} chars)"

    def flood(self) -> str:
        """Many requests in one write, more than the server reads ahead: it must take them all."""
        doc = self.rng.choice(self.docs)
        count = self.rng.randrange(50, 400)
        burst = b""
        for _ in range(count):
            self.next_id += 1
            hover = {"textDocument": {"uri": doc.uri}, "position": {"line": 0, "character": 1}}
            burst += frame({"jsonrpc": "2.0", "id": self.next_id, "method": "textDocument/hover", "params": hover})
            self.pending[self.next_id] = ("textDocument/hover (flood)", time.monotonic(), " | ".join(self.recent[-6:]))
            self.figures.requests += 1
        self.server.send_bytes(burst)
        return f"flood of {count} hovers"

    def open_many_stages(self) -> str:
        """A file whose answers are large: thousands of stages and findings (the problem cap, plain-JSON answers)."""
        doc = _Open(
            f"file:///session/{self.rng.randrange(10**9)}/Dockerfile", "FROM a AS b\n" * self.rng.randrange(500, 4000)
        )
        self.docs.append(doc)
        self.server.open(doc.uri, doc.text)
        cap = self.rng.choice([0, 1, 100, 1000])
        self.server.notify("workspace/didChangeConfiguration", {"settings": {"diagnostics": {"maxProblems": cap}}})
        return f"open {doc.text.count(chr(10))} stages, maxProblems {cap}"

    def cancel_storm(self) -> None:
        ids = [self.request("textDocument/codeLens", {"textDocument": {"uri": self.rng.choice(self.docs).uri}})]
        ids += list(self.pending)[-5:]
        for _ in range(self.rng.randrange(5, 50)):
            target = self.rng.choice([*ids, self.rng.randrange(10**6), "nope"])
            self.server.notify("$/cancelRequest", {"id": target})

    def close(self) -> None:
        doc = self.docs.pop(self.rng.randrange(len(self.docs)))
        self.server.notify("textDocument/didClose", {"textDocument": {"uri": doc.uri}})


def run_session(seed: int, steps: int, figures: SessionFigures) -> None:
    rng = random.Random(seed)
    server = RawServer()
    driver = _Driver(server, rng, figures, seed)
    try:
        hover = {"textDocument": {"uri": "file:///x"}, "position": {"line": 0}}
        driver.request("textDocument/hover", hover, "(before initialize: includes start-up)")
        driver.drain(STARTUP_S)  # answered before initialize (ServerNotInitialized)
        server.initialize({"sizes": {"online": False}, "diagnostics": {"delayMs": DIAGNOSTICS_DELAY_MS}})
        for _ in range(steps):
            driver.step()
            if rng.random() < 0.2:
                driver.drain()
        driver.request("shutdown", None)
        driver.request("textDocument/hover", hover, "(after shutdown)")
        deadline = time.monotonic() + ANSWER_BOUND_S
        while driver.pending and time.monotonic() < deadline:
            driver.drain(0.2)
        for request_id, (method, sent, _) in driver.pending.items():
            figures.unanswered.append(f"{method} (id {request_id}), sent {time.monotonic() - sent:.1f} s ago")
        server.notify("exit")
        try:
            status = server.process.wait(timeout=ANSWER_BOUND_S)
        except subprocess.TimeoutExpired:
            status = -1
        if status != 0:
            figures.deaths.append(f"seed {seed}: exit status {status}; {server.stderr_text()[-500:]}")
    except (ServerGone, OSError) as error:
        figures.deaths.append(f"seed {seed}: {error!s:.800}")
    finally:
        server.kill()
        figures.sessions += 1


def run(seed: int, sessions: int, steps: int) -> SessionFigures:
    figures = SessionFigures()
    for number in range(sessions):
        run_session(seed * 1000 + number, steps, figures)
    return figures


__all__ = ["SessionFigures", "frame", "run", "run_session"]
