"""Positions from the parsers we use, in our unit: (line, code-point column)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import msgspec

from dockerfile_stages.syntax.nodes import Pos, Span


class Segment(msgspec.Struct, frozen=True):
    """A piece of source text: its characters and where its first one sits in the file."""

    text: str
    line: int
    col: int


class JoinedText:
    """Segments of a file joined into one text for a parser, with the way back to file positions."""

    def __init__(self, segments: Sequence[Segment], joiner: str = "\n") -> None:
        self.segments = list(segments)
        self.text = joiner.join(segment.text for segment in self.segments)
        self.data = self.text.encode("utf-8")
        self._starts: list[int] = []
        offset = 0
        for segment in self.segments:
            self._starts.append(offset)
            offset += len(segment.text) + len(joiner)
        self._ascii = len(self.data) == len(self.text)

    def char_offset(self, byte_offset: int) -> int:
        if self._ascii:
            return byte_offset
        return len(self.data[:byte_offset].decode("utf-8", errors="ignore"))

    def pos(self, byte_offset: int) -> Pos:
        offset = self.char_offset(byte_offset)
        at = max(bisect_right(self._starts, offset) - 1, 0)
        segment = self.segments[at]
        return Pos(segment.line, segment.col + min(offset - self._starts[at], len(segment.text)))

    def span(self, start_byte: int, end_byte: int) -> Span:
        return Span(self.pos(start_byte), self.pos(end_byte))


def lines_of(text: str) -> list[Segment]:
    """A whole file as segments, one per physical line."""
    return [Segment(line.rstrip("\r"), number, 0) for number, line in enumerate(text.split("\n"))]
