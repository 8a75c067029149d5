"""The tree: immutable data classes.

Every node covers whole physical lines. Positions inside a node are relative to the node's first
line (``Pos.line`` 0 is that line), so a node that does not change can be reused as it is when lines
are inserted or removed above it. Columns are code-point indexes into the physical line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_NON_WHITESPACE = re.compile(r"[^\t\v\f\r ]+")


@dataclass(frozen=True, slots=True, order=True)
class Pos:
    line: int
    col: int

    def shifted(self, lines: int) -> Pos:
        return Pos(self.line + lines, self.col)


@dataclass(frozen=True, slots=True)
class Span:
    start: Pos
    end: Pos

    def shifted(self, lines: int) -> Span:
        return Span(self.start.shifted(lines), self.end.shifted(lines))

    def contains(self, pos: Pos) -> bool:
        """True if ``pos`` lies in the span, its end included (a cursor right after a word)."""
        return self.start <= pos <= self.end


def logical_pos(segments: tuple[tuple[int, int, int], ...], index: int) -> Pos:
    """Map an offset in an instruction's logical line (continuations joined) to a position."""
    if len(segments) == 1:
        _, line, col = segments[0]
        return Pos(line, col + index)
    at = max(bisect_right(segments, (index, 1 << 30, 0)) - 1, 0)
    start, line, col = segments[at]
    return Pos(line, col + index - start)


def logical_span(segments: tuple[tuple[int, int, int], ...], start: int, end: int) -> Span:
    if end <= start:
        begin = logical_pos(segments, start)
        return Span(begin, begin)
    last = logical_pos(segments, end - 1)
    return Span(logical_pos(segments, start), Pos(last.line, last.col + 1))


@dataclass(frozen=True, slots=True)
class ParseError:
    message: str
    span: Span


@dataclass(frozen=True, slots=True)
class Word:
    """A whitespace-delimited word of an instruction's arguments, as written."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Flag:
    """A builder flag such as ``--from=builder``.

    ``text`` is the flag as BuildKit sees it (quotes removed); ``name`` is the part between ``--``
    and ``=``; ``value`` is None for a flag with no ``=`` (``--link``).
    """

    text: str
    name: str
    value: str | None
    span: Span
    name_span: Span
    value_span: Span | None


@dataclass(frozen=True, slots=True)
class Heredoc:
    name: str
    content: str
    chomp: bool
    expand: bool
    file_descriptor: int
    span: Span  # the body, terminator line included
    terminated: bool


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction with its continuation lines and heredoc bodies."""

    line_count: int
    keyword: str  # as written, e.g. "copy"
    cmd: str  # the keyword upper-cased, e.g. "COPY"
    keyword_span: Span
    flags: tuple[Flag, ...]
    args: str  # the arguments after the flags, as written (continuations joined)
    args_start: int  # where ``args`` starts in the logical line
    segments: tuple[tuple[int, int, int], ...]  # (logical offset, line, column) of each physical piece
    value: tuple[str, ...]  # BuildKit's argument values (JSON decoded, ENV pairs, ...)
    json: bool
    heredocs: tuple[Heredoc, ...]
    sub: Instruction | None  # the instruction inside ONBUILD
    original: str  # the logical line, continuations joined
    errors: tuple[ParseError, ...]
    span: Span  # from the keyword to the end of the last line of the instruction

    @property
    def words(self) -> tuple[Word, ...]:
        """The arguments after the flags, split on whitespace, with their ranges."""
        return tuple(
            Word(
                match.group(),
                logical_span(self.segments, self.args_start + match.start(), self.args_start + match.end()),
            )
            for match in _NON_WHITESPACE.finditer(self.args)
        )

    def flag(self, name: str) -> Flag | None:
        for flag in self.flags:
            if flag.name.lower() == name:
                return flag
        return None


@dataclass(frozen=True, slots=True)
class Directive:
    """A parser directive line such as ``# escape=`` at the top of the file."""

    key: str
    value: str
    key_span: Span
    value_span: Span
    errors: tuple[ParseError, ...]
    line_count: int = 1


@dataclass(frozen=True, slots=True)
class Trivia:
    """A blank or comment line outside any instruction."""

    kind: str  # "blank" or "comment"
    line_count: int = 1

    @property
    def errors(self) -> tuple[ParseError, ...]:
        return ()


Node = Instruction | Directive | Trivia
