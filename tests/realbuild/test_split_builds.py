"""Real builds: each example built single-stage and split, run, compared (buildah + podman)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import SHARED

ENV_SH = SHARED / "tools" / "realbuild" / "env.sh"
PROJECTS = Path(__file__).parent / "projects"
# the runner when the profile's default is not available offline here
RUNNERS = {"go-hello": "scratch"}
REQUIRED = {
    "c-hello": ["docker.io/library/gcc:13", "docker.io/library/debian:bookworm-slim"],
    "go-hello": ["docker.io/library/golang:1.19-bookworm"],
    "java-hello": ["docker.io/library/maven:3-jdk17", "docker.io/library/eclipse-temurin:17-jre"],
    "node-hello": ["docker.io/library/node:18-bookworm", "docker.io/library/node:18-slim"],
}

pytestmark = pytest.mark.realbuild


def _shell(command: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f". {ENV_SH} >/dev/null && {command}"], capture_output=True, text=True, timeout=timeout
    )


def _available() -> None:
    if shutil.which("buildah") is None or shutil.which("podman") is None:
        pytest.skip("buildah/podman are missing: run scripts/setup-realbuild.sh (.ci/run does)")
    if not ENV_SH.exists():
        pytest.skip(f"{ENV_SH} is missing (the shared realbuild tools)")


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_split_image_runs_the_same_and_is_smaller(name: str, tmp_path: Path) -> None:
    _available()
    for image in REQUIRED[name]:
        if _shell(f"podman image exists {image}").returncode != 0:
            pytest.skip(f"{image} is not built: run scripts/setup-realbuild.sh")
    project = tmp_path / name
    shutil.copytree(PROJECTS / name, project)
    runner = ["--runner", RUNNERS[name]] if name in RUNNERS else []
    split = subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", "split", str(project / "Dockerfile"), *runner],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert split.returncode == 0, split.stderr
    (project / "Dockerfile.split").write_text(split.stdout)
    results = {}
    for kind, dockerfile in (("single", "Dockerfile"), ("split", "Dockerfile.split")):
        tag = f"localhost/dockerfile-stages-test/{name}-{kind}:latest"
        build = _shell(f"buildah build $BUILD_FLAGS --pull=never --layers -t {tag} -f {project / dockerfile} {project}")
        assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
        run = _shell(f"podman run --rm --pull=never {tag}", timeout=300)
        assert run.returncode == 0, run.stderr
        size = _shell(f"podman image inspect --format '{{{{.Size}}}}' {tag}")
        results[kind] = (run.stdout.strip(), int(size.stdout.strip()))
    single, after = results["single"], results["split"]
    print(
        f"\nREALBUILD {name}: single-stage {single[1] / 1e6:.1f} MB, split {after[1] / 1e6:.1f} MB, "
        f"same output: {single[0] == after[0]} ({single[0]!r})"
    )
    assert single[0] == after[0] and single[0]
    assert after[1] < single[1]
    if os.environ.get("DS_KEEP_IMAGES") != "1":
        prefix = f"localhost/dockerfile-stages-test/{name}"
        _shell(f"podman rmi -f {prefix}-single {prefix}-split")
