"""Lines to nodes, following BuildKit's parser (frontend/dockerfile/parser/parser.go).

The parser works on a list of physical lines, each keeping its line terminator, and can start at
any node boundary: that is what makes incremental reparsing possible (see ``document.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dockerfile_stages.syntax.lexer import (
    GO_SPACE,
    WHITESPACE,
    RawFlag,
    extract_flags,
    heredoc_markers,
    is_space,
    parse_json_array,
    parse_words,
)
from dockerfile_stages.syntax.nodes import (
    Directive,
    Flag,
    Heredoc,
    Instruction,
    Node,
    ParseError,
    Pos,
    Span,
    Trivia,
    logical_span,
)

BOM = "\ufeff"
DEFAULT_ESCAPE = "\\"
KNOWN_DIRECTIVES = ("escape", "syntax", "check")
_DIRECTIVE = re.compile(r"#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z")
_CONTINUATION = {
    "\\": re.compile(r"([^\\])\\[ \t]*\Z|^\\[ \t]*\Z"),
    "`": re.compile(r"([^`])`[ \t]*\Z|^`[ \t]*\Z"),
}
_HEREDOC_COMMANDS = frozenset({"ADD", "COPY", "RUN"})


def split_lines(text: str) -> list[str]:
    """Physical lines, each with its terminator; the last item is the text after the final "\\n".

    Only "\\n" ends a line, as in BuildKit ("\\r\\n" ends in "\\n"; a lone "\\r" does not).
    """
    lines = text.split("\n")
    last = lines.pop()
    result = [line + "\n" for line in lines]
    result.append(last)
    return result


def _strip_terminator(line: str) -> str:
    return line.rstrip("\r\n")


def _continues(text: str, escape: str) -> tuple[str, bool]:
    """Remove a trailing continuation token; report whether there was one."""
    if not text.rstrip(" \t").endswith(escape):
        return text, False
    match = _CONTINUATION[escape].search(text)
    if match is None:
        return text, False
    return text[: match.start()] + (match.group(1) or ""), True


class _Logical:
    """The logical line of an instruction with a map back to physical positions."""

    __slots__ = ("_parts", "length", "segments")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.segments: list[tuple[int, int, int]] = []
        self.length = 0

    def add(self, text: str, line: int, col: int) -> None:
        self._parts.append(text)
        self.segments.append((self.length, line, col))
        self.length += len(text)

    def text(self) -> str:
        return "".join(self._parts)

    def span(self, start: int, end: int) -> Span:
        if len(self.segments) == 1 and end > start:  # one physical line: the common case
            _, line, col = self.segments[0]
            return Span(Pos(line, col + start), Pos(line, col + end))
        return logical_span(self.segments, start, end)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class _Args:
    value: tuple[str, ...]
    json: bool
    sub: Instruction | None = None
    error: str | None = None


def _split_ws(rest: str) -> tuple[str, ...]:
    return tuple(WHITESPACE.split(rest)) if rest else ()


def _maybe_json(rest: str, to_list: bool) -> _Args:
    try:
        array = parse_json_array(rest)
    except ValueError as err:
        return _Args((), False, error=str(err))
    if array is not None:
        return _Args(tuple(array), True)
    if to_list:
        return _Args(_split_ws(rest), False)
    return _Args((rest,) if rest else (), False)


def _name_values(rest: str, key: str, escape: str) -> _Args:
    words = parse_words(rest, escape)
    if not words:
        return _Args((), False)
    if "=" not in words[0]:
        parts = WHITESPACE.split(rest, maxsplit=1)
        if len(parts) < 2:
            return _Args((), False, error=f"{key} must have two arguments")
        return _Args((parts[0], parts[1], ""), False)
    value: list[str] = []
    for word in words:
        if "=" not in word:
            return _Args((), False, error=f"Syntax error - can't find = in {word!r}. Must be of the form: name=value")
        name, _, val = word.partition("=")
        value += [name, val, "="]
    return _Args(tuple(value), False)


def _health(rest: str) -> _Args:
    sep = 0
    while sep < len(rest) and not is_space(rest[sep]):
        sep += 1
    if sep == 0:
        return _Args((), False)
    after = rest[sep:].lstrip(GO_SPACE)
    command = _maybe_json(after, to_list=False)
    return _Args((rest[:sep], *command.value), command.json, error=command.error)


def _dispatch(cmd: str, rest: str, escape: str) -> _Args:
    if cmd in ("ADD", "COPY", "VOLUME"):
        return _maybe_json(rest, to_list=True)
    if cmd in ("CMD", "ENTRYPOINT", "RUN", "SHELL"):
        return _maybe_json(rest, to_list=False)
    if cmd in ("EXPOSE", "FROM"):
        return _Args(_split_ws(rest), False)
    if cmd in ("ENV", "LABEL"):
        return _name_values(rest, cmd, escape)
    if cmd == "ARG":
        return _Args(tuple(parse_words(rest, escape)), False)
    if cmd in ("MAINTAINER", "STOPSIGNAL", "USER", "WORKDIR"):
        return _Args((rest,) if rest else (), False)
    if cmd == "HEALTHCHECK":
        return _health(rest)
    return _Args(("",), False)  # unknown instructions are kept, as BuildKit keeps them


@dataclass(frozen=True, slots=True)
class _Head:
    """An instruction parsed from its logical line, before heredoc bodies are read."""

    keyword: str
    keyword_span: Span
    flags: tuple[Flag, ...]
    args_text: str
    args_start: int
    segments: tuple[tuple[int, int, int], ...]
    args: _Args
    original: str
    errors: tuple[ParseError, ...]


def _parse_head(logical: _Logical, text: str, offset: int, escape: str) -> _Head:
    """Parse ``text`` (which starts at ``offset`` in the logical line) as one instruction."""
    stripped = text.lstrip(GO_SPACE)
    offset += len(text) - len(stripped)
    stripped = stripped.rstrip(GO_SPACE)
    split = WHITESPACE.search(stripped)
    keyword = stripped[: split.start()] if split else stripped
    rest = stripped[split.end() :] if split else ""
    rest_offset = offset + (split.end() if split else len(stripped))
    unpadded = rest.lstrip(GO_SPACE)
    if unpadded.startswith("--"):
        raw_flags, args_start = extract_flags(rest)
    else:  # no flags: the common case, without the character scan
        raw_flags, args_start = [], len(rest) - len(unpadded)
    flags = tuple(_flag(logical, rest, rest_offset, raw) for raw in raw_flags) if raw_flags else ()
    args_raw = rest[args_start:]
    args = args_raw.strip(GO_SPACE)
    args_offset = rest_offset + args_start + len(args_raw) - len(args_raw.lstrip(GO_SPACE))
    cmd = keyword.upper()
    if cmd == "ONBUILD":
        sub = None
        if args:
            inner = _parse_head(logical, args, args_offset, escape)
            sub = _instruction(inner, line_count=1, heredocs=(), span=inner.keyword_span)
        parsed = _Args((), False, sub=sub)
    else:
        parsed = _dispatch(cmd, args, escape)
    errors: tuple[ParseError, ...] = parsed.sub.errors if parsed.sub is not None else ()
    if parsed.error:
        errors = (ParseError(parsed.error, logical.span(args_offset, args_offset + len(args))),)
    keyword_span = logical.span(offset, offset + len(keyword))
    segments = tuple(logical.segments)
    return _Head(keyword, keyword_span, flags, args, args_offset, segments, parsed, stripped, errors)


def _flag(logical: _Logical, rest: str, rest_offset: int, raw: RawFlag) -> Flag:
    start = rest_offset + raw.start
    end = rest_offset + raw.end
    body = raw.text[2:]
    name, eq, value = body.partition("=")
    raw_text = rest[raw.start : raw.end]
    eq_at = raw_text.find("=")
    if eq and eq_at >= 0:
        name_span = logical.span(start + 2, start + eq_at)
        value_span: Span | None = logical.span(start + eq_at + 1, end)
    else:
        name_span = logical.span(start + 2, end)
        value_span = None
    return Flag(raw.text, name, value if eq else None, logical.span(start, end), name_span, value_span)


def _instruction(
    head: _Head,
    *,
    line_count: int,
    heredocs: tuple[Heredoc, ...],
    span: Span,
    extra_errors: tuple[ParseError, ...] = (),
) -> Instruction:
    return Instruction(
        line_count=line_count,
        keyword=head.keyword,
        cmd=head.keyword.upper(),
        keyword_span=head.keyword_span,
        flags=head.flags,
        args=head.args_text,
        args_start=head.args_start,
        segments=head.segments,
        value=head.args.value,
        json=head.args.json,
        heredocs=heredocs,
        sub=head.args.sub,
        original=head.original,
        errors=head.errors + extra_errors,
        span=span,
    )


def _may_have_heredocs(head: _Head) -> bool:
    target: Instruction | _Head = head
    if head.keyword.upper() == "ONBUILD" and head.args.sub is not None:
        target = head.args.sub
        return target.cmd in _HEREDOC_COMMANDS and not target.json
    return head.keyword.upper() in _HEREDOC_COMMANDS and not head.args.json


def _line_start(lines: Sequence[str], index: int) -> tuple[str, int]:
    """A line as BuildKit starts reading it: without terminator, BOM (first line) and leading
    whitespace; and the column where that text starts."""
    line = _strip_terminator(lines[index])
    lead = 0
    if index == 0 and line.startswith(BOM):
        line, lead = line[1:], 1
    body = line.lstrip(GO_SPACE)
    return body, lead + len(line) - len(body)


def content_end(lines: Sequence[str]) -> int:
    """The number of lines BuildKit reads: a final empty piece after the last "\\n" is not a line."""
    count = len(lines)
    return count - 1 if count and lines[-1] == "" else count


def parse_node(lines: Sequence[str], start: int, escape: str, end: int | None = None) -> Node:
    """Parse the node that begins at physical line ``start``."""
    if end is None:
        end = content_end(lines)
    if start >= end:
        return Trivia("blank")
    body, lead = _line_start(lines, start)
    if body.startswith("#"):
        return Trivia("comment")
    text, more = _continues(body, escape)
    if not more and not text:
        return Trivia("blank")

    logical = _Logical()
    logical.add(text, 0, lead)
    index = start + 1
    while more and index < end:
        physical = _strip_terminator(lines[index])
        index += 1
        trimmed = physical.lstrip(GO_SPACE)
        if trimmed.startswith("#") or not trimmed:
            continue  # comments and empty lines inside a continuation are skipped
        piece, more = _continues(physical, escape)
        logical.add(piece, index - 1 - start, 0)

    line = logical.text()
    head = _parse_head(logical, line, 0, escape)
    heredocs: list[Heredoc] = []
    errors: list[ParseError] = []
    if "<<" in line and _may_have_heredocs(head):
        for marker in heredoc_markers(line):
            body_start = index
            content: list[str] = []
            terminated = False
            while index < end:
                raw = lines[index]
                index += 1
                candidate = _strip_terminator(raw)
                if marker.chomp:
                    candidate = candidate.lstrip("\t")
                if candidate == marker.name:
                    terminated = True
                    break
                content.append(raw)
            last_line = index - 1 - start
            body_span = Span(Pos(body_start - start, 0), Pos(last_line, len(_strip_terminator(lines[index - 1]))))
            heredocs.append(
                Heredoc(
                    marker.name,
                    "".join(content),
                    marker.chomp,
                    marker.expand,
                    marker.file_descriptor,
                    body_span,
                    terminated,
                )
            )
            if not terminated:
                errors.append(ParseError(f"unterminated heredoc {marker.name!r}", head.keyword_span))
    line_count = index - start
    last = _strip_terminator(lines[start + line_count - 1])
    span = Span(head.keyword_span.start, Pos(line_count - 1, len(last) if line_count > 1 else lead + len(body)))
    return _instruction(head, line_count=line_count, heredocs=tuple(heredocs), span=span, extra_errors=tuple(errors))


def parse_directives(lines: Sequence[str]) -> tuple[list[Directive], str]:
    """The parser directives at the top of the file, and the escape token they set."""
    directives: list[Directive] = []
    seen: set[str] = set()
    escape = DEFAULT_ESCAPE
    end = content_end(lines)
    for index in range(end):
        body, lead = _line_start(lines, index)
        match = _DIRECTIVE.match(body)
        if match is None or match.group(1).lower() not in KNOWN_DIRECTIVES:
            break
        key = match.group(1).lower()
        value = match.group(2)
        key_span = Span(Pos(0, lead + match.start(1)), Pos(0, lead + match.end(1)))
        value_span = Span(Pos(0, lead + match.start(2)), Pos(0, lead + match.end(2)))
        errors: list[ParseError] = []
        if key in seen:
            errors.append(ParseError(f"only one {key} parser directive can be used", key_span))
        elif key == "escape":
            if value in _CONTINUATION:
                escape = value
            else:
                errors.append(ParseError(f"invalid escape token {value!r} does not match ` or \\", value_span))
        seen.add(key)
        directives.append(Directive(key, value, key_span, value_span, tuple(errors)))
    return directives, escape


def parse_lines(lines: Sequence[str]) -> tuple[list[Node], str]:
    """Parse a whole file: its nodes (covering every line) and its escape token."""
    directives, escape = parse_directives(lines)
    nodes: list[Node] = list(directives)
    index = len(directives)
    total = len(lines)
    end = content_end(lines)
    while index < total:
        node = parse_node(lines, index, escape, end)
        nodes.append(node)
        index += node.line_count
    return nodes, escape
