"""The parser/analysis fuzzer: shared-corpus files, mutated, and generated files, opened in the real
server (in process) and asked for every editor feature at random positions, with random
incremental edits. Per input it checks: no request fails (an error answer, -32603 above all), the
server logs no error, the incremental tree equals a fresh parse (a divergence otherwise), and the
whole input stays within a time budget (a super-linear case fails it)."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockerfile_stages.syntax import parse_lines, split_lines

from .session import ErrorLog, Session

FRAGMENTS = [
    "FROM ", "AS ", " AS build", "--from=", "--from=build ", "--platform=$BUILDPLATFORM ", "${A:-", "${A:+x}", "$A",
    "ARG ", "ENV ", "COPY ", "ADD ", "RUN ", "RUN --mount=type=cache,target=/x,from=build ", "ONBUILD ", "CMD [",
    '"]', "<<EOF\n", "<<-EOF\n", "EOF\n", "\\\n", "`\n", "# syntax=docker/dockerfile:1\n", "# escape=`\n",
    "# check=skip=all\n", "#", "\n", "\r\n", "\t", " ", '"', "'", "é", "\u00a0", "😀", "\ud800", "\x00", "=", ",",
    "golang:1.22", "scratch", "alpine@sha256:" + "a" * 64, "[", "]", "{", "}", ":", "/", ".", "*", "-",
]  # fmt: skip
REPEATED = ["${A:-", '--a="b" ', "x ", "FROM a AS b\n", "é", "\\\n", "<<EOF ", "COPY --from=stage_name_typo /a /b\n"]
Check = Callable[[str], None]


@dataclass
class Figures:
    inputs: int = 0
    requests: int = 0
    edits: int = 0
    divergences: int = 0
    crashes: list[str] = field(default_factory=list)  # what failed, on which input
    worst_s: float = 0.0
    worst_input: str = ""
    over_budget: list[str] = field(default_factory=list)
    # The same in CPU time (the process's, server threads included): what a shared machine's load
    # disturbs least, beside the wall-clock figures the budget is about.
    worst_cpu_s: float = 0.0
    worst_cpu_input: str = ""
    over_budget_cpu: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"analysis: {self.inputs} inputs, {self.requests} requests, {self.edits} edits, "
            f"{self.divergences} divergences, {len(self.crashes)} crashes, {len(self.over_budget)} over budget, "
            f"worst {self.worst_s * 1000:.0f} ms per input ({self.worst_input[:60]!r}); CPU: "
            f"{len(self.over_budget_cpu)} over budget, worst {self.worst_cpu_s * 1000:.0f} ms "
            f"({self.worst_cpu_input[:60]!r})"
        )


def corpus_texts(corpus: Path) -> list[str]:
    files = sorted((corpus / "files").glob("*.Dockerfile")) if (corpus / "files").is_dir() else []
    return [path.read_bytes().decode("utf-8", errors="replace") for path in files]


def generated(rng: random.Random, long_shapes: bool = True) -> str:
    """A file of random fragments, or one of the shapes that once took seconds (long repetitions)."""
    if long_shapes and rng.random() < 0.3:
        unit = rng.choice(REPEATED)
        count = rng.choice([100, 1000, 5000, 20000]) // max(1, len(unit) // 4)
        head = rng.choice(["FROM ", "ARG ", "RUN ", "COPY ", "# syntax=a", ""])
        return head + unit * count + "\nFROM x\n"
    lines = []
    for _ in range(rng.randrange(1, 40)):
        lines.append("".join(rng.choice(FRAGMENTS) for _ in range(rng.randrange(1, 8))))
    return "\n".join(lines)


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randrange(1, 6)):
        kind = rng.randrange(6)
        at = rng.randrange(len(text) + 1)
        if kind == 0:
            text = text[:at] + rng.choice(FRAGMENTS) + text[at:]
        elif kind == 1 and text:
            text = text[:at] + text[at + rng.randrange(1, 40) :]
        elif kind == 2:
            lines = text.split("\n")
            line = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[line])
            text = "\n".join(lines)
        elif kind == 3:
            text = text[:at] + rng.choice(REPEATED) * rng.randrange(1, 200) + text[at:]
        elif kind == 4:
            text = text[:at]
        else:
            text = text.replace("\n", "\r\n") if rng.random() < 0.5 else text.upper()
    return text


def _position(text: str, rng: random.Random) -> dict[str, int]:
    lines = text.split("\n")
    line = rng.randrange(len(lines) + 1)
    width = len(lines[line]) if line < len(lines) else 0
    return {"line": line, "character": rng.randrange(width + 3)}


def _requests(uri: str, text: str, rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    doc = {"uri": uri}
    at = {"textDocument": doc, "position": _position(text, rng)}
    whole = {"start": {"line": 0, "character": 0}, "end": _position(text, rng)}
    return [
        ("textDocument/completion", at),
        ("textDocument/hover", at),
        ("textDocument/definition", at),
        ("textDocument/references", {**at, "context": {"includeDeclaration": True}}),
        ("textDocument/documentHighlight", at),
        ("textDocument/prepareRename", at),
        ("textDocument/rename", {**at, "newName": rng.choice(["x", "new_name", "é", "a b"])}),
        ("textDocument/signatureHelp", at),
        ("textDocument/documentSymbol", {"textDocument": doc}),
        ("textDocument/foldingRange", {"textDocument": doc}),
        ("textDocument/codeLens", {"textDocument": doc}),
        ("textDocument/documentLink", {"textDocument": doc}),
        ("textDocument/semanticTokens/full", {"textDocument": doc}),
        ("textDocument/inlayHint", {"textDocument": doc, "range": whole}),
        ("textDocument/selectionRange", {"textDocument": doc, "positions": [_position(text, rng)]}),
        ("textDocument/formatting", {"textDocument": doc, "options": {"tabSize": 4, "insertSpaces": True}}),
        ("textDocument/codeAction", {"textDocument": doc, "range": whole, "context": {"diagnostics": []}}),
        ("textDocument/diagnostic", {"textDocument": doc}),
    ]


def _edit(text: str, rng: random.Random) -> tuple[tuple[int, int], tuple[int, int], str, str]:
    """A random edit as LSP positions (UTF-16 of the text as a client keeps it) and the new text."""
    start = rng.randrange(len(text) + 1)
    end = min(len(text), start + rng.choice([0, 0, 1, 3, 20]))
    insert = rng.choice(["", rng.choice(FRAGMENTS), rng.choice(FRAGMENTS) * rng.randrange(1, 5)]).replace("\r", "")
    return _lsp(text, start), _lsp(text, end), insert, text[:start] + insert + text[end:]


def _lsp(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    return line, len(column_text.encode("utf-16-le", "surrogatepass")) // 2


async def fuzz_input(
    session: Session, text: str, number: int, rng: random.Random, figures: Figures, edits: int
) -> tuple[str, float]:
    """Open ``text``, ask, edit and ask again; the slowest step and its seconds (wall)."""
    uri = f"file:///fuzz/{number}/Dockerfile"
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()
    session.open(text, uri)
    version = 1
    for method, params in rng.sample(_requests(uri, text, rng), k=min(8, 18)):
        await _ask(session, method, params, text, figures)
        steps.append((method, time.perf_counter() - started))
        started = time.perf_counter()
    for _ in range(edits if "\r" not in text else 0):  # positions here count lines by "\n" only
        start, end, insert, changed = _edit(text, rng)
        version += 1
        session.change(uri, version, start, end, insert)
        text = changed
        figures.edits += 1
        method, params = rng.choice(_requests(uri, text, rng))
        await _ask(session, method, params, text, figures)
        steps.append((f"edit {insert!r} + {method}", time.perf_counter() - started))
        started = time.perf_counter()
    opened = session.server.documents.get(uri)
    if opened is not None:
        fresh, _ = parse_lines(split_lines(opened.document.text))
        if opened.document.text != text:
            figures.divergences += 1
            figures.crashes.append(f"text diverged after edits on input {text[:80]!r}")
        elif opened.document.tree_nodes() != fresh:
            figures.divergences += 1
            figures.crashes.append(f"tree diverged from a fresh parse on input {text[:80]!r}")
    # A client holds none of the server's objects: held here, the closed document stayed alive through
    # the refreeze after its close, which walked it (lsp/memory.py; 100-150 ms at 6,666 stages).
    del opened
    session.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    return max(steps, key=lambda step: step[1])


async def _ask(session: Session, method: str, params: dict[str, Any], text: str, figures: Figures) -> None:
    figures.requests += 1
    try:
        answer = await session.request(method, params, timeout=30, result=False)  # its error is what is checked
    except TimeoutError:
        figures.crashes.append(f"{method}: no answer in 30 s on {text[:80]!r}")
        return
    error = answer.get("error")
    refused_name = method == "textDocument/rename" and error is not None and error.get("code") == -32602
    if error is not None and error.get("code") not in (-32800, -32801) and not refused_name:
        figures.crashes.append(f"{method}: {error.get('code')} {error.get('message')!s:.200} on {text[:80]!r}")


async def run(
    seed: int,
    count: int,
    corpus: Path | None,
    budget_s: float = 1.0,
    edits: int = 4,
    log: Check | None = None,
    dump: Path | None = None,
) -> Figures:
    """``dump``: a folder where each input over budget is written (``<number>.Dockerfile``)."""
    rng = random.Random(seed)
    figures = Figures()
    base = corpus_texts(corpus) if corpus is not None else []
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    session = Session.start()
    try:
        await session.initialize()
        for number in range(count):
            roll = rng.random()
            if base and roll < 0.15:
                text = rng.choice(base)
            elif base and roll < 0.75:
                text = mutate(rng.choice(base), rng)
            else:
                text = generated(rng) if rng.random() < 0.7 else mutate(generated(rng), rng)
            started, cpu_started = time.perf_counter(), time.process_time()
            before = len(errors.records)
            slowest, slowest_s = await fuzz_input(session, text, number, rng, figures, edits)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            if cpu > figures.worst_cpu_s:
                figures.worst_cpu_s, figures.worst_cpu_input = cpu, text
            small = len(text.encode("utf-8", "surrogatepass")) < 1 << 20
            if cpu > budget_s and small:
                figures.over_budget_cpu.append(f"{cpu:.2f} s CPU on input {number}, {text[:80]!r}")
            figures.inputs += 1
            for record in errors.records[before:]:
                figures.crashes.append(f"logged error: {record[:900]} on {text[:80]!r}")
            if elapsed > figures.worst_s:
                figures.worst_s, figures.worst_input = elapsed, text
            if elapsed > budget_s and small:
                figures.over_budget.append(
                    f"{elapsed:.2f} s on input {number} ({cpu:.2f} s CPU), {text[:80]!r} ({len(text)} characters); "
                    f"slowest: {slowest} {slowest_s:.2f} s"
                )
                if dump is not None:
                    dump.mkdir(parents=True, exist_ok=True)
                    (dump / f"{number}.Dockerfile").write_text(text, encoding="utf-8", errors="surrogatepass")
            if log is not None and number and number % 500 == 0:
                log(figures.summary())
    finally:
        logging.getLogger().removeHandler(errors)
        session.close_server()
    return figures


def run_sync(seed: int, count: int, corpus: Path | None, budget_s: float = 1.0, edits: int = 4) -> Figures:
    return asyncio.run(run(seed, count, corpus, budget_s, edits))
