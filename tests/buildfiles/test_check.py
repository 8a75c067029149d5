"""``check`` on a repository root reports unknown targets and missing paths in its build files, and
counts every build's target as used (DS110)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "workspace"


def check(*args: str, cwd: Path = FIXTURE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", "check", *args], capture_output=True, text=True, timeout=60, cwd=cwd
    )


def test_check_the_root() -> None:
    result = check("--severity", "hint", ".")
    assert result.returncode == 1, result.stderr
    assert [line.split(" ", 3)[:3] for line in result.stdout.splitlines()] == [
        ["compose.yaml:9:15:", "error", "DS150"],
        ["compose.yaml:12:16:", "error", "DS151"],
        ["scripts/build.sh:4:23:", "error", "DS150"],
    ]  # and no DS110: lint is built by the Makefile, the others by Compose, Bake and the workflow


def test_json_names_the_fix() -> None:
    result = check("--format", "json", "--select", "unknown-target", str(FIXTURE))
    items = json.loads(result.stdout)
    assert [(Path(item["file"]).name, item["fixes"]) for item in items] == [
        ("compose.yaml", ["Change to 'test'"]),
        ("build.sh", ["Change to 'release'"]),
    ]


def test_a_lone_dockerfile_reports_only_its_own_findings_but_counts_the_builds() -> None:
    result = check("--severity", "hint", "svc/Dockerfile")
    assert (result.returncode, result.stdout) == (0, "")


def test_without_the_makefile_lint_is_unused(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text((FIXTURE / "svc" / "Dockerfile").read_text())
    (tmp_path / "compose.yaml").write_text((FIXTURE / "compose.yaml").read_text())
    result = check("--severity", "hint", "--select", "DS110", ".", cwd=tmp_path)
    # test too: the Compose file asks for "tast", which builds nothing
    assert [line.split(":")[:2] for line in result.stdout.splitlines()] == [
        ["svc/Dockerfile", "5"],
        ["svc/Dockerfile", "8"],
    ]
