"""Parser speed: full parse and one-character incremental edits, against dockerfile-parse and
BuildKit's parser (PyPI ``dockerfile``), which can only reparse the whole file.

    python benchmarks/parse_bench.py [--sizes 100,1000,10000,50000] [--edits 400]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dockerfile_stages.syntax import Document
from generate import generate


def _time(function: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _edit_costs(document: Document, edits: int) -> list[float]:
    middle = document.line_count // 2
    # a line inside an instruction in the middle of the file
    samples = []
    for step in range(edits):
        line = middle + step % 7
        start = time.perf_counter()
        if step % 2 == 0:
            document.apply_change(line, 4, line, 4, "x")
        else:
            document.apply_change(line, 4, line, 5, "")
        samples.append(time.perf_counter() - start)
    return samples


def _p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000,50000")
    parser.add_argument("--edits", type=int, default=400)
    args = parser.parse_args()
    try:
        import dockerfile as buildkit
    except ImportError:
        buildkit = None
    try:
        from dockerfile_parse import DockerfileParser
    except ImportError:
        DockerfileParser = None

    print(
        f"{'lines':>7} | {'ours full':>10} | {'edit med':>9} | {'edit p95':>9} | {'buildkit full':>13} | "
        f"{'d-parse full':>12} | {'bk/edit':>8} | {'dp/edit':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        text = generate(size)
        repeat = 5 if size <= 10000 else 2
        ours = _time(lambda text=text: Document(text), repeat)
        samples = _edit_costs(Document(text), args.edits)
        median, p95 = statistics.median(samples), _p95(samples)
        bk = _time(lambda text=text: buildkit.parse_string(text), repeat) if buildkit else float("nan")
        dp = (
            _time(lambda text=text: DockerfileParser(fileobj=io.BytesIO(text.encode())).structure, repeat)
            if DockerfileParser
            else float("nan")
        )
        print(
            f"{size:>7} | {ours * 1e3:>8.1f}ms | {median * 1e3:>7.3f}ms | {p95 * 1e3:>7.3f}ms | "
            f"{bk * 1e3:>11.1f}ms | {dp * 1e3:>10.1f}ms | {bk / median:>7.0f}x | {dp / median:>7.0f}x"
        )
    print("edit = one character inserted or deleted mid-file, incremental; the peers reparse the file.")
    print("bk/edit, dp/edit: a peer's full reparse over our median edit.")


if __name__ == "__main__":
    main()
