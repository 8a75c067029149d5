"""``check``'s arguments read without argparse (``cli.main.quick_check_args``, issue 15 item 2) give the
namespace argparse gives, or leave the arguments to argparse."""

from __future__ import annotations

import argparse
import contextlib
import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfile_stages.cli.main import (
    _CHECK_DEFAULTS,
    _CHECK_FLAGS,
    _CHECK_FORMATS,
    _CHECK_LISTS,
    _CHECK_VALUES,
    build_parser,
    quick_check_args,
)


def _check_parser() -> argparse.ArgumentParser:
    parser = build_parser("check")
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices["check"]


def _argparse(arguments: list[str]) -> dict[str, Any] | None:
    """What argparse makes of them, or None where it refuses (usage error, --help)."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return vars(build_parser("check").parse_args(arguments))
        except SystemExit:
            return None


def test_the_quick_reader_knows_every_option_as_argparse_declares_it() -> None:
    declared: dict[str, tuple[str, Any, str]] = {}
    for action in _check_parser()._actions:
        if not action.option_strings or "-h" in action.option_strings:
            continue
        (option,) = action.option_strings
        kind = type(action).__name__
        declared[option] = (action.dest, action.default, kind)
        if option == "--format":
            assert tuple(action.choices or ()) == _CHECK_FORMATS
        if option == "--jobs":
            assert action.type is int
    quick = {option: (dest, _CHECK_DEFAULTS[dest], "_StoreTrueAction") for option, dest in _CHECK_FLAGS.items()}
    quick |= {option: (dest, _CHECK_DEFAULTS[dest], "_StoreAction") for option, dest in _CHECK_VALUES.items()}
    quick |= {option: (dest, _CHECK_DEFAULTS[dest], "_AppendAction") for option, dest in _CHECK_LISTS.items()}
    assert quick == declared


def test_plain_arguments_are_read_as_argparse_reads_them() -> None:
    for words in (
        [],
        ["."],
        ["--no-cache", "small.Dockerfile"],
        ["a", "b", "--jobs", "2", "--format=json"],
        ["--select", "DS100,DS101", "--select=unused-stage", "--ignore", "x", "--target", "t", "-"],
        ["--fix", "--write", "--severity", "hint", "--cache-dir", "/tmp/c", "--explain", "DS100", "d"],
        ["--list-rules"],
        ["--format", "sarif", "--format", "text", ""],
    ):
        quick = quick_check_args(["check", *words])
        assert quick is not None, words
        assert vars(quick) == _argparse(["check", *words]), words


def test_what_argparse_must_answer_is_left_to_it() -> None:
    for words in (
        ["--help"],
        ["-h"],
        ["--no-c"],  # a prefix argparse accepts
        ["--jobs", "x"],
        ["--jobs", "-1"],  # a negative number: argparse's to take or refuse
        ["--jobs"],
        ["--format", "xml"],
        ["--fix=yes"],
        ["a", "--fix", "b"],  # argparse takes the paths at their first run
        ["--", "a"],
        ["-x"],
    ):
        assert quick_check_args(["check", *words]) is None, words
    assert quick_check_args(["parse", "Dockerfile"]) is None
    assert quick_check_args([]) is None


WORDS = st.sampled_from(
    [
        "Dockerfile",
        "a/b",
        "-",
        "",
        "--fix",
        "--write",
        "--no-cache",
        "--list-rules",
        "--jobs",
        "--jobs=3",
        "--jobs=x",
        "2",
        "-2",
        "--format",
        "--format=json",
        "json",
        "xml",
        "--select",
        "--select=",
        "--select=-x",
        "DS100",
        "--ignore",
        "--target",
        "--severity",
        "--explain",
        "--cache-dir",
        "--cache-dir=",
        "--no-c",
        "--fi",
        "-h",
        "--",
        "-x",
        "--fix=1",
        "a b",
        "-a b",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=8))
def test_any_arguments_read_quickly_are_read_as_argparse_reads_them(words: list[str]) -> None:
    quick = quick_check_args(["check", *words])
    if quick is not None:
        assert vars(quick) == _argparse(["check", *words])
