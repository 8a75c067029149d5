"""Lines to nodes, following BuildKit's parser (frontend/dockerfile/parser/parser.go).

The parser works on a list of physical lines, each keeping its line terminator, and can start at
any node boundary: that is what makes incremental reparsing possible (see ``document.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import msgspec

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
    _new,
    logical_span,
)

Segments = tuple[tuple[int, int, int], ...]  # (logical offset, line, column) of each physical piece

BOM = "\ufeff"
DEFAULT_ESCAPE = "\\"
KNOWN_DIRECTIVES = ("escape", "syntax", "check")
# BuildKit's directive pattern is ``#\s*(\w+)\s*=\s*(.+?)\s*$``; the value is found with rstrip, as
# the lazy ``(.+?)`` before ``\s*$`` takes quadratic time on a value followed by many spaces.
_DIRECTIVE_SPACE = "\t\n\f\r "
_DIRECTIVE_HEAD = re.compile(r"#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=([\t\n\f\r ]*)")
ESCAPE_TOKENS = ("\\", "`")
_HEREDOC_COMMANDS = frozenset({"ADD", "COPY", "RUN"})
# The run of flags most flagged instructions start with, in one match: printable ASCII with no
# quote or backslash, each flag followed by " "s or the end (``str.split`` then finds the flags in
# it). Possessive, so a mismatch never backtracks. A flag with other characters or spaces around it
# ends the run, and the lexer's scan takes over there.
_PLAIN_FLAGS = re.compile(r"(?:--[!#-&(-\[\]-~]++(?: ++|\Z))++")
# The same run when the arguments follow it: what comes next is neither a flag nor a space.
_PLAIN_FLAGS_THEN_ARGS = re.compile(r"(?:--[!#-&(-\[\]-~]++(?: ++|\Z))++(?!--|\s)")
BLANK = Trivia("blank")
COMMENT = Trivia("comment")


def split_lines(text: str) -> list[str]:
    """Physical lines, each with its terminator; the last item is the text after the final "\\n".

    Only "\\n" ends a line, as in BuildKit ("\\r\\n" ends in "\\n"; a lone "\\r" does not).
    """
    if _only_newlines_break(text):
        # ``splitlines`` keeps the terminators and needs no new string per line, but it also ends
        # lines at "\r", "\v", "\f", "\x1c"-"\x1e", "\x85", "\u2028" and "\u2029": only when
        # none of those is in the text (or every "\r" is in a "\r\n") are its lines ours.
        lines = text.splitlines(True)
        if not lines or lines[-1][-1] == "\n":
            lines.append("")
        return lines
    lines = text.split("\n")
    last = lines.pop()
    result = [line + "\n" for line in lines]
    result.append(last)
    return result


def _only_newlines_break(text: str) -> bool:
    """True if "\n" (or "\r\n") is the only line break ``str.splitlines`` would find in ``text``."""
    if "\v" in text or "\f" in text or "\x1c" in text or "\x1d" in text or "\x1e" in text:
        return False
    if not text.isascii() and ("\x85" in text or "\u2028" in text or "\u2029" in text):
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


def _strip_terminator(line: str) -> str:
    return line.rstrip("\r\n")


def _continues(text: str, escape: str) -> tuple[str, bool]:
    """Remove a trailing continuation token; report whether there was one.

    BuildKit's pattern: the escape token, not itself escaped, then only spaces and tabs.
    """
    stripped = text.rstrip(" \t")
    if not stripped.endswith(escape):
        return text, False
    if len(stripped) > 1 and stripped[-2] == escape:
        return text, False
    return stripped[:-1], True


# What an instruction's arguments parse to: BuildKit's values, whether they were a JSON array, and
# the message if they are malformed. A plain tuple, as one is built for every instruction.
Parsed = tuple[tuple[str, ...], bool, "str | None"]
_NOTHING: Parsed = ((), False, None)
_UNKNOWN: Parsed = (("",), False, None)  # unknown instructions are kept, as BuildKit keeps them


def _split_ws(rest: str) -> tuple[str, ...]:
    if not rest:
        return ()
    if rest.isascii() and rest.isprintable() and rest[0] != " " and rest[-1] != " ":
        return tuple(rest.split())  # printable ASCII: only " " separates, and ``split`` is faster
    return tuple(WHITESPACE.split(rest))


def _maybe_json(rest: str, to_list: bool) -> Parsed:
    """``rest`` (no leading space) as a JSON array, or else as BuildKit's shell form."""
    if rest[:1] == "[":
        try:
            array = parse_json_array(rest)
        except ValueError as err:
            return (), False, str(err)
        if array is not None:
            return tuple(array), True, None
    if to_list:
        return _split_ws(rest), False, None
    return ((rest,) if rest else ()), False, None


def _list_or_json(rest: str, escape: str) -> Parsed:
    if rest[:1] == "[":
        return _maybe_json(rest, True)
    return _split_ws(rest), False, None


def _command_or_json(rest: str, escape: str) -> Parsed:
    if rest[:1] == "[":
        return _maybe_json(rest, False)
    return ((rest,) if rest else ()), False, None  # the shell form: most RUN, CMD, ENTRYPOINT


def _words_split(rest: str, escape: str) -> Parsed:
    return _split_ws(rest), False, None


def _one_string(rest: str, escape: str) -> Parsed:
    return ((rest,) if rest else ()), False, None


def _arg_words(rest: str, escape: str) -> Parsed:
    return tuple(parse_words(rest, escape)), False, None


def _name_values(rest: str, key: str, escape: str) -> Parsed:
    words = parse_words(rest, escape)
    if not words:
        return _NOTHING
    if "=" not in words[0]:
        parts = WHITESPACE.split(rest, maxsplit=1)
        if len(parts) < 2:
            return (), False, f"{key} must have two arguments"
        return (parts[0], parts[1], ""), False, None
    value: list[str] = []
    for word in words:
        if "=" not in word:
            return (), False, f"Syntax error - can't find = in {word!r}. Must be of the form: name=value"
        name, _, val = word.partition("=")
        value += [name, val, "="]
    return tuple(value), False, None


def _env(rest: str, escape: str) -> Parsed:
    return _name_values(rest, "ENV", escape)


def _label(rest: str, escape: str) -> Parsed:
    return _name_values(rest, "LABEL", escape)


def _health(rest: str, escape: str) -> Parsed:
    sep = 0
    while sep < len(rest) and not is_space(rest[sep]):
        sep += 1
    if sep == 0:
        return _NOTHING
    value, json, error = _maybe_json(rest[sep:].lstrip(GO_SPACE), to_list=False)
    return (rest[:sep], *value), json, error


_DISPATCH: dict[str, Callable[[str, str], Parsed]] = {
    "ADD": _list_or_json,
    "COPY": _list_or_json,
    "VOLUME": _list_or_json,
    "CMD": _command_or_json,
    "ENTRYPOINT": _command_or_json,
    "RUN": _command_or_json,
    "SHELL": _command_or_json,
    "EXPOSE": _words_split,
    "FROM": _words_split,
    "ENV": _env,
    "LABEL": _label,
    "ARG": _arg_words,
    "MAINTAINER": _one_string,
    "STOPSIGNAL": _one_string,
    "USER": _one_string,
    "WORKDIR": _one_string,
    "HEALTHCHECK": _health,
}

# The instructions by keyword as most files write it, upper and lower case: no ``upper`` to call.
_BY_KEYWORD = {name: (name, parse) for name, parse in _DISPATCH.items()}
_BY_KEYWORD |= {name.lower(): known for name, known in _BY_KEYWORD.items()}


def _instruction(segments: Segments, text: str, offset: int, escape: str, line_count: int, end_col: int) -> Instruction:
    """Parse ``text`` (which starts at ``offset`` in the logical line) as one instruction of
    ``line_count`` lines, with no heredoc bodies (``_with_heredocs`` reads those)."""
    stripped = text.strip(GO_SPACE)
    if len(stripped) != len(text):
        offset += len(text) - len(text.lstrip(GO_SPACE))
    flags: tuple[Flag, ...] = ()
    keyword, _, rest = stripped.partition(" ")
    args = rest.lstrip(" ") if rest[:1] == " " else rest
    if keyword.isalpha() and not args[:1].isspace():
        # A keyword of letters ends at the first " ", and the arguments (or flags) start after
        # the spaces that follow: what ``_keyword_by_pattern`` finds, when no other space is around.
        rest = args
        rest_offset = args_offset = offset + len(stripped) - len(rest)
        if args.startswith("--"):  # ``_flags``, in place
            simple = _PLAIN_FLAGS_THEN_ARGS.match(rest)
            if simple is not None:  # the arguments start after the spaces that follow the flags
                pos = simple.end()
                flags = tuple(_plain_flags(segments, rest, rest_offset, pos))
                args = rest[pos:]
                args_offset += pos
            else:  # a flag that is not plain, or other spaces: the lexer's scan
                raw_flags, pos = extract_flags(rest, 0)
                flags = tuple(_flag(segments, rest, rest_offset, raw) for raw in raw_flags)
                args_raw = rest[pos:]
                args = args_raw.strip(GO_SPACE)
                args_offset += pos + len(args_raw) - len(args_raw.lstrip(GO_SPACE))
    else:
        keyword, rest, rest_offset, args = _keyword_by_pattern(stripped, offset)
        if args.startswith("--"):
            flags, args_start = _flags(segments, rest, rest_offset)
            args_raw = rest[args_start:]
            args = args_raw.strip(GO_SPACE)
            args_offset = rest_offset + args_start + len(args_raw) - len(args_raw.lstrip(GO_SPACE))
        else:
            args_offset = rest_offset + len(rest) - len(args)
    known = _BY_KEYWORD.get(keyword)
    if known is None:
        cmd = keyword.upper()
        dispatch = _DISPATCH.get(cmd)
    else:
        cmd, dispatch = known
    sub = None
    errors: tuple[ParseError, ...] = ()
    value: tuple[str, ...]
    error: str | None
    if dispatch is _command_or_json and args[:1] != "[":  # the shell form of RUN, CMD...: in place
        value, json, error = ((args,) if args else ()), False, None
    elif dispatch is _list_or_json and args[:1] != "[" and args.isascii() and args.isprintable():
        value, json, error = tuple(args.split()), False, None  # COPY, ADD: ``_split_ws``, in place
    elif dispatch is not None:
        value, json, error = dispatch(args, escape)
    elif cmd == "ONBUILD":
        value, json, error = (), False, None
        if args:
            sub = _instruction(segments, args, args_offset, escape, 1, -1)
            errors = sub.errors
    else:
        value, json, error = _UNKNOWN
    if error:
        errors = (ParseError(error, logical_span(segments, args_offset, args_offset + len(args))),)
    return Instruction(
        line_count,
        keyword,
        cmd,
        offset,
        flags,
        args,
        args_offset,
        segments,
        value,
        json,
        (),
        sub,
        stripped,
        errors,
        end_col,
    )


def _keyword_by_pattern(stripped: str, offset: int) -> tuple[str, str, int, str]:
    """The keyword of ``stripped`` (an instruction with no space around it, at ``offset`` in its
    logical line), the text after it and where that starts, and the arguments (no leading space)."""
    split = WHITESPACE.search(stripped)
    if split:
        keyword, rest_offset = stripped[: split.start()], split.end()
        rest = stripped[rest_offset:]
        rest_offset += offset
    else:
        keyword, rest, rest_offset = stripped, "", offset + len(stripped)
    return keyword, rest, rest_offset, rest.lstrip(GO_SPACE)  # ``rest`` has no trailing space


def _flags(segments: Segments, rest: str, rest_offset: int) -> tuple[tuple[Flag, ...], int]:
    """The flags ``rest`` starts with, and where its arguments start."""
    flags = []
    simple = _PLAIN_FLAGS.match(rest)
    pos = 0
    if simple is not None:  # flags with no quotes or escapes: their text is as written
        pos = simple.end()
        flags = _plain_flags(segments, rest, rest_offset, pos)
        if not rest.startswith("--", pos) and not rest[pos : pos + 1].isspace():
            return tuple(flags), pos  # the arguments start after the spaces that follow
    raw_flags, args_start = extract_flags(rest, pos)
    for raw in raw_flags:
        flags.append(_flag(segments, rest, rest_offset, raw))
    return tuple(flags), args_start


def _plain_flags(segments: Segments, rest: str, rest_offset: int, end: int) -> list[Flag]:
    """The flags of ``rest[:end]``, plain ones (no quotes or escapes: their text is as written)."""
    flags = []
    cursor = 0
    for text in rest[:end].split():
        start = rest.find(text, cursor)  # only spaces lie between ``cursor`` and the flag
        cursor = start + len(text)
        equals = text.find("=")
        if equals < 0:
            flags.append(Flag(text, text[2:], None, rest_offset + start, rest_offset + cursor, -1, segments))
        else:
            flags.append(
                Flag(
                    text,
                    text[2:equals],
                    text[equals + 1 :],
                    rest_offset + start,
                    rest_offset + cursor,
                    rest_offset + start + equals,
                    segments,
                )
            )
    return flags


def _flag(segments: Segments, rest: str, rest_offset: int, raw: RawFlag) -> Flag:
    text, raw_start, raw_end = raw
    name, eq, value = text[2:].partition("=")
    equals_at = rest.find("=", raw_start, raw_end) if eq else -1
    if equals_at >= 0:
        equals_at += rest_offset
    return Flag(text, name, value if eq else None, rest_offset + raw_start, rest_offset + raw_end, equals_at, segments)


def _may_have_heredocs(node: Instruction) -> bool:
    sub = node.sub
    if sub is not None:
        return sub.cmd in _HEREDOC_COMMANDS and not sub.json
    return node.cmd in _HEREDOC_COMMANDS and not node.json


def content_end(lines: Sequence[str]) -> int:
    """The number of lines BuildKit reads: a final empty piece after the last "\\n" is not a line."""
    count = len(lines)
    return count - 1 if count and lines[-1] == "" else count


_ONE_LINE = ((0, 0, 0),)  # the segments of an instruction on one line with no space before it


def parse_node(lines: Sequence[str], start: int, escape: str, end: int | None = None) -> Node:
    """Parse the node that begins at physical line ``start``."""
    if end is None:
        end = content_end(lines)
    if start >= end:
        return BLANK
    # The line as BuildKit starts reading it: without terminator, BOM (first line) and leading space.
    physical = lines[start].rstrip("\r\n")
    lead = 0
    if start == 0 and physical.startswith(BOM):
        physical, lead = physical[1:], 1
    body = physical.lstrip(GO_SPACE)
    if not body:
        return BLANK
    if body[0] == "#":
        return COMMENT
    lead += len(physical) - len(body)
    last = body[-1]
    if last == escape:  # ``_continues`` of a line ending in the escape token, in place
        if body[-2:-1] != escape:
            line, more = body[:-1], True
        else:
            line, more = body, False
    elif last == " " or last == "\t":
        line, more = _continues(body, escape)
    else:  # the common case: the line ends in some other character, so it does not continue
        line, more = body, False
    if more:
        # The logical line of an instruction continued over several physical lines and its
        # segments (where each piece sits), read here rather than in a function of its own: one
        # call fewer per continued instruction.
        parts = [line]
        pieces = [(0, 0, lead)]
        length = len(line)
        index = start + 1
        end_col = -1  # the length of the last line, once found
        while index < end:
            raw = lines[index]
            # How most continued lines end: the escape token (not itself escaped) and "\n". Three
            # characters at least, so that the indexes below exist ("\\\n" alone goes the long way).
            if len(raw) > 2 and raw[-2] == escape and raw[-1] == "\n" and raw[-3] != escape:
                piece = raw[:-2]
                if "#" not in piece or piece.lstrip(GO_SPACE)[:1] != "#":  # a comment inside is skipped
                    pieces.append((length, index - start, 0))
                    parts.append(piece)
                    length += len(piece)
                index += 1
                continue
            index += 1
            physical = raw.rstrip("\r\n")
            trimmed = physical.lstrip(GO_SPACE)
            if not trimmed or trimmed[0] == "#":
                continue  # comments and empty lines inside a continuation are skipped
            last = physical[-1]
            if last == escape or last == " " or last == "\t":
                piece, more = _continues(physical, escape)
            else:
                piece, more = physical, False
            pieces.append((length, index - 1 - start, 0))
            parts.append(piece)
            length += len(piece)
            if not more:
                end_col = len(physical)
                break
        if end_col < 0:  # the file ended in the continuation
            end_col = len(lines[index - 1].rstrip("\r\n"))
        line = "".join(parts)
        node = _instruction(tuple(pieces), line, 0, escape, index - start, end_col)
    else:
        segments = _ONE_LINE if lead == 0 else ((0, 0, lead),)
        node = _instruction(segments, line, 0, escape, 1, lead + len(body))
        index = start + 1
    if "<<" in line and _may_have_heredocs(node):
        return _with_heredocs(node, lines, start, index, end, line)
    return node


def _with_heredocs(node: Instruction, lines: Sequence[str], start: int, index: int, end: int, line: str) -> Instruction:
    """``node`` with the bodies of the heredocs its line opens, read from line ``index`` on."""
    heredocs, index = _read_heredocs(lines, start, index, end, line)
    errors = node.errors
    if not all(doc.terminated for doc in heredocs):
        keyword_span = logical_span(node.segments, node.keyword_start, node.keyword_start + len(node.keyword))
        errors += tuple(
            ParseError(f"unterminated heredoc {doc.name!r}", keyword_span) for doc in heredocs if not doc.terminated
        )
    line_count = index - start
    end_col = len(lines[index - 1].rstrip("\r\n")) if line_count > 1 else node.end_col
    return msgspec.structs.replace(node, line_count=line_count, heredocs=heredocs, errors=errors, end_col=end_col)


def _read_heredocs(
    lines: Sequence[str], start: int, index: int, end: int, line: str
) -> tuple[tuple[Heredoc, ...], int]:
    """The bodies of the heredocs ``line`` opens, read from line ``index`` on; and the line after."""
    heredocs = []
    for marker in heredoc_markers(line):
        body_start = index
        if not marker.chomp:
            # The terminator as most files write it, looked for in C: the first line that is the
            # name and "\n" ends the body if no line before it ends in "\r" (another way to end it).
            try:
                found = lines.index(marker.name + "\n", index, end)
            except ValueError:
                found = -1
            if found >= 0:
                text = "".join(lines[index:found])
                if "\r" not in text:
                    index = found + 1
                    body_span = _new(
                        Span, (_new(Pos, (body_start - start, 0)), _new(Pos, (found - start, len(marker.name))))
                    )
                    heredocs.append(
                        Heredoc(marker.name, text, False, marker.expand, marker.file_descriptor, body_span, True)
                    )
                    continue
        content: list[str] = []
        terminated = False
        while index < end:
            raw = lines[index]
            index += 1
            candidate = raw.rstrip("\r\n")
            if marker.chomp:
                candidate = candidate.lstrip("\t")
            if candidate == marker.name:
                terminated = True
                break
            content.append(raw)
        last_line = index - 1 - start
        body_span = Span(Pos(body_start - start, 0), Pos(last_line, len(lines[index - 1].rstrip("\r\n"))))
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
    return tuple(heredocs), index


def _directive(body: str) -> tuple[str, int, int, int, int] | None:
    """A directive line's key and the (start, end) columns of key and value; None if it is not one."""
    match = _DIRECTIVE_HEAD.match(body)
    if match is None:
        return None
    value_start, value_end = match.end(), len(body.rstrip(_DIRECTIVE_SPACE))
    if value_end <= value_start:  # only spaces after "=": the pattern's lazy value is the last one
        if match.group(2) == "":
            return None  # nothing at all after "="
        value_start, value_end = len(body) - 1, len(body)
    return match.group(1), match.start(1), match.end(1), value_start, value_end


def parse_directives(lines: Sequence[str]) -> tuple[list[Directive], str]:
    """The parser directives at the top of the file, and the escape token they set."""
    directives: list[Directive] = []
    seen: set[str] = set()
    escape = DEFAULT_ESCAPE
    for index in range(content_end(lines)):
        line = lines[index].rstrip("\r\n")
        lead = 0
        if index == 0 and line.startswith(BOM):
            line, lead = line[1:], 1
        body = line.lstrip(GO_SPACE)
        lead += len(line) - len(body)
        found = _directive(body)
        if found is None or found[0].lower() not in KNOWN_DIRECTIVES:
            break
        name, key_start, key_end, value_start, value_end = found
        key = name.lower()
        value = body[value_start:value_end]
        key_span = Span(Pos(0, lead + key_start), Pos(0, lead + key_end))
        value_span = Span(Pos(0, lead + value_start), Pos(0, lead + value_end))
        errors: list[ParseError] = []
        if key in seen:
            errors.append(ParseError(f"only one {key} parser directive can be used", key_span))
        elif key == "escape":
            if value in ESCAPE_TOKENS:
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
    append = nodes.append
    while index < end:
        head = lines[index][:1]
        if head == "#":  # what ``parse_node`` makes of a line starting with "#" or "\n", in one step
            append(COMMENT)
            index += 1
        elif head == "\n":
            append(BLANK)
            index += 1
        else:
            node = parse_node(lines, index, escape, end)
            append(node)
            index += node.line_count
    nodes += [BLANK] * (total - index)  # the empty piece after a final "\n"
    return nodes, escape
