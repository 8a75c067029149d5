"""The tree: immutable records.

Every node covers whole physical lines. Positions inside a node are relative to the node's first
line (``Pos.line`` 0 is that line), so a node that does not change can be reused as it is when lines
are inserted or removed above it. Columns are code-point indexes into the physical line.

The small values (positions, spans, words, flags) are named tuples: a parse makes tens of thousands
of them, and a named tuple is built faster still than a frozen ``msgspec.Struct``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

import msgspec

_NON_WHITESPACE = re.compile(r"[^\t\v\f\r ]+")
# (offset in the logical line, line relative to the node, column) where each physical piece starts
Segments = tuple[tuple[int, int, int], ...]
# Builds a named tuple from a tuple without the generated ``__new__``'s Python frame: four times
# as fast, and a parse and the analyses after it build tens of thousands of positions.
_new = tuple.__new__
# ``gc=False`` on the leaf records below (words, flags, errors, heredocs, directives, trivia): the
# collector never tracks them. They are frozen and hold only strings, numbers and tuples of those
# (spans), so they can never be part of a reference cycle; a 50,000-line parse makes hundreds of
# thousands of them, and collections are 30-40% of a large cold parse. Measured A/B with
# benchmarks/parse_bench.py: BuildKit/ours on the 50,000-line lspbench file 3.0x -> 3.6x.
# Not on ``Instruction``: it holds an instruction (ONBUILD) and a ``__dict__``.


class Pos(NamedTuple):
    line: int
    col: int

    def shifted(self, lines: int) -> Pos:
        return _new(Pos, (self[0] + lines, self[1]))


class Span(NamedTuple):
    start: Pos
    end: Pos

    def shifted(self, lines: int) -> Span:
        (start_line, start_col), (end_line, end_col) = self
        return _new(Span, (_new(Pos, (start_line + lines, start_col)), _new(Pos, (end_line + lines, end_col))))

    def contains(self, pos: Pos) -> bool:
        """True if ``pos`` lies in the span, its end included (a cursor right after a word)."""
        return self.start <= pos <= self.end


def logical_pos(segments: Segments, index: int) -> Pos:
    """Map an offset in an instruction's logical line (continuations joined) to a position."""
    if len(segments) == 1:
        _, line, col = segments[0]
        return _new(Pos, (line, col + index))
    at = bisect_right(segments, (index, 1 << 30, 0)) - 1
    start, line, col = segments[at if at > 0 else 0]
    return _new(Pos, (line, col + index - start))


def logical_span(segments: Segments, start: int, end: int) -> Span:
    """The range of ``start..end`` in an instruction's logical line (see ``logical_pos``)."""
    if len(segments) == 1:  # one physical line: the common case
        _, line, col = segments[0]
        begin = _new(Pos, (line, col + start))
        return _new(Span, (begin, _new(Pos, (line, col + end)) if end > start else begin))
    if end <= start:
        begin = logical_pos(segments, start)
        return _new(Span, (begin, begin))
    at = bisect_right(segments, (start, 1 << 30, 0)) - 1
    at = at if at > 0 else 0
    offset, line, col = segments[at]
    begin = _new(Pos, (line, col + start - offset))
    if at + 1 == len(segments) or end <= segments[at + 1][0]:  # within one physical piece
        return _new(Span, (begin, _new(Pos, (line, col + end - offset))))
    last_line, last_col = logical_pos(segments, end - 1)
    return _new(Span, (begin, _new(Pos, (last_line, last_col + 1))))


class ParseError(msgspec.Struct, frozen=True, gc=False):
    message: str
    span: Span


class Word(msgspec.Struct, frozen=True, gc=False):
    """A whitespace-delimited word of an instruction's arguments, as written. Its range is
    computed when asked for, from offsets into the instruction's logical line (as a flag's)."""

    text: str
    start: int
    end: int
    segments: Segments

    @property
    def span(self) -> Span:
        return logical_span(self.segments, self.start, self.end)


class Flag(msgspec.Struct, frozen=True, gc=False):
    """A builder flag such as ``--from=builder``.

    ``text`` is the flag as BuildKit sees it (quotes removed); ``name`` is the part between ``--``
    and ``=``; ``value`` is None for a flag with no ``=`` (``--link``). Its ranges are computed when
    asked for, from offsets into the instruction's logical line: most flags never need them.
    """

    text: str
    name: str
    value: str | None
    start: int  # offsets into the logical line of the instruction (see ``Instruction.segments``)
    end: int
    equals_at: int  # where the "=" is, -1 for none
    segments: Segments

    @property
    def span(self) -> Span:
        return logical_span(self.segments, self.start, self.end)

    @property
    def name_span(self) -> Span:
        return logical_span(self.segments, self.start + 2, self.end if self.equals_at < 0 else self.equals_at)

    @property
    def value_span(self) -> Span | None:
        return None if self.equals_at < 0 else logical_span(self.segments, self.equals_at + 1, self.end)


class Heredoc(msgspec.Struct, frozen=True, gc=False):
    name: str
    content: str
    chomp: bool
    expand: bool
    file_descriptor: int
    span: Span  # the body, terminator line included
    terminated: bool


class Instruction(msgspec.Struct, frozen=True, dict=True):
    """One instruction with its continuation lines and heredoc bodies.

    Its ranges (``keyword_span``, ``span``, ``words``) are computed on first use and kept: a parse
    builds thousands of instructions, and most are never asked where they are.
    """

    line_count: int
    keyword: str  # as written, e.g. "copy"
    cmd: str  # the keyword upper-cased, e.g. "COPY"
    keyword_start: int  # where the keyword starts in the logical line
    flags: tuple[Flag, ...]
    args: str  # the arguments after the flags, as written (continuations joined)
    args_start: int  # where ``args`` starts in the logical line
    segments: Segments  # (logical offset, line, column) of each physical piece
    value: tuple[str, ...]  # BuildKit's argument values (JSON decoded, ENV pairs, ...)
    json: bool
    heredocs: tuple[Heredoc, ...]
    sub: Instruction | None  # the instruction inside ONBUILD
    original: str  # the logical line, continuations joined
    errors: tuple[ParseError, ...]
    end_col: int  # the column where the last line ends; -1 inside ONBUILD (the span is the keyword's)
    # ``keyword_span``, ``span`` and ``words`` are pure functions of the fields above, kept in the
    # instance ``__dict__`` on first use (``dict=True``): not fields, so not part of the value.

    @property
    def keyword_span(self) -> Span:
        try:
            return self.__dict__["keyword_span"]  # type: ignore[no-any-return]
        except KeyError:
            span = logical_span(self.segments, self.keyword_start, self.keyword_start + len(self.keyword))
            self.__dict__["keyword_span"] = span
            return span

    @property
    def span(self) -> Span:
        """From the keyword to the end of the last line of the instruction."""
        try:
            return self.__dict__["span"]  # type: ignore[no-any-return]
        except KeyError:
            keyword = self.keyword_span
            span = keyword if self.end_col < 0 else Span(keyword[0], Pos(self.line_count - 1, self.end_col))
            self.__dict__["span"] = span
            return span

    @property
    def words(self) -> tuple[Word, ...]:
        """The arguments after the flags, split on whitespace, with their ranges."""
        try:
            return self.__dict__["words"]  # type: ignore[no-any-return]
        except KeyError:
            words = tuple(self._split_words())
            self.__dict__["words"] = words
            return words

    def _split_words(self) -> list[Word]:
        segments, start = self.segments, self.args_start
        words = []
        for match in _NON_WHITESPACE.finditer(self.args):
            begin, end = match.span()
            words.append(Word(match.group(), start + begin, start + end, segments))
        return words

    def flag(self, name: str) -> Flag | None:
        for flag in self.flags:
            if flag.name.lower() == name:
                return flag
        return None


class Directive(msgspec.Struct, frozen=True, gc=False):
    """A parser directive line such as ``# escape=`` at the top of the file."""

    key: str
    value: str
    key_span: Span
    value_span: Span
    errors: tuple[ParseError, ...]
    line_count: int = 1


class Trivia(msgspec.Struct, frozen=True, gc=False):
    """A blank or comment line outside any instruction."""

    kind: str  # "blank" or "comment"
    line_count: int = 1

    @property
    def errors(self) -> tuple[ParseError, ...]:
        return ()


Node = Instruction | Directive | Trivia
