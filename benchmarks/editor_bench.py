"""Editor features, ours against the Node.js peer: what each answers, and how fast.

    python benchmarks/editor_bench.py [--peer node_modules/.bin/docker-langserver] [--sizes 15,1000,10000]
                                      [--repeat 15] [--skip-table] [--skip-latency]

Part 1 sends the same scenarios (a Dockerfile and a cursor) to both servers over LSP and prints a
one-line summary of each answer, side by side. Part 2 times completion at a line start and after
``$``, hover on a keyword, and semantic tokens (full and a 40-line range) on generated files of
15, 1,000 and 10,000 lines: medians and p95 in ms, with the ratio peer / ours. Both servers run in
this process's run, on this machine, one after the other. Uses the shared LSP client
(``../shared/tools/lspbench.py``). Install the peer with
``npm install dockerfile-language-server-nodejs@0.15.0``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

_spec = importlib.util.spec_from_file_location("lspbench", ROOT.parent / "shared" / "tools" / "lspbench.py")
assert _spec and _spec.loader
lspbench = importlib.util.module_from_spec(_spec)
sys.modules["lspbench"] = lspbench
_spec.loader.exec_module(lspbench)

Summary = Callable[[Any], str]


class Server:
    def __init__(self, command: str, folder: Path) -> None:
        self.client = lspbench.LspClient(command, workspace_folders=[{"uri": folder.as_uri(), "name": "bench"}])
        self.client.start()
        init = self.client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": folder.as_uri(),
                "capabilities": lspbench.client_capabilities(),
                "initializationOptions": {"sizes": {"online": False}, "diagnostics": {"delayMs": 50}},
            },
            timeout=60,
        )
        self.capabilities = (init.result or {}).get("capabilities", {})
        self.client.notify("initialized", {})
        self.version = 0

    def open(self, uri: str, text: str) -> None:
        self.version += 1
        self.client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": self.version, "text": text}},
        )

    def close(self, uri: str) -> None:
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def request(self, method: str, params: dict[str, Any], timeout: float = 120) -> tuple[Any, float]:
        try:
            pending = self.client.request(method, params, timeout=timeout)
        except lspbench.LspTimeout:
            return {"error": {"message": f"no answer in {timeout:.0f} s"}}, timeout * 1000
        return (pending.error and {"error": pending.error}) or pending.result, pending.ms

    def wait_for_diagnostics(self, uri: str, seconds: float) -> None:
        """Let the first diagnostics pass (they run on the same process) before timing anything."""
        with contextlib.suppress(Exception):  # a server that publishes nothing for this file: go on
            self.client.wait_notification(
                "textDocument/publishDiagnostics", lambda params: (params or {}).get("uri") == uri, timeout=seconds
            )

    def stop(self) -> None:
        try:
            with contextlib.suppress(lspbench.LspTimeout):  # a server that will not shut down is stopped anyway
                self.client.request("shutdown", None, timeout=30)
                self.client.notify("exit", None)
        finally:
            self.client.stop(timeout=5)


def _cursor(fixture: str) -> tuple[str, int, int]:
    before, _, after = fixture.partition("|")
    return before + after, before.count("\n"), len(before) - (before.rfind("\n") + 1)


def _labels(result: Any, limit: int = 6) -> str:
    if isinstance(result, dict) and "error" in result:
        return "error"
    items = result.get("items", []) if isinstance(result, dict) else (result or [])
    labels = [str(item.get("label")) for item in items]
    more = f" +{len(labels) - limit}" if len(labels) > limit else ""
    return (", ".join(labels[:limit]) + more) if labels else "(nothing)"


def _hover(result: Any) -> str:
    if not result:
        return "(nothing)"
    contents = result.get("contents")
    text = contents.get("value", "") if isinstance(contents, dict) else str(contents)
    first = next((line for line in text.splitlines() if line.strip()), "")
    link = "+link" if "docs.docker.com" in text else ""
    return (first[:60] + " " + link).strip()


def _signature(result: Any) -> str:
    if not result or not result.get("signatures"):
        return "(nothing)"
    signature = result["signatures"][result.get("activeSignature") or 0]
    return signature["label"][:60] + f" [param {result.get('activeParameter')}]"


def _count(what: str) -> Summary:
    def summary(result: Any) -> str:
        if isinstance(result, dict) and "error" in result:
            return "error: " + str(result["error"].get("message", ""))[:50]
        if result is None:
            return "null"
        if isinstance(result, dict) and "data" in result:
            return f"{len(result['data']) // 5} {what}"
        if isinstance(result, dict) and "changes" in result:
            return f"{sum(len(v) for v in result['changes'].values())} {what}"
        if isinstance(result, dict) and "documentChanges" in result:
            return f"{sum(len(c.get('edits', [])) for c in result['documentChanges'])} {what}"
        if isinstance(result, list):
            return f"{len(result)} {what}"
        if isinstance(result, dict) and "uri" in result:
            return f"1 {what}"
        if isinstance(result, dict) and "placeholder" in result:
            return f"'{result['placeholder']}'"
        return str(result)[:60]

    return summary


def _links(result: Any) -> str:
    return ", ".join(link.get("target", "?").replace("https://", "") for link in result or []) or "(nothing)"


def _formatting(result: Any) -> str:
    if not result:
        return "(nothing)" if result == [] else "null"
    return f"{len(result)} edits: " + "; ".join(repr(edit["newText"]) for edit in result[:3])


SCENARIOS: list[tuple[str, str, str, Summary]] = [
    ("completion: empty line", "FROM alpine\n|\n", "textDocument/completion", _labels),
    ("completion: COPY --", "FROM alpine AS b\nFROM b\nCOPY --|\n", "textDocument/completion", _labels),
    ("completion: FROM --", "FROM alpine AS builder\nFROM --|\n", "textDocument/completion", _labels),
    ("completion: HEALTHCHECK --", "FROM alpine\nHEALTHCHECK --|\n", "textDocument/completion", _labels),
    ("completion: ONBUILD", "FROM alpine\nONBUILD |\n", "textDocument/completion", _labels),
    ("completion: RUN --mount=type=", "FROM alpine\nRUN --mount=type=|\n", "textDocument/completion", _labels),
    ("completion: --mount cache keys", "FROM a\nRUN --mount=type=cache,|\n", "textDocument/completion", _labels),
    ("completion: RUN --network=", "FROM alpine\nRUN --network=|\n", "textDocument/completion", _labels),
    (
        "completion: COPY --from= (self?)",
        "FROM a AS one\nFROM a AS two\nCOPY --from=| x y\n",
        "textDocument/completion",
        _labels,
    ),
    (
        "completion: $ in RUN",
        "ARG G=1\nFROM alpine\nARG V=2\nENV E=3\nRUN echo $|\n",
        "textDocument/completion",
        _labels,
    ),
    ("completion: $ in FROM", "ARG TAG=3.20\nFROM alpine:$|\n", "textDocument/completion", _labels),
    ("completion: # directive", "# |\nFROM alpine\n", "textDocument/completion", _labels),
    ("completion: check=skip=", "# check=skip=|\nFROM alpine\n", "textDocument/completion", _labels),
    ("hover: keyword", "FROM alpine\nCO|PY a b\n", "textDocument/hover", _hover),
    ("hover: flag", "FROM alpine\nCOPY --ch|mod=755 a b\n", "textDocument/hover", _hover),
    ("hover: mount option", "FROM a\nRUN --mount=type=cache,sh|aring=locked x\n", "textDocument/hover", _hover),
    ("hover: variable", "FROM alpine\nARG V=1.2\nRUN echo $V|\n", "textDocument/hover", _hover),
    ("hover: variable in FROM", "ARG TAG=3.20\nFROM alpine:${TA|G}\n", "textDocument/hover", _hover),
    ("signature: FROM", "FROM |\n", "textDocument/signatureHelp", _signature),
    ("signature: COPY dest", "FROM a\nCOPY src |\n", "textDocument/signatureHelp", _signature),
    ("signature: USER group", "FROM a\nUSER app:|\n", "textDocument/signatureHelp", _signature),
    ("definition: variable", "FROM a\nARG V=1\nRUN echo $V|\n", "textDocument/definition", _count("locations")),
    (
        "references: mount from=",
        "FROM a AS b|ase\nFROM a\nRUN --mount=from=base,target=/x x\nCOPY --from=base a b\n",
        "textDocument/references",
        _count("locations"),
    ),
    (
        "highlight: variable",
        "FROM a\nARG V|=1\nRUN echo $V ${V}\n",
        "textDocument/documentHighlight",
        _count("highlights"),
    ),
    ("prepareRename: keyword", "FR|OM alpine\n", "textDocument/prepareRename", _count("")),
    ("rename: variable", "FROM a\nARG V|=1\nRUN echo $V\n", "textDocument/rename", _count("edits")),
    (
        "rename: stage with mount from=",
        "FROM a AS b|ase\nFROM a\nRUN --mount=from=base,target=/x x\nCOPY --from=base a b\n",
        "textDocument/rename",
        _count("edits"),
    ),
    (
        "semantic tokens: full",
        "FROM golang AS b\nARG V=1\nRUN --mount=type=cache,target=/c echo $V\nCOPY --from=b /a /b\n|",
        "textDocument/semanticTokens/full",
        _count("tokens"),
    ),
    (
        "document links",
        "# syntax=docker/dockerfile:1\nFROM golang:1.22\nFROM ghcr.io/o/app\nFROM quay.io/x/y\n|",
        "textDocument/documentLink",
        _links,
    ),
    (
        "formatting: casing+indent",
        "from alpine\n  run a && \\\nb\nRUN <<EOF\n  x  \nEOF\n|",
        "textDocument/formatting",
        _formatting,
    ),
    (
        "inlay hints",
        "ARG V=3.20\nFROM alpine:${V} AS base\nFROM scratch\nCOPY --from=0 /a /b\n|",
        "textDocument/inlayHint",
        _count("hints"),
    ),
]


def _params(method: str, uri: str, line: int, col: int, text: str) -> dict[str, Any]:
    doc = {"uri": uri}
    position = {"line": line, "character": col}
    lines = text.split("\n")
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
    if method in ("textDocument/semanticTokens/full", "textDocument/documentLink"):
        return {"textDocument": doc}
    if method == "textDocument/formatting":
        return {"textDocument": doc, "options": {"tabSize": 4, "insertSpaces": True}}
    if method == "textDocument/inlayHint":
        return {"textDocument": doc, "range": whole}
    if method == "textDocument/references":
        return {"textDocument": doc, "position": position, "context": {"includeDeclaration": True}}
    if method == "textDocument/rename":
        return {"textDocument": doc, "position": position, "newName": "renamed"}
    return {"textDocument": doc, "position": position}


def side_by_side(servers: dict[str, Server], folder: Path) -> None:
    names = list(servers)
    print(f"\n{'scenario':<34} " + " ".join(f"{name:<58}" for name in names))
    for index, (title, fixture, method, summary) in enumerate(SCENARIOS):
        text, line, col = _cursor(fixture)
        uri = (folder / f"scenario{index}.Dockerfile").as_uri()
        answers = []
        for server in servers.values():
            server.open(uri, text)
            result, _ = server.request(method, _params(method, uri, line, col, text))
            answers.append(summary(result))
            server.close(uri)
        print(f"{title:<34} " + " ".join(f"{answer[:58]:<58}" for answer in answers))


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def latency(servers: dict[str, Server], folder: Path, sizes: list[int], repeat: int) -> None:
    names = list(servers)
    header = f"{'lines':>6} {'request':<26} " + " ".join(f"{name + ' med/p95':>18}" for name in names)
    print("\n" + header + f" {'peer/ours (med)':>16}")
    for size in sizes:
        body = generate(size).split("\n")
        middle = min(len(body) - 2, size // 2)
        # an empty line and a "$" line in the middle of the file, in the same stage
        body[middle:middle] = ["", "RUN echo $"]
        text = "\n".join(body)
        keyword_line = next(i for i in range(middle + 2, len(body)) if body[i].startswith(("RUN", "COPY", "ENV")))
        requests = {
            "completion at line start": ("textDocument/completion", middle, 0),
            "completion after $": ("textDocument/completion", middle + 1, len("RUN echo $")),
            "hover on a keyword": ("textDocument/hover", keyword_line, 1),
            "semantic tokens full": ("textDocument/semanticTokens/full", 0, 0),
            "semantic tokens range": ("textDocument/semanticTokens/range", middle, 0),
        }
        uri = (folder / f"latency{size}.Dockerfile").as_uri()
        results: dict[str, dict[str, tuple[float, float] | None]] = {title: {} for title in requests}
        for name, server in servers.items():
            server.open(uri, text)
            server.wait_for_diagnostics(uri, 120)
            time.sleep(0.2)
            for title, (method, line, col) in requests.items():
                if method.startswith("textDocument/semanticTokens") and not server.capabilities.get(
                    "semanticTokensProvider"
                ):
                    results[title][name] = None
                    continue
                if method == "textDocument/semanticTokens/range":
                    params: dict[str, Any] = {
                        "textDocument": {"uri": uri},
                        "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 40, "character": 0}},
                    }
                else:
                    params = _params(method, uri, line, col, text)
                samples = []
                budget = time.monotonic() + 120  # a slow server gets fewer samples, not a stuck run
                for _ in range(repeat):
                    result, ms = server.request(method, params, timeout=60)
                    if isinstance(result, dict) and "error" in result:
                        samples = [] if ms < 60000 else [ms]
                        break
                    samples.append(ms)
                    if time.monotonic() > budget:
                        break
                results[title][name] = _stats(samples) if samples else None
            server.close(uri)
        for title in requests:
            cells = []
            for name in names:
                found = results[title].get(name)
                cells.append(f"{found[0]:8.1f}/{found[1]:<8.1f}" if found else f"{'-':>17}")
            ours, peer = results[title].get(names[0]), results[title].get(names[-1]) if len(names) > 1 else None
            ratio = f"{peer[0] / ours[0]:.1f}x" if ours and peer and ours[0] else "-"
            print(f"{size:>6} {title:<26} " + " ".join(f"{cell:>18}" for cell in cells) + f" {ratio:>16}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_peer = shutil.which("docker-langserver") or str(ROOT.parent / "node_modules" / ".bin" / "docker-langserver")
    parser.add_argument("--peer", default=default_peer)
    parser.add_argument("--ours", default=f"{sys.executable} -m dockerfile_stages serve")
    parser.add_argument("--sizes", default="15,1000,10000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--skip-table", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        servers = {"ours": Server(args.ours, folder)}
        if Path(args.peer).exists():
            servers["peer"] = Server(f"{args.peer} --stdio", folder)
        else:
            print(f"peer not found at {args.peer}: showing ours only")
        try:
            if not args.skip_table:
                side_by_side(servers, folder)
            if not args.skip_latency:
                latency(servers, folder, [int(size) for size in args.sizes.split(",")], args.repeat)
        finally:
            for server in servers.values():
                server.stop()


if __name__ == "__main__":
    main()
