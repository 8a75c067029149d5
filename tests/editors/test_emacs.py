"""Real editors: headless Emacs with eglot, loading editors/emacs/dockerfile-stages-eglot.el, and
lsp-mode loading editors/emacs/dockerfile-stages-lsp-mode.el (registration checked, not run)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT

EMACS_DIR = ROOT / "editors" / "emacs"
ELPA = Path("/usr/share/emacs/site-lisp/elpa")


def _emacs(package: str) -> str:
    found = shutil.which("emacs")
    if found is None:
        pytest.skip(
            "Emacs is missing: apt-get install emacs-nox elpa-eglot elpa-dockerfile-mode (setup-test-env.sh does)"
        )
    if not list(ELPA.glob(f"{package}-*")):
        pytest.skip(f"Debian's elpa-{package} is missing (setup-test-env.sh installs it)")
    if shutil.which("dockerfile-stages") is None:
        pytest.skip("the dockerfile-stages command is not on PATH (pip install -e .)")
    return found


def _environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "WORK_DIR": str(tmp_path),
        "HOME": str(tmp_path),  # no user init or package state leaks in or out
        "TMPDIR": str(tmp_path),
        "DOCKERFILE_STAGES_OFFLINE": "1",
    }


def test_eglot_drives_the_server(tmp_path: Path) -> None:
    emacs = _emacs("eglot")
    out = tmp_path / "results.json"
    env = {**_environment(tmp_path), "OUT_JSON": str(out), "SNIPPET": str(EMACS_DIR / "dockerfile-stages-eglot.el")}
    script = ROOT / "tests" / "editors" / "eglot_check.el"
    process = subprocess.run(
        [emacs, "--batch", "-Q", "-l", str(script)], env=env, capture_output=True, text=True, timeout=180
    )
    assert out.exists(), f"Emacs wrote no results: {process.stderr[-3000:]}"
    results = json.loads(out.read_text())
    assert "error" not in results, f"{results['error']}\n{process.stderr[-3000:]}"
    failed = {name: check for name, check in results["checks"].items() if not check["ok"]}
    assert not failed, failed
    assert set(results["checks"]) == {
        "attached",
        "completion",
        "diagnostics",
        "hover",
        "definition",
        "diagnostics_after_edit",
    }


def test_lsp_mode_snippet_registers_the_client(tmp_path: Path) -> None:
    emacs = _emacs("lsp-mode")
    snippet = EMACS_DIR / "dockerfile-stages-lsp-mode.el"
    program = f"""
(progn
  (setq package-directory-list '("{ELPA}") package-user-dir "{tmp_path / "elpa"}")
  (package-initialize)
  (load "{snippet}" nil t)
  (require 'lsp-mode)
  (let ((client (gethash 'dockerfile-stages lsp-clients)))
    (princ (format "registered=%s modes=%S command=%S"
                   (and client t)
                   (and client (lsp--client-major-modes client))
                   (and client (funcall (plist-get (lsp--client-new-connection client) :test?)))))))
"""
    process = subprocess.run(
        [emacs, "--batch", "-Q", "--eval", program],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "registered=t" in process.stdout, process.stdout + process.stderr[-3000:]
    assert "dockerfile-mode" in process.stdout
    assert "command=t" in process.stdout, "lsp-mode does not find dockerfile-stages on PATH"
