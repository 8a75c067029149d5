"""The parser's fast paths give what its general paths give, on text chosen to reach the edges
between them (quotes, escapes, a lone "--", Go's and Python's different spaces, \\x1c-\\x1f)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfile_stages.syntax import Document, parse_lines, split_lines
from dockerfile_stages.syntax.lexer import (
    _HEREDOC_WORD,
    _NON_SPACE_RUN,
    GO_SPACE,
    WHITESPACE,
    HeredocMarker,
    extract_flags,
    heredoc_markers,
    parse_words,
    scan_words,
)
from dockerfile_stages.syntax.nodes import Heredoc, Pos, Span
from dockerfile_stages.syntax.parser import (
    _BY_KEYWORD,
    _DISPATCH,
    _flag,
    _flags,
    _instruction,
    _keyword_by_pattern,
    _read_heredocs,
    _split_ws,
    content_end,
)

SEGMENTS = ((0, 0, 4), (30, 1, 0))
# Pieces of flag lists: plain flags, quoted and escaped ones, separators of every kind of space.
FLAG_PIECES = st.sampled_from(
    [
        "--from=build",
        "--mount=type=cache,target=/root/.cache",
        "--link",
        "--chmod=755",
        "--",
        "--=",
        "--a=",
        '--x="a b"',
        "--y='c d'",
        "--z=a\\ b",
        "--q=\\",
        "--u=é",
        "--v=\x1c",
        "--w=\x1f1",
        "--a[b",
        "--a=b=c",
        "--=",
        "---",
        "--~",
        "--a\x7f",
        "-x",
        "arg",
        "/src",
        " ",
        "  ",
        "\t",
        "\v",
        "\r",
        "\xa0",
        "\u3000",
        "\x85",
        "\x1c",
        '"',
        "'",
        "=",
    ]
)


def _reference(rest: str, rest_offset: int) -> tuple[list[object], int]:
    raw_flags, args_start = extract_flags(rest)
    return [_flag(SEGMENTS, rest, rest_offset, raw) for raw in raw_flags], args_start


@given(st.lists(FLAG_PIECES, max_size=12).map("".join), st.integers(0, 40))
@settings(max_examples=2000, deadline=None)
def test_flags_fast_path_agrees_with_the_character_scan(rest: str, rest_offset: int) -> None:
    flags, args_start = _flags(SEGMENTS, rest, rest_offset)
    assert (list(flags), args_start) == _reference(rest, rest_offset)


def test_flags_fast_path_edges() -> None:
    for rest in [
        "--a=b --c x",
        "--a=b     --c",
        "--a=b --c=\x1c x",  # str.split would split at \x1c, Go does not
        "--a=b -- --c",  # a lone "--" ends the flags
        '--a=b --c="d e" x',  # a quoted flag after plain ones
        "--a=b\t--c\vx",
        "--a=b\xa0--c x",  # a Go space that is not ASCII
        "--a=b --c",
        "--a",
    ]:
        flags, args_start = _flags(SEGMENTS, rest, 7)
        assert (list(flags), args_start) == _reference(rest, 7), rest


@given(st.lists(FLAG_PIECES, min_size=1, max_size=12).map("".join))
@settings(max_examples=1000, deadline=None)
def test_split_on_whitespace_fast_path_agrees_with_the_pattern(text: str) -> None:
    rest = text.strip(GO_SPACE)
    assert _split_ws(rest) == (tuple(WHITESPACE.split(rest)) if rest else ())


# Lines of continued instructions: the fast path takes lines ending in the escape token and "\n".
CONTINUED_LINES = st.sampled_from(
    [
        "RUN a \\",
        "RUN a\\",
        "    b \\",
        "    b\\",
        "\\",
        "  \\",
        "    c \\\\",
        "  # comment \\",
        "  #",
        "",
        "   ",
        "\xa0# spaced comment \\",
        "\xa0\\",
        "  d \\ ",
        "  d \\\t",
        "  d \\\r",
        "  e",
        "COPY --from=x a b \\",
        "RUN <<EOF \\",
        "EOF",
        "`",
        "  f `",
    ]
)


@given(
    st.lists(CONTINUED_LINES, min_size=1, max_size=10),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["", "# escape=`\n"]),
)
@settings(max_examples=1500, deadline=None)
def test_continued_instructions_parse_as_line_by_line_joins_them(lines: list[str], newline: str, head: str) -> None:
    """Each continued instruction's logical line and segments, against a plain join of its lines."""
    text = head + newline.join(lines) + newline
    escape = "`" if head else "\\"
    nodes, _ = parse_lines(split_lines(text))
    physical = split_lines(text)
    line = 0
    for node in nodes:
        if getattr(node, "segments", None) is not None and node.sub is None:  # type: ignore[union-attr]
            assert node.original == _joined(physical[line : line + node.line_count], escape).strip(GO_SPACE)  # type: ignore[union-attr]
            if not node.heredocs:  # type: ignore[union-attr]
                assert node.end_col == len(physical[line + node.line_count - 1].rstrip("\r\n"))  # type: ignore[union-attr]
        line += node.line_count
    assert Document(text).tree_nodes() == nodes


def _joined(lines: list[str], escape: str) -> str:
    """The logical line of an instruction's lines, as BuildKit builds it (no heredoc bodies)."""
    parts = []
    for index, raw in enumerate(lines):
        physical = raw.rstrip("\r\n")
        if index and (not physical.lstrip(GO_SPACE) or physical.lstrip(GO_SPACE)[0] == "#"):
            continue
        stripped = physical.rstrip(" \t")
        if stripped.endswith(escape) and not (len(stripped) > 1 and stripped[-2] == escape):
            parts.append(stripped[:-1])
        else:
            parts.append(physical)
            break
    return "".join(parts)


# Instruction text: keywords, every kind of space after them, flags and arguments.
INSTRUCTION_PIECES = st.sampled_from(
    [
        *("RUN", "run", "COPY", "Ünknown", "FROM2", "ONBUILD", " ", "  ", "\t", "\v", "\xa0", "\u3000", "\x1c", "\x85"),
        *("--from=a", "--link", "--", "--a=\\ b", '--x="y z"', "-", "echo", "a=b", "é", "[", "#"),
    ]
)


@given(st.lists(INSTRUCTION_PIECES, min_size=1, max_size=10).map("".join), st.integers(0, 9))
@settings(max_examples=2000, deadline=None)
def test_keyword_split_fast_path_agrees_with_the_pattern(text: str, lead: int) -> None:
    """A keyword of letters split at " " gives what the whitespace pattern gives."""
    stripped = text.strip(GO_SPACE)
    if not stripped:
        return
    segments = ((0, 0, lead),)
    node = _instruction(segments, text, lead, "\\", 1, lead + len(text))
    offset = lead + len(text) - len(text.lstrip(GO_SPACE))
    keyword, rest, rest_offset, args = _keyword_by_pattern(stripped, offset)
    assert (node.keyword, node.keyword_start) == (keyword, offset)
    if args.startswith("--"):
        flags, args_start = _flags(segments, rest, rest_offset)
        assert node.flags == flags
        args_raw = rest[args_start:]
        assert node.args == args_raw.strip(GO_SPACE)
        assert node.args_start == rest_offset + args_start + len(args_raw) - len(args_raw.lstrip(GO_SPACE))
    else:
        assert (node.flags, node.args, node.args_start) == ((), args, rest_offset + len(rest) - len(args))


WORD_PIECES = st.sampled_from(
    [
        *("a", "b=c", " ", "  ", "\t", "\xa0", "\u3000", "\x1c", "\n", "é", "\\", "`", "'", '"', '"a b"', "'c d'"),
        *("\\ ", "\\'", '\\"', "`'", '`"', '"\\"', "'\\'", 'k="v w"', '"`"'),
    ]
)


@given(st.lists(WORD_PIECES, max_size=14).map("".join), st.sampled_from(["\\", "`"]))
@settings(max_examples=3000, deadline=None)
def test_word_patterns_agree_with_the_character_scan(text: str, escape: str) -> None:
    """``parse_words``' patterns (possessive, runs at once) split as BuildKit's loop does."""
    assert parse_words(text, escape) == scan_words(text, escape)


def test_split_lines_agrees_with_a_split_on_newlines() -> None:
    """``split_lines`` takes ``splitlines`` only where it ends lines where "\\n" does."""
    pieces = ["a", "\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029", "é"]
    texts = [""]
    for _ in range(4):
        texts = [text + piece for text in texts for piece in pieces]
        for text in texts:
            lines = text.split("\n")
            expected = [line + "\n" for line in lines[:-1]] + [lines[-1]]
            assert split_lines(text) == expected, repr(text)


MARKER_PIECES = st.sampled_from(
    [
        *("RUN", "cat", "x", "EOF", "<<EOF", "<<-EOF", "2<<EOF", "١<<EOF", "a<<EOF", "<<", "<<-", "<<<EOF"),
        *("<<EOF<x", "<<E-F", "é", " ", "  ", "\t", "\xa0", "\u3000", "\x1c", "\x85", "|", ">"),
    ]
)


def _markers_word_by_word(line: str) -> list[HeredocMarker]:
    markers = []
    for word in _NON_SPACE_RUN.findall(line):
        match = _HEREDOC_WORD.match(word) if "<<" in word else None
        if match and match.group(3):
            markers.append(HeredocMarker(match.group(3), match.group(2) == "-", True, int(match.group(1) or 0)))
    return markers


@given(st.lists(MARKER_PIECES, max_size=10).map("".join))
@settings(max_examples=2000, deadline=None)
def test_heredoc_markers_in_one_scan_agree_with_word_by_word(line: str) -> None:
    assert heredoc_markers(line) == _markers_word_by_word(line)


def _heredocs_line_by_line(lines: list[str], start: int, index: int, end: int, line: str) -> tuple[object, int]:
    """``_read_heredocs`` as it was: every body line compared with the name in turn."""
    heredocs = []
    for marker in heredoc_markers(line):
        body_start = index
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
        span = Span(Pos(body_start - start, 0), Pos(index - 1 - start, len(lines[index - 1].rstrip("\r\n"))))
        heredocs.append(
            Heredoc(
                marker.name, "".join(content), marker.chomp, marker.expand, marker.file_descriptor, span, terminated
            )
        )
    return tuple(heredocs), index


BODY_LINES = st.sampled_from(
    ["EOF\n", "EOF\r\n", "EOF\r\r\n", "EOF", "\tEOF\n", "EOF \n", "EOFX\n", "A\n", "A\r\n", "a\n", "x\n", "\r\n", "\n"]
)


@given(
    st.sampled_from(["RUN <<EOF", "COPY <<EOF <<A /d", "RUN <<-EOF", "RUN <<A cat <<-EOF"]),
    st.lists(BODY_LINES, max_size=8),
)
@settings(max_examples=2000, deadline=None)
def test_heredoc_terminator_found_in_c_agrees_with_line_by_line(first: str, body: list[str]) -> None:
    lines = split_lines(first + "\n" + "".join(body))
    end = content_end(lines)
    assert _read_heredocs(lines, 0, 1, end, first) == _heredocs_line_by_line(lines, 0, 1, end, first)


def test_keywords_known_as_written_are_their_upper_case() -> None:
    for keyword, (cmd, parse) in _BY_KEYWORD.items():
        assert (cmd, parse) == (keyword.upper(), _DISPATCH[keyword.upper()])


@given(
    st.sampled_from(["RUN", "CMD", "ENTRYPOINT", "SHELL", "run", "COPY", "ADD", "VOLUME", "copy"]),
    st.lists(
        st.sampled_from(["[", "]", '"a"', ",", " ", "x", "[1]", '["a" "b"]', "\\", "é", "\t", "\x1c", "--a"]),
        max_size=6,
    ).map("".join),
)
@settings(max_examples=1000, deadline=None)
def test_values_in_place_agree_with_their_parsers(keyword: str, args: str) -> None:
    node = _instruction(((0, 0, 0),), keyword + " " + args, 0, "\\", 1, 0)
    value, json, error = _DISPATCH[keyword.upper()](node.args, "\\")
    assert (node.value, node.json, [e.message for e in node.errors]) == (value, json, [error] if error else [])
