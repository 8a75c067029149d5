"""The long-session memory soak: one 10,000-line file, single-character edits each followed by a
completion request (a keystroke), over stdio; RSS of the server after a warm-up and at the end,
then open/close pairs. Flat means the growth stays under the bound (2 MB over 20,000 edits)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .raw_lsp import RawServer

STAGE = "FROM golang:1.22 AS s{n}\nRUN go build -o /a{n} ./...\nCOPY --from=s{p} /a{p} /a{p}\n"
URI = "file:///soak/Dockerfile"


@dataclass
class SoakFigures:
    edits: int
    warmup_edits: int
    rss_after_warmup_mb: float
    rss_at_end_mb: float
    open_close_pairs: int
    rss_before_open_close_mb: float  # after a first outline of the big file (its answer is large)
    rss_after_open_close_mb: float
    seconds: float

    @property
    def growth_mb(self) -> float:
        return self.rss_at_end_mb - self.rss_after_warmup_mb

    @property
    def open_close_growth_mb(self) -> float:
        return self.rss_after_open_close_mb - self.rss_before_open_close_mb

    def summary(self) -> str:
        return (
            f"soak: {self.edits} edits after {self.warmup_edits} warm-up: RSS {self.rss_after_warmup_mb:.1f} -> "
            f"{self.rss_at_end_mb:.1f} MB (growth {self.growth_mb:+.2f} MB, {self.growth_mb * 1024 / self.edits:.3f} "
            f"kB per edit); then {self.open_close_pairs} open/close pairs: {self.rss_before_open_close_mb:.1f} -> "
            f"{self.rss_after_open_close_mb:.1f} MB ({self.open_close_growth_mb:+.2f} MB); "
            f"{self.seconds:.0f} s"
        )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def keystrokes(server: RawServer, version: int, count: int, line: int, log: Callable[[str], None] | None = None) -> int:
    started = time.monotonic()
    for number in range(count):
        if log is not None and number and number % 1000 == 0:
            per_edit_ms = (time.monotonic() - started) * 1000 / number
            log(f"  {number} edits: RSS {rss_mb(server.process.pid):.1f} MB, {per_edit_ms:.0f} ms per edit")
        version += 1
        column = number % 40
        text = "x" if number % 2 == 0 else ""
        end = column if text else column + 1
        change = {
            "range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": end}},
            "text": text,
        }
        server.notify(
            "textDocument/didChange", {"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]}
        )
        server.request(
            "textDocument/completion", {"textDocument": {"uri": URI}, "position": {"line": line, "character": column}}
        )
    return version


def run(
    edits: int,
    warmup: int = 2000,
    pairs: int = 500,
    lines: int = 10_000,
    log: Callable[[str], None] | None = None,
) -> SoakFigures:
    started = time.monotonic()
    text = "".join(STAGE.format(n=n, p=max(n - 1, 0)) for n in range(lines // 3)) + "# " + " " * 80 + "\n"
    line = text.count("\n") - 1
    server = RawServer()
    try:
        server.initialize({"sizes": {"online": False}, "diagnostics": {"delayMs": 100}})
        server.open(URI, text)
        version = keystrokes(server, 1, warmup, line)
        before = rss_mb(server.process.pid)
        keystrokes(server, version, edits, line, log)
        after = rss_mb(server.process.pid)
        outline = {"textDocument": {"uri": URI}}  # the same request before and after: only the pairs differ
        server.request("textDocument/documentSymbol", outline, timeout=120)
        before_pairs = rss_mb(server.process.pid)
        for number in range(pairs):
            uri = f"file:///soak/{number}/Dockerfile"
            server.open(uri, "FROM alpine AS a\nFROM a\n")
            server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            if number % 50 == 49:  # at an editor's pace: what a burst queues up is not what is measured
                server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
        server.request("textDocument/documentSymbol", outline, timeout=120)
        after_pairs = rss_mb(server.process.pid)
        server.stop()
    finally:
        server.kill()
    seconds = time.monotonic() - started
    return SoakFigures(edits, warmup, before, after, pairs, before_pairs, after_pairs, seconds)
