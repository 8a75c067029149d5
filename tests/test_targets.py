"""--target stages from Compose and Bake files count as used (DS110), in the CLI and the server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dockerfile_stages.workspace.build_files import load_all, nearby

DOCKERFILE = (
    "FROM golang:1.22 AS builder\nRUN CGO_ENABLED=0 go build -o /app\n"
    "FROM alpine:3.19 AS debug\nFROM alpine:3.19 AS test\nFROM alpine:3.19 AS lint\n"
    "FROM scratch\nCOPY --from=builder /app /app\n"
)


def _project(root: Path) -> Path:
    service = root / "svc"
    service.mkdir()
    (service / "Dockerfile").write_text(DOCKERFILE)
    (root / "compose.yaml").write_text(
        "services:\n  api:\n    build:\n      context: ./svc\n      target: debug\n"
        "  other:\n    build:\n      context: ./elsewhere\n      target: lint\n"
    )
    (root / "docker-bake.hcl").write_text(
        'target "test" {\n  context = "svc"\n  dockerfile = "Dockerfile"\n  target = "test"\n}\n'
    )
    (root / "docker-bake.override.json").write_text(
        json.dumps({"target": {"x": {"context": "nowhere", "target": "lint"}}})
    )
    return service / "Dockerfile"


def find_targets(dockerfile: Path) -> tuple[str, ...]:
    return load_all(nearby(dockerfile)).targets_of(dockerfile)


def test_find_targets(tmp_path: Path) -> None:
    dockerfile = _project(tmp_path)
    assert find_targets(dockerfile) == ("debug", "test")  # "lint" belongs to other Dockerfiles


def test_broken_files_are_skipped(tmp_path: Path) -> None:
    dockerfile = _project(tmp_path)
    (tmp_path / "compose.yaml").write_text("services: [unclosed\n")
    (tmp_path / "docker-bake.hcl").write_text('target "x" {\n')
    assert find_targets(dockerfile) == ()


def test_check_counts_them(tmp_path: Path) -> None:
    dockerfile = _project(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dockerfile_stages",
            "check",
            "--severity",
            "hint",
            "--select",
            "DS110",
            str(dockerfile),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    unused = [line.split(":")[1] for line in result.stdout.splitlines()]
    assert unused == ["5"]  # only "lint": debug (Compose) and test (Bake) are built as targets
