"""``split --write`` rewrites the file without changing what it is, refuses what it must not
touch, and leaves nothing behind when it fails."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfile_stages.workspace import files
from dockerfile_stages.workspace.files import WriteRefused, rewrite

CASES = Path(__file__).parent / "cases"
ORIGINAL = (CASES / "go-basic.Dockerfile").read_text()


def split(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", "split", *args], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def expected() -> str:
    printed = subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", "split", "-"],
        input=ORIGINAL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert printed.returncode == 0
    return printed.stdout


def names(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def test_a_symlink_stays_a_link_and_its_target_is_split(tmp_path: Path, expected: str) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "Dockerfile"
    real.write_text(ORIGINAL)
    link = tmp_path / "Dockerfile"
    link.symlink_to(real)
    assert split(str(link), "--write").returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == expected
    assert names(tmp_path) == ["Dockerfile", "real"] and names(tmp_path / "real") == ["Dockerfile"]


def test_hard_links_stay_linked(tmp_path: Path, expected: str) -> None:
    first = tmp_path / "Dockerfile"
    first.write_text(ORIGINAL)
    second = tmp_path / "Dockerfile.copy"
    os.link(first, second)
    inode = first.stat().st_ino
    assert split(str(first), "--write").returncode == 0
    assert first.stat().st_ino == second.stat().st_ino == inode
    assert second.read_text() == expected


def test_mode_and_owner_are_kept(tmp_path: Path, expected: str) -> None:
    target = tmp_path / "Dockerfile"
    target.write_text(ORIGINAL)
    target.chmod(0o750)
    owner = (os.getuid(), os.getgid())
    if os.geteuid() == 0:
        owner = (12345, 12345)
        os.chown(target, *owner)
    assert split(str(target), "--write").returncode == 0
    info = target.stat()
    assert stat.S_IMODE(info.st_mode) == 0o750 and (info.st_uid, info.st_gid) == owner
    assert target.read_text() == expected


def test_a_read_only_file_is_refused_with_a_message(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_text(ORIGINAL)
    target.chmod(0o444)
    result = split(str(target), "--write")
    assert result.returncode == 2 and "read-only; not rewritten" in result.stderr
    assert target.read_text() == ORIGINAL and names(tmp_path) == ["Dockerfile"]


def test_a_failed_rename_leaves_the_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A rename that fails for a reason other than a bind mount cannot be made to happen for real
    # in a test (it takes a failing disk), so os.replace is made to fail.
    def failing_replace(source: str, destination: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    target = tmp_path / "Dockerfile"
    target.write_text(ORIGINAL)
    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(WriteRefused, match="cannot be replaced"):
        rewrite(target, "FROM x\n")
    assert target.read_text() == ORIGINAL and names(tmp_path) == ["Dockerfile"]


def test_a_file_that_cannot_be_renamed_over_is_rewritten_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(source: str, destination: Path) -> None:  # what a bind-mounted file answers
        raise OSError(errno.EBUSY, "Device or resource busy")

    target = tmp_path / "Dockerfile"
    target.write_text(ORIGINAL)
    monkeypatch.setattr(files.os, "replace", busy)
    assert rewrite(target, "FROM x\n") == target
    assert target.read_text() == "FROM x\n" and names(tmp_path) == ["Dockerfile"]


def test_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Dockerfile")
    with pytest.raises(WriteRefused, match="not a regular file"):
        rewrite(tmp_path / "Dockerfile", "FROM x\n")
