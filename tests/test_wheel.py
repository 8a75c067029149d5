"""The release artefacts: an sdist and a wheel that twine accepts, and a wheel that runs with no source tree.

Built offline (no build isolation, the build backend of this environment) from a copy of the files git
tracks, so a file missing from the sdist breaks the wheel built from it. The wheel goes into a fresh
virtual environment that sees this environment's dependencies but not our source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from dockerfile_stages import __version__

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "go-multistage" / "Dockerfile"


def _tracked_files() -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listing.returncode != 0:
        pytest.skip("not a git checkout: the sdist is built from the files git tracks")
    return [name for name in listing.stdout.decode().split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build")
    source = tmp_path_factory.mktemp("source")
    for name in _tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its bin directory."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    wheel = next(dist.glob("*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(bin_dir / "python"),
            "install",
            "--no-deps",
            "--ignore-installed",  # the venv sees our editable install too: pip would call the wheel installed
            "--quiet",
            str(wheel),
        ],
        env=_without_source_tree(),
        check=True,
        capture_output=True,
    )
    return bin_dir


def _without_source_tree() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def _run(bin_dir: Path, *args: str, stdin: bytes | None = None, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**_without_source_tree(), "DOCKERFILE_STAGES_OFFLINE": "1"}
    return subprocess.run(
        [str(bin_dir / "dockerfile-stages"), *args], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=60
    )


def test_sdist_and_wheel_pass_twine_check(dist: Path) -> None:
    pytest.importorskip("twine")
    names = sorted(path.name for path in dist.iterdir())
    assert any(name.endswith(".whl") for name in names) and any(name.endswith(".tar.gz") for name in names), names
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_wheel_runs_without_the_source_tree(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import dockerfile_stages; print(dockerfile_stages.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_without_source_tree(),
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where.stdout + where.stderr

    version = _run(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and __version__ in version.stdout.decode(), version

    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20 AS base\nFROM base\nCOPY --from=bsae /x /x\n")
    check = _run(installed, "check", "Dockerfile", cwd=tmp_path)
    assert check.returncode == 1 and b"DS100" in check.stdout, check

    size = _run(installed, "size", "--offline", str(EXAMPLE), cwd=tmp_path)
    assert size.returncode == 0 and b"golang" in size.stdout, size  # the bundled snapshot ships in the wheel


def test_the_installed_server_answers_initialize(installed: Path, tmp_path: Path) -> None:
    def frame(message: dict[str, object]) -> bytes:
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)

    session = b"".join(
        frame(message)
        for message in (
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": None, "capabilities": {}},
            },
            {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        )
    )
    served = _run(installed, "serve", stdin=session, cwd=tmp_path)
    assert served.returncode == 0, served.stderr.decode()
    assert b'"serverInfo"' in served.stdout and __version__.encode() in served.stdout, served.stdout[:500]
