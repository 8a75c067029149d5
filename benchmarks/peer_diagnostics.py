"""Our diagnostics against the peer server's on one-mistake Dockerfiles, both over LSP.

    python benchmarks/peer_diagnostics.py [--peer /work/node_modules/.bin/docker-langserver]

Opens each case of ``diagnostics_cases.py`` in both servers (ours: ``python -m dockerfile_stages
serve``; the peer: rcjsuen's ``docker-langserver --stdio``, ``npm install
dockerfile-language-server-nodejs@0.15.0``), waits for the published diagnostics, and prints one row
per case: whether each server flags the mistake's line, and what it says. Then the totals, and every
case the peer flags that we do not (there should be none).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT.parent / "shared" / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lspbench import LspClient  # noqa: E402

from diagnostics_cases import CASES, Case  # noqa: E402

Diagnostic = dict[str, Any]


def _diagnostics(command: str, folder: Path, cases: tuple[Case, ...]) -> list[list[Diagnostic]]:
    folder.mkdir(parents=True, exist_ok=True)
    client = LspClient(command, cwd=str(folder))
    client.start()
    capabilities = {"textDocument": {"publishDiagnostics": {}, "synchronization": {}}}
    client.request(
        "initialize", {"processId": os.getpid(), "rootUri": folder.as_uri(), "capabilities": capabilities}, 60
    )
    client.notify("initialized", {})
    found = []
    for index, case in enumerate(cases):
        path = folder / f"case{index:02d}" / "Dockerfile"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(case.text)
        uri = path.as_uri()
        after = client.seq
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": case.text}},
        )
        try:
            note = client.wait_notification(
                "textDocument/publishDiagnostics", lambda p, uri=uri: p.get("uri") == uri, after, timeout=15
            )
            found.append(note.msg["params"]["diagnostics"])
        except Exception:  # a server that never answers for this file: no diagnostics
            found.append([])
    client.stop()
    return found


def _on_line(diagnostics: list[Diagnostic], line: int) -> list[Diagnostic]:
    return [d for d in diagnostics if d["range"]["start"]["line"] + 1 == line or (line == 1 and not d["range"])]


def _label(diagnostics: list[Diagnostic]) -> str:
    if not diagnostics:
        return "-"
    codes = ", ".join(dict.fromkeys(str(d.get("code")) for d in diagnostics if d.get("code") is not None))
    message = " ".join(str(diagnostics[0].get("message", "")).split())[:60]
    return f"{codes}: {message}" if codes else message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer", default=str(ROOT.parent / "node_modules" / ".bin" / "docker-langserver"))
    args = parser.parse_args()
    ours_command = f"{shlex.quote(sys.executable)} -m dockerfile_stages serve"
    with tempfile.TemporaryDirectory() as tmp:
        ours = _diagnostics(ours_command, Path(tmp) / "ours", CASES)
        peer = (
            _diagnostics(f"{shlex.quote(args.peer)} --stdio", Path(tmp) / "peer", CASES)
            if Path(args.peer).exists()
            else [[] for _ in CASES]
        )
    print("| # | case | BuildKit | peer | ours |\n| --- | --- | --- | --- | --- |")
    missed = []
    counts = {"peer": 0, "ours": 0}
    for index, case in enumerate(CASES):
        peer_hits, our_hits = _on_line(peer[index], case.line), _on_line(ours[index], case.line)
        counts["peer"] += bool(peer_hits)
        counts["ours"] += bool(our_hits)
        if peer_hits and not our_hits:
            missed.append(case.name)
        kind = "refuses" if case.refused else "check"
        print(f"| {index + 1} | {case.name} | {kind} | {_label(peer_hits)} | {_label(our_hits)} |")
    print(f"\nflagged on the mistake's line: peer {counts['peer']}/{len(CASES)}, ours {counts['ours']}/{len(CASES)}")
    print("peer flags, ours does not:", ", ".join(missed) if missed else "none")


if __name__ == "__main__":
    main()
