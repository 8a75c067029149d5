"""``check``'s results cache (cli/cache.py): a hit prints what the analysis prints, and each input of a
file's findings is in its key (each invalidation test fails when that part of the key is dropped)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from dockerfile_stages.cli import cache, check, main, report
from dockerfile_stages.rules import Severity
from dockerfile_stages.workspace import build_files
from dockerfile_stages.workspace.context import ignore_file_for

UNUSED = "FROM alpine AS unused\nFROM alpine\nMAINTAINER me\n"
FOLDER = "cache"  # under each test's tmp_path (the default is the user's cache directory)
COPIES = "# check=experimental=CopyIgnoredFile\nFROM alpine\nCOPY secret.txt /\n"


class Run:
    """``check`` in this process, recording which files it analysed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.analysed: list[str] = []
        real = check.check_files

        def counting(paths: Sequence[str], *args: Any, **kw: Any) -> list[check.FileResult]:
            self.analysed += paths
            return real(paths, *args, **kw)

        monkeypatch.setattr(check, "check_files", counting)

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.analysed = []
        status = main(["check", "--jobs", "1", *args])
        out, err = self.capsys.readouterr()
        return status, out, err


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Run:
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / FOLDER))
    monkeypatch.chdir(tmp_path)
    return Run(monkeypatch, capsys)


def child_env(folder: Path) -> dict[str, str]:
    """This environment with the cache on, importing the package this test imports."""
    env = {key: value for key, value in os.environ.items() if key != cache.ENV_OFF}
    return {**env, "PYTHONPATH": str(Path(cache.__file__).resolve().parents[2]), cache.ENV_DIR: str(folder / FOLDER)}


def key_files(folder: Path) -> list[Path]:
    return sorted((folder / f"check-v{cache.FORMAT}").glob("*.json"))


def test_a_second_run_is_answered_from_the_cache(run: Run, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(UNUSED)
    first = run("Dockerfile")
    assert run.analysed == ["Dockerfile"]
    assert run("Dockerfile") == first and run.analysed == []
    assert "DS203" in first[1] and first[0] == 1
    folder = tmp_path / FOLDER
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_a_file_never_stored_is_read_by_its_analysis_only(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lookup reads and hashes a file only where the cache has an entry for it to compare with: a
    first run over many files reads each once (in the process that analyses it), not twice."""
    for name in ("a.Dockerfile", "b.Dockerfile"):
        (tmp_path / name).write_text(UNUSED)
    reads: list[str] = []
    real = cache.read_dockerfile_bytes
    monkeypatch.setattr(cache, "read_dockerfile_bytes", lambda path: reads.append(path) or real(path))
    first = run(".")
    assert reads == [] and run.analysed == ["a.Dockerfile", "b.Dockerfile"]
    assert run(".") == first and reads == ["a.Dockerfile", "b.Dockerfile"] and run.analysed == []


@pytest.mark.parametrize("options", [(), ("--format", "json"), ("--format", "sarif"), ("--severity", "hint")])
def test_a_hit_prints_the_same_bytes_and_status_as_no_cache(run: Run, tmp_path: Path, options: tuple[str, ...]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text(UNUSED + "COPY . /x\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Dockerfile").write_bytes(b"FROM ubuntu:latest\n# caf\xe9\nRUN apt-get install -y x\n")
    (tmp_path / "b" / ".dockerignore").write_text("!\n**/x\n")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "Dockerfile").write_text("FROM alpine\n")
    uncached = run("--no-cache", *options, ".")
    assert not (tmp_path / FOLDER).exists()
    assert run(*options, ".") == uncached  # filling the cache
    assert run(*options, ".") == uncached and run.analysed == []
    assert "not UTF-8" in uncached[2] and "b/.dockerignore:1: warning" in uncached[2]


@pytest.mark.parametrize("compose", [False, True], ids=["no build file", "a compose file"])
def test_a_hit_loads_no_rule_no_parser_no_msgspec(tmp_path: Path, compose: bool) -> None:
    """Nor, in a checkout with a build file, its reader: the targets each Dockerfile's builds use are
    kept with the results (while the files they were resolved to are as they were)."""
    (tmp_path / ".git").mkdir()  # (outside a checkout, a build.sh in /tmp would be read)
    (tmp_path / "Dockerfile").write_text(UNUSED)
    if compose:
        (tmp_path / "compose.yaml").write_text(
            "services:\n  app:\n    build:\n      context: .\n      target: unused\n"
        )
    probe = (
        "import contextlib, json, sys\nfrom dockerfile_stages.cli import main\n"
        "with contextlib.redirect_stdout(sys.stderr), contextlib.suppress(SystemExit):\n"
        "    main(sys.argv[1:])\nprint(json.dumps(sorted(sys.modules)))\n"
    )
    env = child_env(tmp_path)
    for fmt in ("text", "json", "sarif"):
        loaded: set[str] = set()
        for _ in range(2):
            done = subprocess.run(
                [sys.executable, "-c", probe, "check", "--severity", "hint", "--format", fmt, "Dockerfile"],
                capture_output=True,
                text=True,
                cwd=tmp_path,
                env=env,
                check=True,
                timeout=120,
            )
            loaded = set(json.loads(done.stdout.splitlines()[-1]))
        heavy = ("dockerfile_stages.rules", "dockerfile_stages.syntax", "dockerfile_stages.model.stages", "msgspec")
        heavy += ("dockerfile_stages.model.buildfiles", "yaml")  # the build files' readers
        assert not [name for name in loaded if name.startswith(heavy)], fmt
        assert "DS203" in done.stderr
        if fmt == "text":  # (SARIF lists every rule)
            assert ("DS110" in done.stderr) is not compose  # the stage the compose file builds is used


def test_editing_the_file_analyses_it_again(run: Run, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    assert run("Dockerfile")[0] == 0
    (tmp_path / "Dockerfile").write_text(UNUSED)
    status, out, _ = run("Dockerfile")
    assert status == 1 and "DS203" in out and run.analysed == ["Dockerfile"]


@pytest.mark.parametrize("ignore_name", [".dockerignore", "Dockerfile.dockerignore"])
def test_editing_the_ignore_file_analyses_again(run: Run, tmp_path: Path, ignore_name: str) -> None:
    (tmp_path / "Dockerfile").write_text(COPIES)
    (tmp_path / "secret.txt").write_text("x")
    assert "DS211" not in run("Dockerfile")[1]
    (tmp_path / ignore_name).write_text("secret.txt\n")  # created
    assert "DS211" in run("Dockerfile")[1] and run.analysed == ["Dockerfile"]
    (tmp_path / ignore_name).write_text("other.txt\n")  # edited
    assert "DS211" not in run("Dockerfile")[1] and run.analysed == ["Dockerfile"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("--select", "DS203"), ("--select", "DS100")),
        (("--ignore", "DS203"), ()),
        (("--severity", "hint", "--target", "unused"), ("--severity", "hint")),
    ],
)
def test_options_that_change_findings_are_in_the_key(
    run: Run, tmp_path: Path, first: tuple[str, ...], second: tuple[str, ...]
) -> None:
    (tmp_path / "Dockerfile").write_text(UNUSED)
    assert run(*first, "Dockerfile") == run("--no-cache", *first, "Dockerfile")
    assert run(*second, "Dockerfile") == run("--no-cache", *second, "Dockerfile")
    assert run(*second, "Dockerfile")[1] != run(*first, "Dockerfile")[1]


def test_a_build_file_naming_a_target_is_in_the_key(run: Run, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # a checkout: its build files count
    (tmp_path / "Dockerfile").write_text("FROM alpine AS tools\nFROM alpine\n")
    options = ("--select", "unused-stage", "--severity", "hint", "Dockerfile")
    assert "'tools' is not needed" in run(*options)[2] + run(*options)[1]
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    build:\n      context: .\n      target: tools\n")
    _, out, _ = run(*options)
    assert "'tools' is not needed" not in out and run.analysed == ["Dockerfile"]


def test_the_targets_a_build_file_gives_a_dockerfile_are_in_its_key(run: Run, tmp_path: Path) -> None:
    """Which Dockerfile a script's ``-f Dockerfile`` means depends on the files that exist (its directory
    first, then above): a Dockerfile created beside the script takes the target from the one above,
    whose own bytes, ignore file and build files are unchanged."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM alpine AS tools\nFROM alpine\n")
    (tmp_path / "scripts" / "build.sh").write_text("#!/bin/sh\ndocker build --target tools -f Dockerfile .\n")
    options = ("--select", "unused-stage", "--severity", "hint", "Dockerfile")
    assert run(*options)[0] == 0
    (tmp_path / "scripts" / "Dockerfile").write_text("FROM alpine\n")
    assert run(*options) == run("--no-cache", *options)
    assert "DS110" in run(*options)[1]


def test_the_package_code_is_in_the_key(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "some_rule.py").write_text("A = 1\n")
    monkeypatch.setattr(cache, "PACKAGE", package)
    (tmp_path / "Dockerfile").write_text(UNUSED)
    run("Dockerfile")
    run("Dockerfile")
    assert run.analysed == []
    (package / "rules" / "some_rule.py").write_text("A = 2 \n")  # an edit (same version)
    run("Dockerfile")
    assert run.analysed == ["Dockerfile"]
    (package / "rules" / "__pycache__").mkdir()
    (package / "rules" / "__pycache__" / "some_rule.cpython-311.pyc").write_bytes(b"x")
    run("Dockerfile")
    assert run.analysed == []  # bytecode is not code


def test_code_fingerprint_sees_size_and_time(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x")
    before = cache.code_fingerprint(tmp_path)
    os.utime(tmp_path / "a.py", ns=(1, 1))
    assert cache.code_fingerprint(tmp_path) != before
    touched = cache.code_fingerprint(tmp_path)
    (tmp_path / "data.json").write_text("{}")
    assert cache.code_fingerprint(tmp_path) != touched


def test_a_file_changed_during_its_analysis_is_stored_as_analysed(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM alpine\n")
    real = check.check_files

    def racing(paths: Sequence[str], *args: Any, **kw: Any) -> list[check.FileResult]:
        dockerfile.write_text(UNUSED)  # changed after the lookup read it, before the analysis
        try:
            return real(paths, *args, **kw)
        finally:
            dockerfile.write_text("FROM alpine\n")  # and back

    monkeypatch.setattr(check, "check_files", racing)
    assert "DS203" in run("Dockerfile")[1]
    monkeypatch.setattr(check, "check_files", real)
    assert run("Dockerfile") == run("--no-cache", "Dockerfile")  # not the findings of the text analysed before


@pytest.mark.parametrize("changed", ["ignore", "build"])
def test_an_input_changed_during_the_analysis_is_stored_as_read(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str
) -> None:
    """The ignore file (or a build file) is changed after the lookup read it and changed back after the
    analysis: what is stored must be keyed by what the analysis read, not by the read before it."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(COPIES + "FROM alpine AS tools\n")
    (tmp_path / "secret.txt").write_text("x")
    (tmp_path / ".dockerignore").write_text("other\n")
    (tmp_path / "compose.yaml").write_text("services: {}\n")
    name, during = (
        (".dockerignore", "secret.txt\n")
        if changed == "ignore"
        else ("compose.yaml", "services:\n  a:\n    build:\n      context: .\n      target: tools\n")
    )
    before = (tmp_path / name).read_text()
    real = check.check_files

    def racing(paths: Sequence[str], *args: Any, **kw: Any) -> list[check.FileResult]:
        (tmp_path / name).write_text(during)
        try:
            return real(paths, *args, **kw)
        finally:
            (tmp_path / name).write_text(before)

    real_read = build_files.read_text

    def racing_read(path: Path, *args: Any) -> str | None:  # a build file read again for the analysis
        (tmp_path / name).write_text(during)
        try:
            return real_read(path, *args)
        finally:
            (tmp_path / name).write_text(before)

    if changed == "ignore":
        monkeypatch.setattr(check, "check_files", racing)
    else:
        monkeypatch.setattr(build_files, "read_text", racing_read)
    options = ("--severity", "hint", "Dockerfile")
    run(*options)
    monkeypatch.undo()
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / FOLDER))
    monkeypatch.chdir(tmp_path)
    assert run(*options) == run("--no-cache", *options)


def damage_all(folder: Path, damage: Callable[[Path], None]) -> None:
    for path in key_files(folder):
        damage(path)


def resigned(change: Callable[[Any], Any]) -> Callable[[Path], None]:
    """A damage that keeps the digest line right (only the shape checks can catch it)."""

    def damage(path: Path) -> None:
        payload = json.dumps(change(json.loads(path.read_bytes().partition(b"\n")[2]))).encode()
        path.write_bytes(cache.digest(payload).encode() + b"\n" + payload)

    return damage


def _entries(data: Any, rows: list[Any]) -> Any:
    return {**data, "entries": {key: [*value[:4], rows] for key, value in data["entries"].items()}}


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: path.write_text("not json"),
        _flip,
        lambda path: path.write_bytes(path.read_bytes().partition(b"\n")[2]),  # no digest line
        resigned(lambda data: []),
        resigned(lambda data: {**data, "format": 0}),
        resigned(lambda data: _entries(data, [[1, 2, 3]])),
        resigned(lambda data: _entries(data, [[1, 1, 1, 1, 9, "a", "b", "c", []]])),
        resigned(lambda data: {**data, "entries": {"x": 1}, "problems": 3, "sarif_rules": [1]}),
        lambda path: path.write_bytes(cache.digest(b"[" * 100_000).encode() + b"\n" + b"[" * 100_000),
        lambda path: (path.unlink(), path.mkdir()),  # unreadable
    ],
)
def test_a_damaged_cache_is_taken_as_empty(run: Run, tmp_path: Path, damage: Callable[[Path], None]) -> None:
    (tmp_path / "Dockerfile").write_text(UNUSED)
    (tmp_path / ".dockerignore").write_text("!\n")
    expected = run("--no-cache", "--format", "sarif", "Dockerfile")
    run("--format", "sarif", "Dockerfile")
    damage_all(tmp_path / FOLDER, damage)
    assert run("--format", "sarif", "Dockerfile") == expected
    assert run.analysed == ["Dockerfile"]
    assert run("--format", "sarif", "Dockerfile") == expected


def test_a_hand_edited_cache_does_not_crash_sarif(run: Run, tmp_path: Path) -> None:
    """A well-formed row naming no rule (only a hand edit that keeps the digest line gets there)."""
    (tmp_path / "Dockerfile").write_text(UNUSED)
    run("--format", "sarif", "Dockerfile")
    damage_all(tmp_path / FOLDER, resigned(lambda data: _entries(data, [[1, 1, 1, 1, 3, "DS999", "x", "y", []]])))
    status, out, _ = run("--format", "sarif", "Dockerfile")
    assert status == 1 and json.loads(out)["runs"][0]["results"][0]["ruleId"] == "DS999"


def test_where_the_cache_cannot_be_written_check_still_works(run: Run, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(UNUSED)
    (tmp_path / "not-a-folder").write_text("")
    expected = run("--no-cache", "Dockerfile")
    assert run("--cache-dir", "not-a-folder/cache", "Dockerfile") == expected
    assert run("--cache-dir", "not-a-folder/cache", "Dockerfile") == expected


def test_cache_dir_option_and_variables(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Dockerfile").write_text(UNUSED)
    run("--cache-dir", "elsewhere", "Dockerfile")
    assert key_files(tmp_path / "elsewhere") and not (tmp_path / FOLDER).exists()
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "from-env"))
    run("Dockerfile")
    assert key_files(tmp_path / "from-env")
    monkeypatch.setenv(cache.ENV_OFF, "1")
    run("Dockerfile")
    assert run.analysed == ["Dockerfile"]


def test_only_the_keys_used_last_are_kept(run: Run, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(UNUSED)
    for target in range(cache.KEEP_KEYS + 3):
        run("--target", f"t{target}", "Dockerfile")
    assert len(key_files(tmp_path / FOLDER)) == cache.KEEP_KEYS


def test_old_entries_are_dropped_when_the_file_is_written(tmp_path: Path) -> None:
    store = cache.Store(tmp_path, "k")
    store.put("/old", "d", "none", [], None)
    store.entries["/old"][2] -= cache.MAX_AGE_DAYS + 1
    store.put("/new", "d", "none", [], None)
    store.save()
    assert set(cache.Store(tmp_path, "k").entries) == {"/new"}


def test_concurrent_runs_share_the_cache(tmp_path: Path) -> None:
    for index in range(12):
        (tmp_path / f"p{index}").mkdir()
        (tmp_path / f"p{index}" / "Dockerfile").write_text(UNUSED + f"LABEL n={index}\n")
    env = child_env(tmp_path)
    command = [sys.executable, "-m", "dockerfile_stages", "check", "--jobs", "1", "."]
    expected = subprocess.run([*command, "--no-cache"], capture_output=True, cwd=tmp_path, env=env, timeout=120)
    for _ in range(2):
        started = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env)
            for _ in range(4)
        ]
        for process in started:
            out, err = process.communicate(timeout=120)
            assert (process.returncode, out, err) == (expected.returncode, expected.stdout, expected.stderr)


def test_severities_agree_with_the_rules() -> None:
    assert {int(severity): severity.label for severity in Severity} == report.SEVERITY_LABELS
    for text in ("error", "WARNING", "warn", "info", "information", "hint", "style"):
        assert report.parse_severity(text) == Severity.parse(text)
    with pytest.raises(KeyError):
        report.parse_severity("loud")


def test_the_ignore_file_is_found_as_the_analysis_finds_it(tmp_path: Path) -> None:
    dockerfile = tmp_path / "app.Dockerfile"
    dockerfile.write_text("FROM alpine\n")
    assert cache.ignore_file_of(str(dockerfile)) is None is ignore_file_for(dockerfile)
    for name in (".dockerignore", "app.Dockerfile.dockerignore"):
        (tmp_path / name).write_text(f"{name}\n")
        found, expected = cache.ignore_file_of(str(dockerfile)), ignore_file_for(dockerfile)
        assert found is not None and expected is not None
        assert (found[0], tuple(found[1].decode().splitlines())) == (expected.path, expected.lines)


def test_fix_neither_reads_nor_writes_the_cache(run: Run, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("from alpine\n")
    run("--fix", "Dockerfile")
    assert not (tmp_path / FOLDER).exists()


def test_the_default_folder_is_the_user_cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    home = os.path.expanduser("~")
    assert cache.location(None, False, {}) == Path(home, ".cache", "dockerfile-stages", "check")
    assert cache.location(None, False, {"XDG_CACHE_HOME": " "}) == Path(home, ".cache", "dockerfile-stages", "check")
    xdg = {"XDG_CACHE_HOME": str(tmp_path)}
    assert cache.location(None, False, xdg) == tmp_path / "dockerfile-stages" / "check"
    assert cache.location(None, False, {**xdg, cache.ENV_DIR: "d"}) == Path("d")
    assert cache.location("o", False, {**xdg, cache.ENV_DIR: "d"}) == Path("o")
    assert cache.location("o", True, xdg) is None
    assert cache.location(None, False, {**xdg, cache.ENV_OFF: "1"}) is None
    assert cache.location(None, False, {**xdg, cache.ENV_OFF: "0"}) is not None


def test_the_working_directory_is_in_the_key(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same file named from two directories is shown by two paths (its read warning names it too)."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_bytes(UNUSED.encode() + b"# caf\xe9\n")
    _, out, err = run("app/Dockerfile")
    assert out.startswith("app/Dockerfile:") and "app/Dockerfile: not UTF-8" in err
    monkeypatch.chdir(tmp_path / "app")
    status, out, err = run("Dockerfile")
    assert out.startswith("Dockerfile:") and "dockerfile-stages: Dockerfile: not UTF-8" in err
    assert (status, out, err) == run("--no-cache", "Dockerfile")


def test_text_that_is_not_utf8_is_kept_as_read(run: Run, tmp_path: Path) -> None:
    """Lone surrogates (bytes that are not UTF-8, in a message or a folder's name) survive the cache."""
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    folder.mkdir()
    (folder / "Dockerfile").write_bytes(b"FROM alpine AS caf\xe9\nFROM alpine\nMAINTAINER caf\xe9\n")
    expected = run("--no-cache", "--severity", "hint", ".")
    assert expected[1].count("\\udce9") > 2  # (printed escaped) the path, and the stage name in a message
    assert run("--severity", "hint", ".") == expected and len(run.analysed) == 1
    assert run("--severity", "hint", ".") == expected and run.analysed == []


def test_the_libraries_are_in_the_key(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgraded yaml, tree-sitter or rapidfuzz may find other targets or word a message otherwise."""
    library = tmp_path / "lib" / "fakelib"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text("V = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.setattr(cache, "DEPENDENCIES", ("fakelib",))
    monkeypatch.setattr(cache.dependency_fingerprint, "__defaults__", (("fakelib",),))
    (tmp_path / "Dockerfile").write_text(UNUSED)
    run("Dockerfile")
    run("Dockerfile")
    assert run.analysed == []
    (library / "__init__.py").write_text("V = 22\n")  # upgraded
    run("Dockerfile")
    assert run.analysed == ["Dockerfile"]
    assert "fakelib" not in sys.modules  # located, not imported


def test_build_file_findings_are_kept_while_what_they_read_is_unchanged(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DS150/DS151 of the build files under a directory named: read from the cache while the build
    files, the Dockerfiles they name and the paths they resolve to are as they were."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM alpine AS tools\nFROM alpine\n")
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    build:\n      context: app\n      target: tols\n")
    checked_builds: list[str] = []
    real = check.check_build_files
    monkeypatch.setattr(check, "check_build_files", lambda paths, *a: checked_builds.append("x") or real(paths, *a))
    first = run(".")
    assert "DS150" in first[1] and checked_builds == ["x"]
    assert run(".") == first and run.analysed == [] and checked_builds == ["x"]
    edits: list[Callable[[], object]] = [
        lambda: (tmp_path / "app" / "Dockerfile").write_text("FROM alpine AS tols\nFROM alpine\n"),  # a stage named so
        lambda: (tmp_path / "app" / "Dockerfile").unlink(),  # the path the build names is missing (DS151)
    ]
    for edit in edits:
        edit()
        again = run(".")
        assert again == run("--no-cache", ".")
        assert run(".") == again and run.analysed == []
    assert "DS151" in again[1]
