"""Makefiles (through tree-sitter's make grammar) and justfiles: the commands of their recipes."""

from __future__ import annotations

from functools import cache

import tree_sitter
import tree_sitter_make

from dockerfile_stages.model.buildfiles.shell import find_builds
from dockerfile_stages.model.buildfiles.text import JoinedText, Segment, lines_of
from dockerfile_stages.model.buildfiles.uses import Build

_RECIPE_PREFIXES = "@-+"


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_make.language()))


def makefile_builds(text: str) -> list[Build]:
    """Each recipe line is its own shell command (make runs one shell per line)."""
    joined = JoinedText(lines_of(text))
    tree = _parser().parse(joined.data)
    builds: list[Build] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "recipe_line":
            builds += find_builds(_recipe_segments(joined, node))
        else:
            stack.extend(reversed(node.children))
    return builds


def _recipe_segments(joined: JoinedText, node: tree_sitter.Node) -> list[Segment]:
    start = joined.pos(node.start_byte)
    end = joined.pos(node.end_byte)
    segments = []
    for line in range(start.line, end.line + 1):
        text = joined.segments[line].text
        first = start.col if line == start.line else 0
        last = end.col if line == end.line else len(text)
        piece = text[first:last]
        if line == start.line:
            stripped = piece.lstrip(_RECIPE_PREFIXES)
            first += len(piece) - len(stripped)
            piece = stripped
        segments.append(Segment(piece, line, first))
    return segments


def justfile_builds(text: str) -> list[Build]:
    """Recipe bodies: the indented lines after a recipe header (``name args:``), one command each."""
    lines = lines_of(text)
    builds: list[Build] = []
    in_recipe = False
    pending: list[Segment] = []
    for segment in lines:
        body = segment.text.lstrip(" \t")
        indented = len(body) < len(segment.text)
        if not indented:
            in_recipe = bool(body) and not body.startswith("#") and _is_recipe_header(body)
            continue
        if not in_recipe or not body or body.startswith("#!"):
            continue
        column = len(segment.text) - len(body)
        stripped = body if pending else body.lstrip(_RECIPE_PREFIXES)  # a continuation keeps its dashes
        pending.append(Segment(stripped, segment.line, column + len(body) - len(stripped)))
        if not stripped.endswith("\\"):
            builds += find_builds(pending)
            pending = []
    if pending:
        builds += find_builds(pending)
    return builds


def _is_recipe_header(line: str) -> bool:
    """``build target="x":`` or ``@test: build`` (not ``x := 1``, not ``set shell := [...]``)."""
    head, colon, rest = line.partition(":")
    return bool(colon) and not rest.startswith("=") and not head.startswith(("set ", "export ", "alias ", "import "))
