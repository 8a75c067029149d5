"""``check``'s one walk of the tree (workspace.dockerfiles.walk): the Dockerfiles it finds, the build
files ``build_files.scan`` would find, and where there is no ignore file to open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockerfile_stages.cli.check import ignore_file_warnings
from dockerfile_stages.workspace.build_files import scan
from dockerfile_stages.workspace.dockerfiles import is_dockerfile_name, walk

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "workspace"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in (
        "Dockerfile",
        "compose.yaml",
        "a/Dockerfile",
        "a/.dockerignore",
        "a/build.sh",
        "b/web.Dockerfile",
        "b/web.Dockerfile.dockerignore",
        "vendor/Dockerfile",  # scan skips vendor/, the Dockerfile search does not
        "vendor/compose.yaml",
        ".hidden/Dockerfile",
        ".hidden/Makefile",
        ".github/workflows/ci.yml",
        "node_modules/pkg/Dockerfile",  # skipped by both
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("FROM alpine\n" if "ockerfile" in name else "x\n")
    (tmp_path / "b" / "web.Dockerfile.dockerignore").write_text("!\n")  # refused by Docker
    os.symlink(tmp_path / "a", tmp_path / "link")  # a link to a directory is not walked
    return tmp_path


def test_dockerfiles_in_walk_order(tree: Path) -> None:
    found = walk([str(tree)]).dockerfiles
    assert [Path(path).relative_to(tree).as_posix() for path in found] == [
        "Dockerfile",
        ".hidden/Dockerfile",
        "a/Dockerfile",
        "b/web.Dockerfile",
        "vendor/Dockerfile",
    ]


@pytest.mark.parametrize("limit", [1, 3, 50_000])
def test_build_files_are_what_scan_finds(tree: Path, limit: int) -> None:
    assert walk([str(tree)], limit).build_files[tree.resolve()] == scan(tree.resolve(), limit)


def test_build_files_of_the_fixture_workspace() -> None:
    assert walk([str(FIXTURE)]).build_files[FIXTURE] == scan(FIXTURE)


def test_relative_paths_as_given(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    assert walk(["a", "."]).dockerfiles[:2] == ["a/Dockerfile", "Dockerfile"]


def test_ignore_files_are_opened_only_where_listed(tree: Path) -> None:
    walked = walk([str(tree)])
    assert [
        Path(path).relative_to(tree).as_posix() for path in walked.dockerfiles if walked.may_have_ignore_file(path)
    ] == [
        "a/Dockerfile",
        "b/web.Dockerfile",
    ]
    assert walked.may_have_ignore_file(str(tree / "elsewhere" / "Dockerfile"))  # not walked: unknown
    warnings = ignore_file_warnings(walked.dockerfiles, walked=walked)
    assert warnings == ignore_file_warnings(walked.dockerfiles)
    assert len(warnings) == 1 and "web.Dockerfile.dockerignore:1:" in warnings[0]


@pytest.mark.parametrize(
    ("name", "is_one"),
    [
        ("Dockerfile", True),
        ("Dockerfile.dev", True),
        ("web.Dockerfile", True),
        ("Containerfile", True),
        ("Dockerfile.dockerignore", False),  # the ignore file BuildKit reads for Dockerfile
        ("web.Dockerfile.dockerignore", False),
        ("Containerfile.dockerignore", False),
        ("Dockerfiles", False),
    ],
)
def test_ignore_files_are_not_taken_for_dockerfiles(name: str, is_one: bool) -> None:
    assert is_dockerfile_name(name) is is_one


def test_check_of_a_folder_does_not_check_its_ignore_files(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    (tmp_path / "Dockerfile.dockerignore").write_text("*.log\n")
    assert walk([str(tmp_path)]).dockerfiles == [str(tmp_path / "Dockerfile")]
