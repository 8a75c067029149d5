"""Helix is not run (neither Debian nor PyPI ships a build): its snippet parses and runs our server."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from ..conftest import ROOT

if sys.version_info < (3, 11):
    pytest.skip("tomllib needs Python 3.11", allow_module_level=True)
import tomllib


def test_languages_toml_attaches_the_server_to_dockerfiles() -> None:
    config = tomllib.loads((ROOT / "editors" / "helix" / "languages.toml").read_text(encoding="utf-8"))
    server = config["language-server"]["dockerfile-stages"]
    languages = {language["name"]: language for language in config["language"]}
    assert "dockerfile-stages" in languages["dockerfile"]["language-servers"]
    assert "dockerfile-stages" in languages["docker-compose"]["language-servers"]
    assert server["config"] == {"dockerfileStages": {"diagnostics": {"delayMs": 150}}}
    command = shutil.which(server["command"])
    if command is None:
        pytest.skip("the dockerfile-stages command is not on PATH (pip install -e .)")
    usage = subprocess.run([command, *server["args"], "--help"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 0 and "stdio" in usage.stdout, usage.stderr
