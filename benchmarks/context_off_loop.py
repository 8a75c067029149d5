"""Requests while a large build context is measured (#16 item 4): a Dockerfile with ``COPY . /x`` in a
folder of FILES files; the first code lens starts the walk on the workspace worker, and hovers and
completions are sent during it. Before the walk moved off the event loop, every request waited for
it (14 s on the issue's folder, again every 10 s).

    PYTHONPATH=server python benchmarks/context_off_loop.py [FILES] [REQUESTS]

Prints how long the walk took (until the lens shows the context's size), and the median and worst
answer of the requests sent while it ran, against the same requests with the context measured.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fuzz.raw_lsp import RawServer

DOCKERFILE = "FROM golang:1.22 AS base\nWORKDIR /x\nCOPY . /x\nFROM base\nRUN echo done\n"


def make_context(root: Path, files: int) -> None:
    per_folder = 500
    for start in range(0, files, per_folder):
        folder = root / "src" / f"d{start // per_folder}"
        folder.mkdir(parents=True)
        for number in range(start, min(start + per_folder, files)):
            (folder / f"f{number}.txt").write_bytes(b"x" * 100)
    (root / "Dockerfile").write_text(DOCKERFILE)


def timed(server: RawServer, method: str, params: dict[str, object]) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    answer = server.request(method, params, timeout=120)
    return time.perf_counter() - started, answer


def lens_titles(answer: dict[str, object]) -> str:
    result = answer.get("result") or []
    return " | ".join(str(lens["command"]["title"]) for lens in result if isinstance(lens, dict))  # type: ignore[index]


def requests(server: RawServer, uri: str, count: int) -> list[float]:
    document = {"textDocument": {"uri": uri}}
    seconds = []
    for number in range(count):
        if number % 2:
            params = {**document, "position": {"line": 2, "character": 2}}
            seconds.append(timed(server, "textDocument/hover", params)[0])
        else:
            params = {**document, "position": {"line": 4, "character": 0}}
            seconds.append(timed(server, "textDocument/completion", params)[0])
    return seconds


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        started = time.perf_counter()
        make_context(root, files)
        print(f"context: {files} files made in {time.perf_counter() - started:.1f} s")
        uri = (root / "Dockerfile").as_uri()
        server = RawServer()
        try:
            server.initialize({"sizes": {"online": False, "hoverWaitMs": 0}})
            server.open(uri, DOCKERFILE)
            ready, _ = timed(server, "textDocument/documentSymbol", {"textDocument": {"uri": uri}})
            print(f"first request (the server finishing its start-up): {ready * 1000:.0f} ms")
            walk_started = time.perf_counter()
            first, answer = timed(server, "textDocument/codeLens", {"textDocument": {"uri": uri}})
            during = requests(server, uri, count)
            while "build-context files" in lens_titles(answer):
                _, answer = timed(server, "textDocument/codeLens", {"textDocument": {"uri": uri}})
                if time.perf_counter() - walk_started > 600:
                    break
                time.sleep(0.05)
            walk = time.perf_counter() - walk_started
            after = requests(server, uri, count)
            print(f"first code lens answered in {first * 1000:.0f} ms; the walk took {walk:.1f} s")
            print(f"  lens: {lens_titles(answer)}")
            for name, seconds in (("during the walk", during), ("after it", after)):
                print(
                    f"{count} hovers/completions {name}: median {statistics.median(seconds) * 1000:.1f} ms, "
                    f"worst {max(seconds) * 1000:.0f} ms"
                )
            server.stop()
        finally:
            server.kill()


if __name__ == "__main__":
    main()
