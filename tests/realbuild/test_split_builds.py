"""Real builds: each project built single-stage and split, both run, compared (`split --verify`).

Every project under projects/ is a single-stage Dockerfile that builds offline from the base images
scripts/setup-realbuild.sh makes. The check is the command users run, `dockerfile-stages split
--verify`, with buildah (and podman to run); the table of sizes is printed at the end of the run.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import SHARED
from .conftest import Row, Table

ENV_SH = SHARED / "tools" / "realbuild" / "env.sh"
PROJECTS = Path(__file__).parent / "projects"
NAMES = sorted(path.name for path in PROJECTS.iterdir() if (path / "Dockerfile").is_file())

pytestmark = pytest.mark.realbuild
# Wall-clock seconds the projects may take together (CI has 90 minutes for set-up and the whole suite):
# projects not started in time skip, saying so, and the table shows what was built.
BUDGET_S = float(os.environ.get("DS_REALBUILD_BUDGET_S", "2100"))


def _engine_env() -> dict[str, str]:
    """The environment env.sh sets up (private storage and configuration for buildah/podman)."""
    script = f". {shlex.quote(str(ENV_SH))} >/dev/null && echo BUILD_FLAGS=$BUILD_FLAGS && env -0"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=True)
    first, _, rest = result.stdout.partition("\n")
    env = dict(item.split("=", 1) for item in rest.split("\0") if "=" in item)
    env["BUILD_FLAGS"] = first.partition("=")[2]
    return env


@pytest.fixture(scope="module")
def started() -> float:
    """When the first project began."""
    return time.monotonic()


@pytest.fixture(scope="module")
def built_images() -> list[str]:
    """The tags this run built: removed at the end (other runs on the machine keep theirs)."""
    return []


@pytest.fixture(scope="module")
def engine_env(built_images: list[str]) -> Iterator[dict[str, str]]:
    if shutil.which("buildah") is None or shutil.which("podman") is None:
        pytest.skip("buildah/podman are missing: run scripts/setup-realbuild.sh (.ci/run does)")
    if not ENV_SH.exists():
        pytest.skip(f"{ENV_SH} is missing (the shared realbuild tools)")
    env = _engine_env()
    yield env
    if os.environ.get("DS_KEEP_IMAGES") != "1" and built_images:
        # the images stay until the end so that later projects reuse the builder layers they share
        subprocess.run(["podman", "rmi", "-f", *built_images], capture_output=True, env=env, timeout=600)


def _images_of(dockerfile: str) -> list[str]:
    return re.findall(r"(?im)^FROM\s+(?:--\S+\s+)*(\S+)", dockerfile)


def _normalised(image: str) -> str:
    name = image if "/" in image.split(":")[0] else f"library/{image}"
    if "." not in name.split("/")[0] and name.split("/")[0] != "localhost":
        name = f"docker.io/{name}"
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


def _missing_images(project: Path, env: dict[str, str]) -> list[str]:
    split = _dockerfile_stages("split", str(project / "Dockerfile"), env=env)
    images = _images_of((project / "Dockerfile").read_text()) + _images_of(split.stdout)
    missing = []
    for image in dict.fromkeys(images):
        if image.lower() == "scratch" or image.lower() == "builder":
            continue
        exists = subprocess.run(["podman", "image", "exists", _normalised(image)], env=env, timeout=60)
        if exists.returncode != 0:
            missing.append(image)
    return missing


def _dockerfile_stages(*args: str, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_there_are_forty_projects() -> None:
    assert len(NAMES) >= 40


@pytest.mark.parametrize("name", NAMES)
def test_split_image_starts_and_prints_the_same(
    name: str, engine_env: dict[str, str], built_images: list[str], size_table: Table, tmp_path: Path, started: float
) -> None:
    if time.monotonic() - started > BUDGET_S:
        pytest.skip(f"the real-build time budget ({BUDGET_S:.0f} s, DS_REALBUILD_BUDGET_S) is spent before {name}")
    project = tmp_path / name
    shutil.copytree(PROJECTS / name, project)
    missing = _missing_images(project, engine_env)
    if missing:
        pytest.skip(f"base images not built here: {', '.join(missing)} (run scripts/setup-realbuild.sh)")
    options = [f"--build-opt={word}" for word in shlex.split(engine_env["BUILD_FLAGS"])]
    verified = _dockerfile_stages(
        "split",
        "--verify",
        "--engine",
        "buildah",
        "--keep-images",
        "--format",
        "json",
        *options,
        str(project / "Dockerfile"),
        env=engine_env,
        timeout=1800,
    )
    assert verified.stdout.strip(), verified.stderr[-3000:]
    result = json.loads(verified.stdout)
    built_images.extend(result["images"])
    original, split = result["original"], result["split"]
    # a split that does not build or run counts in the table as not the same
    size_table.rows.append(Row(name, result["runner"], result["same"], original["size"], split["size"]))
    print(f"\nREALBUILD {name}: {original['size']} -> {split['size']} bytes, same: {result['same']}")
    assert original["exit_status"] == 0 and original["output"].strip(), original
    assert split["built"], split["build_log"]
    assert result["same"], f"original: {original['output']!r}\nsplit: {split['output']!r}"
    assert split["size"] < original["size"]
