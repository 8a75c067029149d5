"""Parser speed against BuildKit's own parser (PyPI ``dockerfile``, Go through cgo) and
dockerfile-parse, on the same files, A/B interleaved; medians and ratios.

    python benchmarks/parse_bench.py [--sizes 100,1000,10000,50000] [--repeat 9] [--edits 400]

Rows: ``gen N`` are ``benchmarks/generate.py`` files; ``lspbench N`` is the file the LSP benchmark
opens (``shared/tools/lspbench.py gen``, the issue's "didOpen at 10,000 lines" file). Columns:
our full parse, BuildKit's, their ratio (above 1: we are faster), dockerfile-parse's (which gets
heredocs and continuations wrong), our parse + stage model + every rule (what the server does
before it publishes diagnostics), and a one-character edit reparsed incrementally (median, p95).
CPU time (``time.process_time``) is measured, not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dockerfile_stages.model import build_model
from dockerfile_stages.rules import run_rules
from dockerfile_stages.syntax import Document
from generate import generate

LSPBENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "tools" / "lspbench.py"
LSPBENCH_SIZES = {10000: (100, 101, 2), 50000: (250, 201, 3)}  # as benchmarks/lsp_bench.py makes them


def _interleaved(functions: dict[str, Callable[[], object] | None], repeat: int) -> dict[str, float]:
    """Median CPU seconds of each function, run in turns so that load affects them alike."""
    samples: dict[str, list[float]] = {name: [] for name, function in functions.items() if function}
    for _ in range(repeat):
        for name, function in functions.items():
            if function is None:
                continue
            start = time.process_time()
            function()
            samples[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def _edit_costs(document: Document, edits: int) -> list[float]:
    middle = document.line_count // 2
    samples = []
    for step in range(edits):
        line = middle + step % 7
        start = time.process_time()
        if step % 2 == 0:
            document.apply_change(line, 4, line, 4, "x")
        else:
            document.apply_change(line, 4, line, 5, "")
        samples.append(time.process_time() - start)
    return samples


def _analysis(text: str) -> None:
    document = Document(text)
    run_rules(document, build_model(document), targets=(), select=(), ignore=())


def _files(sizes: list[int]) -> list[tuple[str, str]]:
    files = [(f"gen {size}", generate(size)) for size in sizes]
    for size in sizes:
        if size in LSPBENCH_SIZES and LSPBENCH.exists():
            stages, per_stage, seed = LSPBENCH_SIZES[size]
            command = [sys.executable, str(LSPBENCH), "gen", "--stages", str(stages)]
            command += ["--lines-per-stage", str(per_stage), "--seed", str(seed)]
            files.append((f"lspbench {size}", subprocess.run(command, capture_output=True, text=True).stdout))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=9)
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

    def ms(value: float | None) -> str:
        return f"{value * 1e3:.1f}" if value is not None else "-"

    header = ["file", "lines", "ours ms", "buildkit ms", "bk/ours", "d-parse ms", "analysis ms", "edit med", "edit p95"]
    print(" | ".join(header))
    for label, text in _files([int(s) for s in args.sizes.split(",")]):
        repeat = args.repeat if len(text) < 2_000_000 else max(3, args.repeat // 3)
        figures = _interleaved(
            {
                "ours": lambda text=text: Document(text),
                "buildkit": (lambda text=text: buildkit.parse_string(text)) if buildkit else None,
                "dparse": (
                    (lambda text=text: DockerfileParser(fileobj=io.BytesIO(text.encode())).structure)
                    if DockerfileParser
                    else None
                ),
                "analysis": lambda text=text: _analysis(text),
            },
            repeat,
        )
        edits = sorted(_edit_costs(Document(text), args.edits))
        bk = figures.get("buildkit")
        ratio = f"{bk / figures['ours']:.2f}x" if bk else "-"
        row = [label, str(text.count("\n")), ms(figures["ours"]), ms(bk), ratio, ms(figures.get("dparse"))]
        row += [
            ms(figures["analysis"]),
            f"{statistics.median(edits) * 1e3:.3f}",
            f"{edits[int(len(edits) * 0.95)] * 1e3:.3f}",
        ]
        print(" | ".join(row))
    print("medians of CPU time; bk/ours above 1: BuildKit's parser takes longer than ours.")


if __name__ == "__main__":
    main()
