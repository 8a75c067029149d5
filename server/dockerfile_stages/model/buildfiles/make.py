"""Makefiles (through tree-sitter's make grammar) and justfiles: the commands of their recipes."""

from __future__ import annotations

import re
from functools import cache

import tree_sitter
import tree_sitter_make

from dockerfile_stages.model.buildfiles.shell import find_builds
from dockerfile_stages.model.buildfiles.text import JoinedText, Segment, lines_of
from dockerfile_stages.model.buildfiles.uses import Build, Value, is_literal
from dockerfile_stages.syntax.nodes import Pos, Span

_RECIPE_PREFIXES = "@-+"
# just has no grammar on PyPI; its assignment and interpolation forms are this small
_JUST_ASSIGNMENT = re.compile(r"^(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*([\"'])([^\"'\\]*)\2\s*(?:#.*)?$")
_JUST_USE = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}")


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_make.language()))


def makefile_builds(text: str) -> list[Build]:
    """Each recipe line is its own shell command (make runs one shell per line)."""
    joined = JoinedText(lines_of(text))
    tree = _parser().parse(joined.data)
    variables = _make_variables(joined, tree.root_node)
    builds: list[Build] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "recipe_line":
            segments, placeholders = _recipe_segments(joined, node, variables)
            builds += find_builds(segments, variables=placeholders)
        else:
            stack.extend(reversed(node.children))
    return builds


def _make_variables(joined: JoinedText, root: tree_sitter.Node) -> dict[str, Value]:
    """Variables assigned once, at the top, to one literal word (``TARGET ?= runtime``)."""
    found: dict[str, Value | None] = {}
    for node in root.children:
        assignment = node if node.type == "variable_assignment" else None
        if node.type == "export_directive":
            assignment = next((child for child in node.children if child.type == "variable_assignment"), None)
        if assignment is None:
            continue
        name = assignment.children[0]
        value = next((child for child in assignment.children if child.type == "text"), None)
        key = joined.data[name.start_byte : name.end_byte].decode("utf-8", "replace")
        if key in found or value is None or value.named_child_count:
            found[key] = None  # assigned twice, or from other variables: not one known value
            continue
        literal = joined.data[value.start_byte : value.end_byte].decode("utf-8", "replace")
        single = is_literal(literal) and " " not in literal
        found[key] = Value(literal, joined.span(value.start_byte, value.end_byte)) if single else None
    return {key: value for key, value in found.items() if value is not None}


def _recipe_segments(
    joined: JoinedText, node: tree_sitter.Node, variables: dict[str, Value]
) -> tuple[list[Segment], dict[str, Value]]:
    """The recipe line's pieces, with each use of a known variable replaced by a placeholder word of
    the same length (so every other position stays where it is)."""
    start = joined.pos(node.start_byte)
    end = joined.pos(node.end_byte)
    uses = _variable_uses(joined, node, variables)
    placeholders: dict[str, Value] = {}
    segments = []
    for line in range(start.line, end.line + 1):
        text = joined.segments[line].text
        for (use_line, first_col, last_col), value in uses:
            word = f"__{len(placeholders)}".ljust(last_col - first_col, "_")
            if use_line == line and len(word) == last_col - first_col:
                text = text[:first_col] + word + text[last_col:]
                placeholders[word] = value
        first = start.col if line == start.line else 0
        last = end.col if line == end.line else len(text)
        piece = text[first:last]
        if line == start.line:
            stripped = piece.lstrip(_RECIPE_PREFIXES)
            first += len(piece) - len(stripped)
            piece = stripped
        segments.append(Segment(piece, line, first))
    return segments, placeholders


def _variable_uses(
    joined: JoinedText, node: tree_sitter.Node, variables: dict[str, Value]
) -> list[tuple[tuple[int, int, int], Value]]:
    """((line, start column, end column), value) of each ``$(NAME)``/``${NAME}`` of a known variable."""
    uses = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "variable_reference":
            names = [child for child in current.children if child.type == "word"]
            name = (
                joined.data[names[0].start_byte : names[0].end_byte].decode("utf-8", "replace")
                if len(names) == 1
                else ""
            )
            begin, finish = joined.pos(current.start_byte), joined.pos(current.end_byte)
            if name in variables and begin.line == finish.line:
                uses.append(((begin.line, begin.col, finish.col), variables[name]))
        else:
            stack.extend(current.children)
    return uses


def justfile_builds(text: str) -> list[Build]:
    """Recipe bodies: the indented lines after a recipe header (``name args:``), one command each;
    ``{{name}}`` of a top-level ``name := "literal"`` is read as that literal."""
    lines = lines_of(text)
    variables = _just_variables(lines)
    builds: list[Build] = []
    in_recipe = False
    pending: list[Segment] = []
    placeholders: dict[str, Value] = {}
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
        stripped = _JUST_USE.sub(lambda use: _placeholder(use, variables, placeholders), stripped)
        pending.append(Segment(stripped, segment.line, column + len(body) - len(stripped)))
        if not stripped.endswith("\\"):
            builds += find_builds(pending, variables=placeholders)
            pending = []
    if pending:
        builds += find_builds(pending, variables=placeholders)
    return builds


def _just_variables(lines: list[Segment]) -> dict[str, Value]:
    found: dict[str, Value | None] = {}
    for segment in lines:
        match = _JUST_ASSIGNMENT.match(segment.text)
        if match:
            name, value = match.group(1), match.group(3)
            start = Pos(segment.line, match.start(3))
            literal = is_literal(value) and name not in found
            found[name] = Value(value, Span(start, Pos(segment.line, match.end(3)))) if literal else None
    return {name: value for name, value in found.items() if value is not None}


def _placeholder(use: re.Match[str], variables: dict[str, Value], placeholders: dict[str, Value]) -> str:
    """A word as long as the ``{{name}}`` it stands for (positions after it stay right)."""
    value = variables.get(use.group(1))
    word = f"__{len(placeholders)}".ljust(len(use.group(0)), "_")
    if value is None or len(word) != len(use.group(0)):
        return use.group(0)
    placeholders[word] = value
    return word


def _is_recipe_header(line: str) -> bool:
    """``build target="x":`` or ``@test: build`` (not ``x := 1``, not ``set shell := [...]``)."""
    head, colon, rest = line.partition(":")
    return bool(colon) and not rest.startswith("=") and not head.startswith(("set ", "export ", "alias ", "import "))
