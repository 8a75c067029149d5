"""The hostile inputs of issue 16 (item 3) and those the analysis fuzzer found since: small files
that once froze the analysis for seconds or minutes. Each is built at a size (``make(n)``), so a
test or a benchmark can compare sizes, and run through everything the editor asks for
(``exercise``): parse, stage model, every rule, and every feature of the ``ide`` façade at a few
positions (the split refactoring among the code actions), with the garbage collector set as the
language server sets it.

Used by ``tests/rules/test_reproducers_time.py`` (a hang guard) and ``benchmarks/hostile_inputs.py``
(the figures)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.ide.navigation import RenameError
from dockerfile_stages.lsp import memory
from dockerfile_stages.model import build_model
from dockerfile_stages.syntax import Document, Pos


@dataclass(frozen=True)
class Shape:
    label: str
    make: Callable[[int], str]
    size: int  # the size at which it took seconds
    before: str  # what it took then, and where that was measured


def _typos(n: int) -> str:
    names = [f"stage_with_a_long_name_{i:06d}x" for i in range(n)]
    text = "".join(f"FROM alpine AS {name}\n" for name in names)
    return text + "FROM scratch\n" + "".join(f"COPY --from={name[:-1]}y /a /b\n" for name in names)


SHAPES = [
    Shape("directive value + n spaces", lambda n: "# syntax=a" + " " * n + "b\nFROM x\n", 64_000, "8.6 s (issue)"),
    Shape('FROM + "${A:-" x n', lambda n: "FROM " + "${A:-" * n + "\n", 10_000, "2.6 s (issue)"),
    Shape('FROM + "${A:-" x n + "}"', lambda n: "FROM " + "${A:-" * n + "}\n", 10_000, "69 s check, 112 s profiled"),
    Shape(
        'COPY + "${A:-" x n + "}" x n',
        lambda n: "FROM x\nCOPY " + "${A:-" * n + "x" + "}" * n + " /a\n",
        10_000,
        "minutes (fuzzer: 510 s)",
    ),
    Shape(
        'ARG default "${A:-" x n + "}" x n',
        lambda n: "ARG X=" + "${A:-" * n + "x" + "}" * n + "\nFROM $X\n",
        10_000,
        "RecursionError in evaluate (new)",
    ),
    Shape("n stages and n COPY --from= typos", _typos, 250, "10.8 s (issue)"),
    Shape(
        "ARG with n names",
        lambda n: "ARG " + " ".join(f"A{i:05d}" for i in range(n)) + "\nFROM x\n",
        100_000,
        "1-2.3 s per feature (previous session)",
    ),
    Shape("FROM with n words", lambda n: "FROM " + " ".join(["w"] * n) + "\n", 100_000, "7 s at 1M words (issue)"),
    Shape('n --a="b" flags', lambda n: "FROM x\nRUN " + '--a="b" ' * n + "true\n", 20_000, "2.2 s at 40,000 (issue)"),
    Shape(
        "RUN + n continuation lines",
        lambda n: "FROM x\nRUN " + "\\\n" * n + "\nFROM x\n",
        20_000,
        "408 s for a format (found here)",
    ),
    Shape("RUN with n words", lambda n: "FROM x\nRUN " + "x " * n + "\n", 50_000, "0.46 s per code-action request"),
    Shape("RUN + n heredocs", lambda n: "FROM x\nRUN " + "<<EOF " * n + "\nFROM x\n", 6_000, "1-3 s per fuzz input"),
    Shape(
        "COPY + n heredocs before any FROM",
        lambda n: "COPY " + "<<EOF " * n + "\nFROM x\n",
        20_000,
        "52-56 s per fuzz input (previous session)",
    ),
    Shape(
        '"# syntax=a" + n stages',
        lambda n: "# syntax=a" + "FROM a AS b\n" * n + "\nFROM x\n",
        5_000,
        "2.2 s per fuzz input",
    ),
    Shape(
        "n COPY --from= typos of one stage",
        lambda n: "FROM x\n" + "COPY --from=stage_name_typo /a /b\n" * n + "\nFROM x\n",
        5_000,
        "1.2 s per fuzz input",
    ),
    Shape(
        "n-character RUN line, one é",
        lambda n: "FROM x\nRUN " + "a" * n + "é b\n",
        63_000,
        "10.4 s per analysis in UTF-16 (issue)",
    ),
]


def positions(text: str) -> list[tuple[int, int]]:
    """Where the features are asked: line starts and ends, inside long lines, first and last lines."""
    lines = text.split("\n")
    found = {(0, 0), (0, 5), (0, len(lines[0]) // 2), (0, len(lines[0]))}
    for line in (1, len(lines) // 2, len(lines) - 2):
        if 0 < line < len(lines):
            found |= {(line, min(3, len(lines[line]))), (line, len(lines[line]) // 2), (line, len(lines[line]))}
    return sorted(found)


@contextmanager
def server_collector() -> Iterator[None]:
    """The garbage collector's thresholds as the language server sets them (an older checkout
    without ``memory.THRESHOLDS`` keeps Python's)."""
    previous = gc.get_threshold()
    gc.set_threshold(*getattr(memory, "THRESHOLDS", previous))
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def exercise(text: str) -> dict[str, float]:
    """Every feature on ``text``: the worst CPU seconds each took, by feature."""
    with server_collector():
        return _exercise(text)


def _exercise(text: str) -> dict[str, float]:
    worst: dict[str, float] = {}

    def timed(feature: str, call: Callable[..., object], *args: object) -> None:
        started = time.process_time()
        with suppress(RenameError):  # refused with a reason, as it should be where nothing can be renamed
            call(*args)
        worst[feature] = max(worst.get(feature, 0.0), time.process_time() - started)

    holder: list[Analysis] = []

    def analyse() -> None:
        document = Document(text, encoding="utf-16")  # what most clients ask for
        holder.append(Analysis(document, build_model(document)))

    timed("parse+model", analyse)
    analysis = holder[0]
    lines = text.split("\n")
    end = Pos(len(lines) - 1, len(lines[-1]))
    timed("rules", lambda: analysis.findings)
    timed("symbols", analysis.symbols)
    timed("folding", analysis.folding_ranges)
    timed("semantic tokens", analysis.semantic_tokens)
    timed("links", analysis.document_links)
    timed("format", analysis.format)
    timed("code lens", analysis.code_lenses)
    timed("inlay hints", analysis.inlay_hints, 0, len(lines))
    timed("code actions", analysis.code_actions, Pos(0, 0), end)
    for line, col in positions(text):
        timed("completion", analysis.completion, line, col)
        timed("hover", analysis.hover, line, col)
        timed("definition", analysis.definition, line, col)
        timed("references", analysis.references, line, col, True)
        timed("prepare rename", analysis.prepare_rename, line, col)
        timed("rename", analysis.rename, line, col, "new_name")
        timed("signature help", analysis.signature_help, line, col)
        timed("selection", analysis.selection, line, col)
        timed("format on type", analysis.format_on_type, line)
        timed("code actions", analysis.code_actions, Pos(line, col), Pos(line, col))
    return worst
