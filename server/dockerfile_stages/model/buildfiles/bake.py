"""Bake files: each ``target`` block's context, dockerfile and target, ``inherits`` followed.

HCL goes through tree-sitter's HCL grammar (positions of every value); JSON through PyYAML's node
API (JSON is YAML, and the nodes keep their marks).
"""

from __future__ import annotations

from functools import cache
from pathlib import PurePosixPath

import msgspec
import tree_sitter
import tree_sitter_hcl

from dockerfile_stages.model.buildfiles import yamlnodes
from dockerfile_stages.model.buildfiles.text import JoinedText, lines_of
from dockerfile_stages.model.buildfiles.uses import Build, PathRef, Value, is_literal, is_remote
from dockerfile_stages.syntax.nodes import Span

_KEYS = ("context", "dockerfile", "target")


class _Block(msgspec.Struct):
    name: str
    where: Span
    values: dict[str, Value | None] = msgspec.field(default_factory=dict)  # None: set, but not literally
    inherits: list[str] = msgspec.field(default_factory=list)
    inline: bool = False  # dockerfile-inline: no file to follow


def bake_builds(text: str, json: bool = False) -> list[Build]:
    blocks = _json_blocks(text) if json else _hcl_blocks(text)
    by_name = {block.name: block for block in blocks}
    builds = []
    for block in blocks:
        values = _resolved(block, by_name, set())
        build = _build(block, values)
        if build is not None:
            builds.append(build)
    return builds


def _resolved(block: _Block, by_name: dict[str, _Block], seen: set[str]) -> dict[str, Value | None]:
    """The block's values over those of the targets it inherits from (later parents win)."""
    seen = seen | {block.name}
    values: dict[str, Value | None] = {}
    for parent in block.inherits:
        if parent in by_name and parent not in seen:
            values.update(_resolved(by_name[parent], by_name, seen))
    values.update(block.values)
    if block.inline:
        values["dockerfile-inline"] = None
    return values


def _build(block: _Block, values: dict[str, Value | None]) -> Build | None:
    if "dockerfile-inline" in values or any(key in values and values[key] is None for key in _KEYS):
        return None
    context, dockerfile, target = (values.get(key) for key in _KEYS)
    for path in (context, dockerfile):
        if path is not None and is_remote(path.text):
            return None
    if context is not None and context.text.startswith("target:"):
        return None
    context_ref = PathRef(PurePosixPath(context.text) if context else PurePosixPath("."), context)
    name = PurePosixPath(dockerfile.text) if dockerfile else PurePosixPath("Dockerfile")
    return Build(context_ref, PathRef(context_ref.path / name, dockerfile), target, block.where, block.name)


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))


def _hcl_blocks(text: str) -> list[_Block]:
    joined = JoinedText(lines_of(text))
    tree = _parser().parse(joined.data)
    body = next((child for child in tree.root_node.children if child.type == "body"), None)
    blocks = []
    for node in body.children if body else []:
        if node.type != "block" or _source(joined, node.children[0]) != "target":
            continue
        labels = [child for child in node.children if child.type == "string_lit"]
        label = _string(joined, labels[0]) if labels else None
        if label is None:
            continue
        block = _Block(label.text, joined.span(node.start_byte, node.end_byte))
        inner = next((child for child in node.children if child.type == "body"), None)
        for attribute in inner.children if inner else []:
            if attribute.type != "attribute":
                continue
            key = _source(joined, attribute.children[0])
            expression = attribute.children[-1]
            if key in _KEYS:
                found = _string(joined, _only_string(expression))
                block.values[key] = found if found is not None and is_literal(found.text) else None
            elif key == "inherits":
                block.inherits = [v.text for v in (_string(joined, s) for s in _strings(expression)) if v]
            elif key == "dockerfile-inline":
                block.inline = True
        blocks.append(block)
    return blocks


def _source(joined: JoinedText, node: tree_sitter.Node) -> str:
    return joined.data[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _only_string(expression: tree_sitter.Node) -> tree_sitter.Node | None:
    node = expression
    while node.type in ("expression", "literal_value") and node.named_child_count == 1:
        node = node.named_children[0]
    return node if node.type == "string_lit" else None


def _strings(expression: tree_sitter.Node) -> list[tree_sitter.Node]:
    found = []
    stack = [expression]
    while stack:
        node = stack.pop()
        if node.type == "string_lit":
            found.append(node)
        else:
            stack.extend(reversed(node.named_children))
    return found


def _string(joined: JoinedText, node: tree_sitter.Node | None) -> Value | None:
    """A quoted string with no interpolation: its text and range between the quotes."""
    if node is None or node.has_error:
        return None
    inner = [child for child in node.children if child.type not in ("quoted_template_start", "quoted_template_end")]
    if any(child.type != "template_literal" for child in inner):
        return None
    start, end = node.start_byte + 1, node.end_byte - 1
    if end < start or joined.data[end : node.end_byte] != b'"':  # unterminated
        return None
    text = joined.data[start:end].decode("utf-8", "replace")
    if "\\" in text:
        return None
    return Value(text, joined.span(start, end))


def _json_blocks(text: str) -> list[_Block]:
    root = yamlnodes.compose(text)
    if root is None and "\t" in text:
        root = yamlnodes.compose(text.replace("\t", " "))  # JSON indented with tabs; YAML refuses tabs
    blocks = []
    for name, node in yamlnodes.items(yamlnodes.get(root, "target")):
        block = _Block(name, yamlnodes.span(node))
        for key, value in yamlnodes.items(node):
            if key in _KEYS:
                found = yamlnodes.value(text, value)
                block.values[key] = found if found is not None and is_literal(found.text) else None
            elif key == "inherits":
                block.inherits = [s for s in (yamlnodes.scalar(item) for item in yamlnodes.sequence(value)) if s]
            elif key == "dockerfile-inline":
                block.inline = True
        blocks.append(block)
    return blocks
