"""``check``'s rule options, ``--fix``, the summary line, and files that are not UTF-8."""

from __future__ import annotations

from pathlib import Path

from dockerfile_stages.rules import RULES

from .test_cli_check import run

FIXABLE = "FROM alpine as build\nMAINTAINER me\nrun true\nENV A b\nCOPY --form=build /a /a\n"


def test_list_rules_names_every_rule_with_its_peers() -> None:
    result = run("--list-rules")
    assert result.returncode == 0
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert set(rows) == {rule.id for rule in RULES}
    assert "MaintainerDeprecated" in rows["DS203"] and "DL4000" in rows["DS203"]


def test_explain_takes_ids_names_and_buildkit_names() -> None:
    result = run("--explain", "ds203,consistent-instruction-casing,UndefinedVar")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines() if line.startswith("DS")] == [
        "DS203",
        "DS201",
        "DS205",
    ]
    assert "Use instead" in result.stdout


def test_unknown_rule_names_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\n")
    for option in ("--select", "--ignore", "--explain"):
        result = run(option, "MaintainerDeprecatd", str(tmp_path))
        assert result.returncode == 2, option
        assert "no rule 'MaintainerDeprecatd' (did you mean MaintainerDeprecated?)" in result.stderr


def test_summary_line_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text("FROM alpine:3.19\nMAINTAINER me\nENV A b\n")
    (tmp_path / "b.Dockerfile").write_text("FROM alpine:3.19\n")
    assert run(".", cwd=tmp_path).stderr.splitlines()[-1] == "2 findings in 1 file"
    assert run("b.Dockerfile", cwd=tmp_path).stderr.splitlines()[-1] == "no findings in 1 file"


def test_fix_prints_a_diff_and_write_is_idempotent(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(FIXABLE)
    diff = run("--fix", "Dockerfile", cwd=tmp_path)
    assert diff.returncode == 1 and dockerfile.read_text() == FIXABLE
    assert "-MAINTAINER me\n" in diff.stdout and '+LABEL org.opencontainers.image.authors="me"\n' in diff.stdout
    assert "would fix 4 findings in 1 file" in diff.stderr
    written = run("--fix", "--write", "Dockerfile", cwd=tmp_path)
    assert dockerfile.read_text() == (
        'FROM alpine AS build\nLABEL org.opencontainers.image.authors="me"\nRUN true\nENV A=b\n'
        "COPY --form=build /a /a\n"
    )
    assert written.returncode == 1 and "DS003" in written.stdout  # the typo is not a certain fix
    again = run("--fix", "--write", "Dockerfile", cwd=tmp_path)
    assert "fixed 0 findings in 0 files" in again.stderr and dockerfile.read_text().startswith("FROM alpine AS")
    assert run("--fix", "Dockerfile", cwd=tmp_path).stdout == ""


def test_latin1_bytes_are_read_warned_once_and_kept(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    original = b'FROM alpine:3.19\n# caf\xe9 au lait\nLABEL note="d\xe9j\xe0" \nENV A b\n'
    dockerfile.write_bytes(original)
    result = run("--format", "json", "Dockerfile", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("not UTF-8 (line 2") == 1
    assert '"line": 4' in result.stdout and '"rule": "DS207"' in result.stdout
    run("--fix", "--write", "Dockerfile", cwd=tmp_path)
    assert dockerfile.read_bytes() == original.replace(b"ENV A b", b"ENV A=b")


def test_columns_count_a_byte_that_is_not_utf8_as_one(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_bytes(b'FROM alpine:3.19\nLABEL a="\xe9" b=c\nEXPOSE 80/TCP\nLABEL \xe9 x\n')
    result = run("Dockerfile", cwd=tmp_path)
    assert "Dockerfile:3:8: warning DS213" in result.stdout
    assert "Dockerfile:4:1: warning DS207" in result.stdout


def test_copy_ignored_file_reads_the_context_dockerignore(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\nCOPY README.md app/ /srv/\n")
    (tmp_path / ".dockerignore").write_text("*.md\n")
    assert "DS211" not in run("Dockerfile", cwd=tmp_path).stdout  # experimental: off by default
    selected = run("--select", "CopyIgnoredFile", "Dockerfile", cwd=tmp_path)
    assert selected.stdout.startswith("Dockerfile:2:6: warning DS211 COPY README.md")
    (tmp_path / "Dockerfile.dockerignore").write_text("app\n")  # the Dockerfile's own ignore file wins
    assert run("--select", "DS211", "Dockerfile", cwd=tmp_path).stdout.startswith("Dockerfile:2:16: warning DS211")
