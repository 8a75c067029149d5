"""Language server latency and memory, ours against the Node.js peer, through the shared probe.

    python benchmarks/lsp_bench.py [--peer PATH/TO/docker-langserver] [--sizes 15,1000,10000,50000]

Drives each server over stdio with ``../shared/tools/lspbench.py bench`` on generated multi-stage
files (the sizes the guide uses) and prints the figures side by side with ratios (peer / ours).
Install the peer with ``npm install dockerfile-language-server-nodejs@0.15.0``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LSPBENCH = ROOT.parent / "shared" / "tools" / "lspbench.py"
SIZES = {15: (1, 8, 1), 1000: (20, 51, 1), 10000: (100, 101, 2), 50000: (250, 201, 3)}
METRICS = [
    ("spawn->initialized ms", ("spawn_to_initialized_ms",)),
    ("didOpen->diagnostics ms", ("open_to_first_diagnostics_ms",)),
    ("keystroke->completion med ms", ("edit_completion_rtt", "median")),
    ("keystroke->completion p95 ms", ("edit_completion_rtt", "p95")),
    ("completion med ms", ("completion", "median")),
    ("hover med ms", ("hover", "median")),
    ("peak RSS MiB", ("memory", "peak_rss_vmhwm_mib")),
]


def _dig(data: Any, path: tuple[str, ...]) -> float | None:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return float(data) if isinstance(data, (int, float)) else None


def _run(server: str, file: Path, out: Path, edits: int) -> dict[str, Any]:
    command = [
        sys.executable,
        str(LSPBENCH),
        "--server",
        server,
        "--timeout",
        "600",
        "bench",
        str(file),
        "--edits",
        str(edits),
        "--json",
        str(out),
    ]
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=3600)
    data = json.loads(out.read_text()) if out.exists() else {}
    return data[0] if isinstance(data, list) and data else data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer", default=shutil.which("docker-langserver") or "node_modules/.bin/docker-langserver")
    parser.add_argument("--ours", default="dockerfile-stages serve")
    parser.add_argument("--sizes", default="15,1000,10000,50000")
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--peer-max-lines", type=int, default=50000, help="skip the peer above this size")
    args = parser.parse_args()
    peer = f"{args.peer} --stdio" if Path(args.peer).exists() else None
    if peer is None:
        print(f"peer not found at {args.peer}: showing ours only")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            stages, per_stage, seed = SIZES[size]
            file = Path(tmp) / f"bench{size}.Dockerfile"
            generated = subprocess.run(
                [
                    sys.executable,
                    str(LSPBENCH),
                    "gen",
                    "--stages",
                    str(stages),
                    "--lines-per-stage",
                    str(per_stage),
                    "--seed",
                    str(seed),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            file.write_text(generated.stdout)
            ours = _run(args.ours, file, Path(tmp) / f"ours{size}.json", args.edits)
            theirs = (
                _run(peer, file, Path(tmp) / f"peer{size}.json", args.edits)
                if peer and size <= args.peer_max_lines
                else {}
            )
            print(f"\n{file.name}: {len(generated.stdout.splitlines())} lines")
            print(f"  {'metric':<30} {'ours':>10} {'peer':>10} {'peer/ours':>10}")
            for label, path in METRICS:
                mine, other = _dig(ours, path), _dig(theirs, path)
                ratio = f"{other / mine:.1f}x" if mine and other else "-"
                fmt = lambda v: f"{v:.1f}" if v is not None else "-"  # noqa: E731
                print(f"  {label:<30} {fmt(mine):>10} {fmt(other):>10} {ratio:>10}")


if __name__ == "__main__":
    main()
