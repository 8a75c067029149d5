"""The syntax-level inputs of issue 16 (item 3) that once took seconds, timed: CPU seconds for a
parse, the stage model and every rule, plus what each case stresses (words of a huge FROM, column
conversions on a long non-ASCII line).

    python benchmarks/hostile_inputs.py

The issue's figures (before) were: directive 8.6 s, variable forms 2.6 s, FROM/ARG with 1M words
7 s per request, 40,000 quoted flags 2.2 s, a 63 KB non-ASCII RUN line 10.4 s per analysis.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import run_rules
from dockerfile_stages.syntax import Document, Instruction


def _analysis(text: str, encoding: str = "utf-16") -> Document:
    document = Document(text, encoding=encoding)  # type: ignore[arg-type]
    run_rules(document, build_model(document), targets=(), select=(), ignore=())
    return document


def _words(text: str) -> None:
    document = _analysis(text)
    for _, node in document.nodes():
        if isinstance(node, Instruction):
            for _ in range(3):  # three requests: built once, then cached on the node
                _ = node.words


def _columns(text: str) -> None:
    document = _analysis(text)
    line = document.line(1)
    for column in range(0, len(line), 16):  # thousands of conversions on one line, both ways
        document.to_index(1, document.to_character(1, column))


CASES: list[tuple[str, Callable[[], object]]] = [
    ("directive value + 64,000 spaces", lambda: _analysis("# syntax=a" + " " * 64000 + "b\nFROM x\n")),
    ('FROM + "${A:-" x 10,000', lambda: _analysis("FROM " + "${A:-" * 10000 + "\n")),
    ("FROM with 1M words (words x3)", lambda: _words("FROM " + " ".join(["w"] * 1_000_000) + "\n")),
    ("ARG with 1M words", lambda: _analysis("ARG " + " ".join(f"a{i}" for i in range(1_000_000)) + "\nFROM x\n")),
    ('40,000 --a="b" flags', lambda: _analysis("FROM x\nRUN " + '--a="b" ' * 40000 + "true\n")),
    ("63 KB RUN line, one é, UTF-16 (4,000 conversions)", lambda: _columns("FROM x\nRUN " + "a" * 63000 + "é b\n")),
]


def main() -> None:
    print(f"{'input':<52} {'CPU s':>7}")
    for label, case in CASES:
        start = time.process_time()
        case()
        print(f"{label:<52} {time.process_time() - start:>7.2f}")


if __name__ == "__main__":
    main()
