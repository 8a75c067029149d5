"""``.dockerignore`` patterns matched as Docker matches them, in linear time, never crashing."""

from __future__ import annotations

import time

import pytest

from dockerfile_stages.sizes.dockerignore import DockerIgnore


@pytest.mark.parametrize(
    ("patterns", "path", "excluded"),
    [
        ("*.log", "a.log", True),
        ("*.log", "dir/a.log", False),  # "*" stays within one path element
        ("**/*.log", "dir/sub/a.log", True),
        ("**/*.log", "a.log", True),
        ("dir", "dir/sub/file", True),  # a directory takes everything under it
        ("dir/**", "dir/x/y", True),
        ("dir/**", "dirx", False),
        ("**", "any/thing", True),
        ("**foo", "xfoo", True),  # a leading "**" before a literal: a plain suffix
        ("a**b", "ab", True),
        ("a**b", "a/x/b", True),
        ("a**b", "axb", False),  # in the middle "**" stands for whole path elements
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
        ("[!a]b", "!b", True),  # "!" does not negate a class in Go, "^" does
        ("[!a]b", "cb", False),
        ("[^a]b", "cb", True),
        ("[^a]b", "ab", False),
        ("\\*", "*", True),
        ("\\*", "a", False),
        ("a.b*", "axb", False),  # "." is no wildcard
        ("/abs/path", "abs/path", True),
        ("a/../b", "b", True),
        ("*.go\n!keep.go", "keep.go", False),  # the last pattern that matches wins
        ("*.go\n!keep.go\nkeep*", "keep.go", True),
        ("\ufeff*.md", "README.md", True),  # a byte-order mark before the first line
        ("# *.md\n", "README.md", False),
    ],
)
def test_matches_as_docker_does(patterns: str, path: str, excluded: bool) -> None:
    ignore = DockerIgnore(patterns.splitlines())
    assert ignore.excluded(path) is excluded
    assert ignore.problems == []


@pytest.mark.parametrize("pattern", ["[z-a]", "[]", "[^]", "[a", "a\\", "[a-]", "[-a]", "!", "[[:nope:]]"])
def test_patterns_docker_refuses_match_nothing_and_are_reported(pattern: str) -> None:
    ignore = DockerIgnore(["*.tmp", pattern, "!never"])
    assert ignore.excluded("x.tmp") and not ignore.excluded("z")
    assert [(problem.line, problem.pattern) for problem in ignore.problems] == [(2, pattern)]


def test_no_backtracking_blow_up() -> None:
    ignore = DockerIgnore(["*a*a*a*a*a*a*a*a*a*a*b", "**/*a*a*a*a*a*a*a*a*a*a*b/**"])
    names = ["a" * 40, "a" * 4000, "/".join(["a" * 40] * 50)]
    started = time.monotonic()
    assert not any(ignore.excluded(name) for name in names)
    assert time.monotonic() - started < 1.0  # was 11.6 s for the 40-character name alone
