"""Requests whose answers are large (issue 16, "no input over 1 s under 1 MB"), on 80 kB files:
``stages``, lines of ``FROM a AS b`` (6,666 stages, 20,000 findings); ``uses``, one stage named by
3,636 indented ``copy --from=b`` lines (references, rename, 7,272 formatting edits). Every document
request is timed from the client (wall ms from sending to the answer read, before the client
parses it) and as the server's CPU ms (less sensitive to a loaded machine). Medians of ``--runs``
rounds; with ``--before`` an older checkout's server is measured in the same run, round by round,
and the ratio before / now is printed.

    PYTHONPATH=server python benchmarks/large_answers.py [--shape stages|uses] [--runs 5]
        [--before CHECKOUT]   # e.g. git worktree add /tmp/old <commit>; its server/ is used
        [--max-problems N]    # diagnostics.maxProblems for both (default: 0, no cap, the whole answer)

Uses the shared LSP client (``../shared/tools/lspbench.py``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("lspbench", ROOT.parent / "shared" / "tools" / "lspbench.py")
assert _spec and _spec.loader
lspbench = importlib.util.module_from_spec(_spec)
sys.modules["lspbench"] = lspbench
_spec.loader.exec_module(lspbench)

# (first line, the line repeated to about 80 kB, the cursor for navigation: on a stage name "b")
SHAPES = {
    "stages": ("", "FROM a AS b\n", (3333, 10)),  # 6,666 stages, 20,000 findings
    "uses": ("FROM a AS b\n", "  copy --from=b /a /a\n", (0, 10)),  # one stage named 3,636 times, 7,272 edits to format
}
KILOBYTES = 80


def text_of(shape: str) -> tuple[str, tuple[int, int]]:
    first, line, where = SHAPES[shape]
    return first + line * (KILOBYTES * 1000 // len(line)), where


def requests(uri: str, lines: int, cursor: tuple[int, int]) -> dict[str, tuple[str, dict[str, Any]]]:
    """What is timed: a label, and the request (method, params) on the document."""
    doc = {"textDocument": {"uri": uri}}
    where = {**doc, "position": {"line": cursor[0], "character": cursor[1]}}
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}}
    return {
        "diagnostic (pull)": ("textDocument/diagnostic", doc),
        "codeLens": ("textDocument/codeLens", doc),
        "documentSymbol": ("textDocument/documentSymbol", doc),
        "documentLink": ("textDocument/documentLink", doc),
        "semanticTokens/full": ("textDocument/semanticTokens/full", doc),
        "foldingRange": ("textDocument/foldingRange", doc),
        "selectionRange": ("textDocument/selectionRange", {**doc, "positions": [where["position"]]}),
        "documentHighlight": ("textDocument/documentHighlight", where),
        "references": ("textDocument/references", {**where, "context": {"includeDeclaration": True}}),
        "rename": ("textDocument/rename", {**where, "newName": "c"}),
        "inlayHint": ("textDocument/inlayHint", {**doc, "range": whole}),
        "workspace/symbol": ("workspace/symbol", {"query": ""}),
        "codeAction (whole file)": ("textDocument/codeAction", {**doc, "range": whole, "context": {"diagnostics": []}}),
        "formatting": ("textDocument/formatting", {**doc, "options": {"tabSize": 4, "insertSpaces": True}}),
    }


class Server:
    def __init__(self, label: str, server_folder: Path, folder: Path, max_problems: int) -> None:
        self.label = label
        python = os.path.realpath(sys.executable)
        command = f"env PYTHONPATH={shlex.quote(str(server_folder))} {shlex.quote(python)} -m dockerfile_stages serve"
        self.client = lspbench.LspClient(command, workspace_folders=[{"uri": folder.as_uri(), "name": "bench"}])
        self.client.start()
        options = {"sizes": {"online": False}, "diagnostics": {"delayMs": 0, "maxProblems": max_problems}}
        self.client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": folder.as_uri(),
                "capabilities": lspbench.client_capabilities(),
                "initializationOptions": options,
            },
            timeout=120,
        )
        self.client.notify("initialized", {})

    def open(self, uri: str, text: str) -> None:
        seq = self.client.seq
        item = {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}
        self.client.notify("textDocument/didOpen", {"textDocument": item})
        self.client.wait_notification(
            "textDocument/publishDiagnostics", lambda params: params["uri"] == uri, after_seq=seq, timeout=300
        )

    def time(self, method: str, params: dict[str, Any]) -> tuple[float, float, int]:
        """Wall ms, server CPU ms, and the answer's size in bytes (as JSON)."""
        cpu = lspbench.read_cpu_s(self.client.pid)
        pending = self.client.request(method, params, timeout=300)
        wall = pending.ms  # sent -> answer read (the client's own JSON parsing not counted)
        cpu_ms = (lspbench.read_cpu_s(self.client.pid) - cpu) * 1000
        if pending.error:
            raise RuntimeError(f"{self.label}: {method} answered {pending.error}")
        return wall, cpu_ms, len(json.dumps(pending.result))

    def stop(self) -> None:
        self.client.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", choices=sorted(SHAPES), default="stages")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="an older checkout, measured in the same run")
    parser.add_argument("--max-problems", type=int, default=0, help="diagnostics.maxProblems (0: no cap)")
    args = parser.parse_args()
    text, cursor = text_of(args.shape)
    lines = text.count("\n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "Dockerfile").write_text(text)
        uri = (folder / "Dockerfile").as_uri()
        servers = [Server("now", ROOT / "server", folder, args.max_problems)]
        if args.before is not None:
            servers.insert(0, Server("before", args.before / "server", folder, args.max_problems))
        try:
            for server in servers:
                server.open(uri, text)
            cases = requests(uri, lines, cursor)
            figures: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
            for _ in range(args.runs):
                for label, (method, params) in cases.items():
                    for server in servers:
                        figures.setdefault((server.label, label), []).append(server.time(method, params))
        finally:
            for server in servers:
                server.stop()
    print(f"{args.shape}: {len(text) / 1000:.0f} kB, {lines} lines; medians of {args.runs} (wall ms / server CPU ms)")
    header = f"{'request':<22} {'answer kB':>9}"
    for server in servers:
        header += f" {server.label + ' wall':>12} {server.label + ' cpu':>11}"
    if len(servers) == 2:
        header += f" {'before/now':>10}"
    print(header)
    for label in cases:
        row = f"{label:<22} {figures[(servers[-1].label, label)][0][2] / 1000:>9.0f}"
        walls = []
        for server in servers:
            samples = figures[(server.label, label)]
            wall = statistics.median(s[0] for s in samples)
            walls.append(wall)
            row += f" {wall:>12.0f} {statistics.median(s[1] for s in samples):>11.0f}"
        if len(servers) == 2:
            row += f" {walls[0] / max(walls[1], 0.1):>9.1f}x"
        print(row)


if __name__ == "__main__":
    main()
