"""A real VS Code: code-server with the packaged extension, driven through headless chromium.

The steps and their checks are in vscode-client/e2e/run.mjs; each saves a screenshot under
artifacts/vscode-e2e/ (DS_ARTIFACTS overrides). Skips only where code-server is not installed
(scripts/install-code-server.sh installs it; scripts/setup-test-env.sh runs that).

Two code-servers run: one with workspace trust off for steps 1-8, and one with it on, where the
folder opens untrusted (sizes from the snapshot only, lenses say why) and granting trust in the trust
editor reaches the server (the note goes).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT

CLIENT = ROOT / "vscode-client"
VSIX = CLIENT / "dockerfile-stages.vsix"
CHROMIUM = Path("/usr/bin/chromium")
STEPS = {
    "01-server-ready",
    "02-completion-from",
    "03-hover-image-size",
    "04-problems-unknown-stage",
    "05-split-code-action",
    "06-compose-target-completion",
    "07-size-report-command",
    "08-setting-reaches-server",
    "09-untrusted-no-network",  # a second code-server, with workspace trust on
    "10-trust-granted-reaches-server",
}


def _code_server() -> Path:
    configured = os.environ.get("DS_CODE_SERVER_DIR", str(Path.home() / ".cache" / "dockerfile-stages" / "code-server"))
    binary = Path(configured) / "node_modules" / ".bin" / "code-server"
    if not binary.exists():
        pytest.skip(f"code-server is not installed at {binary}: bash scripts/install-code-server.sh installs it")
    return binary


def _sources_newer_than(target: Path) -> bool:
    built = target.stat().st_mtime
    sources = [CLIENT / "package.json", *(CLIENT / "src").rglob("*.ts"), *(ROOT / "server").rglob("*.py")]
    return any(path.stat().st_mtime > built for path in sources)


def _vsix() -> Path:
    """The VSIX of the code in this checkout: built again when a source is newer than it."""
    if VSIX.exists() and not _sources_newer_than(VSIX):
        return VSIX
    npm = shutil.which("npm")
    assert npm, "npm is missing: scripts/setup-test-env.sh installs Node.js and npm"
    if not (CLIENT / "node_modules").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=CLIENT, check=True, timeout=600)
    subprocess.run([npm, "run", "package"], cwd=CLIENT, check=True, timeout=900, capture_output=True)
    return VSIX


def test_extension_in_code_server(tmp_path: Path) -> None:
    code_server = _code_server()
    assert CHROMIUM.exists(), "Debian's chromium is missing: apt-get install chromium (setup-test-env.sh does)"
    vsix = _vsix()
    out = Path(os.environ.get("DS_ARTIFACTS", ROOT / "artifacts")) / "vscode-e2e"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    command = ["node", "e2e/run.mjs", "--code-server", str(code_server), "--vsix", str(vsix), "--out", str(out)]
    try:
        process = subprocess.run(command, cwd=CLIENT, env=env, capture_output=True, text=True, timeout=480)
    finally:
        _stop_left_over(tmp_path)
    log = process.stdout[-4000:] + process.stderr[-2000:]
    results_file = out / "results.json"
    assert results_file.exists(), f"the e2e run wrote no results:\n{log}"
    results = json.loads(results_file.read_text())["results"]
    failed = {name: result["detail"] for name, result in results.items() if not result["ok"]}
    assert not failed, f"{failed}\n{log}"
    assert set(results) == STEPS, log
    assert process.returncode == 0, log
    for step in STEPS:
        assert (out / f"{step}.png").stat().st_size > 10_000, f"no screenshot of {step}"


def _stop_left_over(tmp_path: Path) -> None:
    """Kill what the run left behind: once in three full runs a code-server of the second phase (its
    own process group, its folders under ``tmp_path``) outlived run.mjs's cleanup; a test run must
    not leave a server on the machine."""
    import signal

    marker = str(tmp_path).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "cmdline").read_bytes():
                group = os.getpgid(int(entry.name))
                if group != os.getpgrp():  # its own group (code-server's, with the children it starts)
                    os.killpg(group, signal.SIGKILL)
        except (OSError, ValueError):
            continue  # gone already, or not ours to read
