"""Parser and diagnostics speed against BuildKit's own parser (PyPI ``dockerfile``, Go through
cgo) and dockerfile-parse, on the same files, A/B interleaved; medians and ratios.

    python benchmarks/parse_bench.py [--sizes 15,1000,10000,50000] [--repeat 7] [--edits 400] [--before DIR]

Rows: ``gen N`` are ``benchmarks/generate.py`` files; ``lspbench N`` is the file the LSP benchmark
opens (``shared/tools/lspbench.py gen``, the issue's "didOpen at 10,000 lines" file).

Parse table: our full parse, BuildKit's, their ratio (above 1: we are faster), dockerfile-parse's
(which gets heredocs and continuations wrong), and a one-character edit reparsed incrementally
(median, p95). ``--before DIR`` (a tree such as ``git archive main | tar -x -C DIR``) adds that
tree's full parse, its syntax package loaded under another name and run in turns with ours, and
the ratio (above 1: this tree parses faster).

Diagnostics table (what the server does before it answers with diagnostics): ``open`` is parse +
stage model + every default rule on a fresh document (didOpen), with BuildKit's parse alone beside
it; ``edit cached`` is one character typed at the end of a comment line in the middle of the file,
then the model and the rules again with the document's ``RuleCache`` (pulled diagnostics after an
edit); ``edit uncached`` is the same edit with an empty cache (every rule over the whole file, as
before the cache). ``x 15 lines`` is ``edit cached`` over the same figure for the smallest file:
flat means near 1. CPU time (``time.process_time``) is measured, not wall time: the machine is shared.
The full parse and the open run with the collector paused, as the server runs a didOpen (``lsp/sync.py``:
the tree is frozen afterwards); with it on, full collections walking the new tree again and again
were most of the "model" and "refs" columns at 50,000 lines. The edits run with it on, as the server's.
Every rule module is imported first, as the server does at ``initialized``.
"""

from __future__ import annotations

import argparse
import importlib
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dockerfile_stages.lsp import diagnostic_json
from dockerfile_stages.lsp.convert import encode
from dockerfile_stages.lsp.memory import collector_paused
from dockerfile_stages.model import build_model
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.rules import RULES, RuleCache, Scope, load_all, run_rules
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


def _paused(parse: Callable[[str], object], text: str) -> None:
    with collector_paused():
        parse(text)


def _before_document(root: str) -> Callable[[str], object]:
    """``Document`` of the syntax package under ``root`` (a tree: ``root/server/dockerfile_stages``),
    copied as a package of another name so that it runs beside ours in this process."""
    folder = Path(tempfile.mkdtemp(prefix="parse-bench-before-"))
    package = folder / "before_syntax"
    shutil.copytree(Path(root) / "server" / "dockerfile_stages" / "syntax", package)
    for source in package.glob("*.py"):
        source.write_text(source.read_text().replace("dockerfile_stages.syntax", "before_syntax"))
    sys.path.insert(0, str(folder))
    document: Callable[[str], object] = importlib.import_module("before_syntax").Document
    return document


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
    with collector_paused():  # as the server opens a document (lsp/sync.py, lsp/memory.py)
        document = Document(text)
        run_rules(document, build_model(document))


def _parse(text: str) -> None:
    with collector_paused():  # as for an opened document; the edits below run with the collector on
        Document(text)


class _Typist:
    """One document typed into at the end of a comment line near its middle, as lspbench does:
    a character added, then removed, so the text stays the same over many samples."""

    def __init__(self, text: str, cached: bool) -> None:
        self.document = Document(text)
        self.model: StageModel = build_model(self.document)
        self.cached = cached
        self.cache = RuleCache()
        run_rules(self.document, self.model, cache=self.cache)
        lines = text.splitlines()
        middle = len(lines) // 2
        comments = [i for i, line in enumerate(lines) if line.lstrip().startswith("#") and i >= middle]
        self.line = comments[0] if comments else middle
        self.col = len(lines[self.line]) if lines else 0
        self.typed = False

    def edit_and_check(self) -> None:
        if self.typed:
            self.document.apply_change(self.line, self.col, self.line, self.col + 1, "")
        else:
            self.document.apply_change(self.line, self.col, self.line, self.col, "x")
        self.typed = not self.typed
        self.model = build_model(self.document, previous=self.model)
        run_rules(self.document, self.model, cache=self.cache if self.cached else RuleCache())


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
    parser.add_argument("--sizes", default="15,1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--edits", type=int, default=400)
    parser.add_argument("--before", help="a tree to compare the full parse with (its syntax package)")
    args = parser.parse_args()
    # Every rule module, as the language server loads them at ``initialized``: with some not
    # imported yet, each run first reads the whole document for what they need (rules/registry.py).
    load_all()
    before = _before_document(args.before) if args.before else None
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

    files = _files([int(s) for s in args.sizes.split(",")])
    header = ["file", "lines", "ours ms", "buildkit ms", "bk/ours", "d-parse ms", "edit med", "edit p95"]
    header += ["before ms", "before/ours"] if before else []
    print("Parse\n" + " | ".join(header))
    for label, text in files:
        figures = _interleaved(
            {
                "ours": lambda text=text: _parse(text),
                "before": (lambda text=text: _paused(before, text)) if before else None,
                "buildkit": (lambda text=text: buildkit.parse_string(text)) if buildkit else None,
                "dparse": (
                    (lambda text=text: DockerfileParser(fileobj=io.BytesIO(text.encode())).structure)
                    if DockerfileParser
                    else None
                ),
            },
            _repeat(args.repeat, text),
        )
        edits = sorted(_edit_costs(Document(text), args.edits))
        bk = figures.get("buildkit")
        ratio = f"{bk / figures['ours']:.2f}x" if bk else "-"
        row = [label, str(text.count("\n")), ms(figures["ours"]), ms(bk), ratio, ms(figures.get("dparse"))]
        row += [f"{statistics.median(edits) * 1e3:.3f}", f"{edits[int(len(edits) * 0.95)] * 1e3:.3f}"]
        if before:
            row += [ms(figures["before"]), f"{figures['before'] / figures['ours']:.2f}x"]
        print(" | ".join(row))
    header = ["file", "lines", "open ms", "buildkit parse ms", "bk/open", "edit cached ms", "edit uncached ms"]
    print("\nDiagnostics\n" + " | ".join([*header, "uncached/cached", "x 15 lines"]))
    smallest: float | None = None
    for label, text in files:
        cached, uncached = _Typist(text, cached=True), _Typist(text, cached=False)
        figures = _interleaved(
            {
                "open": lambda text=text: _analysis(text),
                "buildkit": (lambda text=text: buildkit.parse_string(text)) if buildkit else None,
                "cached": cached.edit_and_check,
                "uncached": uncached.edit_and_check,
            },
            _repeat(args.repeat, text) * 2,  # an even count: half the samples type, half delete
        )
        bk = figures.get("buildkit")
        smallest = smallest or figures["cached"]
        row = [label, str(text.count("\n")), ms(figures["open"]), ms(bk)]
        row += [f"{bk / figures['open']:.2f}x" if bk else "-", f"{figures['cached'] * 1e3:.2f}"]
        row += [f"{figures['uncached'] * 1e3:.2f}", f"{figures['uncached'] / figures['cached']:.1f}x"]
        row += [f"{figures['cached'] / smallest:.2f}x"]
        print(" | ".join(row))
    print("medians of CPU time; bk/ours and bk/open above 1: BuildKit's parser alone takes longer.")
    print("\nOpen, where the time goes (ms)\n" + " | ".join(["file", *_OPEN_PARTS, "total"]))
    for label, text in files:
        samples = [_open_parts(text) for _ in range(_repeat(args.repeat, text))]
        medians = [statistics.median(sample[index] for sample in samples) for index in range(len(_OPEN_PARTS))]
        print(" | ".join([label, *(f"{value * 1e3:.1f}" for value in medians), f"{sum(medians) * 1e3:.1f}"]))
    print("refs: the stage references (read by the graph rules first); each rule scope on a warm model;")
    print("json: the findings as LSP diagnostics, encoded (what a publish sends).")


_OPEN_PARTS = ("parse", "model", "refs", "instruction", "stage", "graph", "file", "json")


def _open_parts(text: str) -> list[float]:
    """One didOpen's CPU seconds by step: the parse, the stage model, its references, each rule
    scope alone (a fresh document each, so no scope reuses another's work but the model's), and the
    conversion of every finding to a JSON diagnostic. The collector is off, as in the server's open."""
    with collector_paused():
        return _open_steps(text)


def _open_steps(text: str) -> list[float]:
    clock = time.process_time
    start = clock()
    document = Document(text)
    parsed = clock()
    model = build_model(document)
    built = clock()
    model.refs  # noqa: B018  (a cached property: computed here, not by the first graph rule)
    figures = [parsed - start, built - parsed, clock() - built]
    for scope in (Scope.INSTRUCTION, Scope.STAGE, Scope.GRAPH, Scope.FILE):
        ids = [rule.id for rule in RULES if rule.scope is scope]
        began = clock()
        run_rules(document, model, select=ids, cache=RuleCache())
        figures.append(clock() - began)
    findings = run_rules(document, model)
    began = clock()
    uri = "file:///bench/Dockerfile"
    items = [diagnostic_json.diagnostic(uri, document, finding) for finding in findings]
    encode(diagnostic_json.publish_params(uri, 1, items))
    figures.append(clock() - began)
    return figures


def _repeat(repeat: int, text: str) -> int:
    return repeat if len(text) < 2_000_000 else max(3, repeat // 3)


if __name__ == "__main__":
    main()
