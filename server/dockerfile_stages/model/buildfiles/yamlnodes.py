"""Reading YAML through PyYAML's node API, which keeps every value's position (its marks)."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from dockerfile_stages.model.buildfiles.text import Segment
from dockerfile_stages.model.buildfiles.uses import Value
from dockerfile_stages.syntax.nodes import Pos, Span

# Not libyaml's loader, although it is faster: its composer recurses in C, so a deeply nested file
# can overflow the stack and kill the process; the Python composer raises RecursionError instead.
_LOADER = yaml.SafeLoader


def compose(text: str) -> yaml.Node | None:
    """The document's node tree, or None for text that is not YAML (a half-typed file, say)."""
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
    except (ValueError, RecursionError):  # pathological nesting or characters PyYAML refuses
        return None


def items(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node]]:
    """(key, value) of a mapping, merge keys (``<<: *anchor``) followed."""
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if key.value == "<<" and key.tag == "tag:yaml.org,2002:merge":
            merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in merged:
                yield from items(source)
            continue
        yield str(key.value), value


def get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    found = None
    for name, value in items(node):
        if name == key:
            found = value  # the last one wins, as in a loaded mapping
    return found


def sequence(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def value(text: str, node: yaml.Node | None) -> Value | None:
    """A one-line scalar whose text in the file is exactly its value (so an edit there is exact)."""
    if not isinstance(node, yaml.ScalarNode) or node.start_mark.line != node.end_mark.line:
        return None
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ('"', "'"):
        start, end = start + 1, end - 1
    elif node.style not in (None, ""):
        return None
    if end < start or text[start:end] != node.value:
        return None
    line = node.start_mark.line
    column = node.start_mark.column + (start - node.start_mark.index)
    return Value(node.value, Span(Pos(line, column), Pos(line, column + end - start)))


def shell_segments(text: str, node: yaml.Node | None) -> tuple[list[Segment], str] | None:
    """A scalar holding shell commands as pieces of the file's lines, and how a shell joins them.

    Literal blocks (``|``) keep their lines; folded blocks (``>``) and plain multi-line scalars join
    them with spaces, as YAML does.
    """
    if not isinstance(node, yaml.ScalarNode):
        return None
    start, end = node.start_mark, node.end_mark
    if node.style in ('"', "'"):
        if start.line != end.line:
            return None
        return [Segment(text[start.index + 1 : end.index - 1], start.line, start.column + 1)], "\n"
    lines = text[start.index : end.index].split("\n")
    if node.style in ("|", ">"):
        segments = [Segment(line, start.line + number, 0) for number, line in enumerate(lines) if number > 0]
        return segments, "\n" if node.style == "|" else " "
    first = [Segment(lines[0], start.line, start.column)]
    return first + [Segment(line, start.line + number, 0) for number, line in enumerate(lines) if number > 0], " "


def span(node: yaml.Node) -> Span:
    """The node's whole range."""
    return Span(Pos(node.start_mark.line, node.start_mark.column), Pos(node.end_mark.line, node.end_mark.column))
