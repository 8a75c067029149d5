"""Column conversion between code points (our internal unit) and the LSP position encodings.

Internally every column is an index into a Python ``str`` (code points, i.e. UTF-32 units).
Clients count in UTF-16 code units unless they negotiate ``utf-8`` or ``utf-32``.

A conversion on a line that is not ASCII goes through the line's ``LineUnits``: the few characters
wider than one unit, found once per line by a regular expression. Each conversion is then a binary
search, so its cost does not grow with the length of the line (a 60 KB line converts as fast as a
short one).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Literal

import msgspec

Encoding = Literal["utf-8", "utf-16", "utf-32"]
ENCODINGS: tuple[Encoding, ...] = ("utf-8", "utf-16", "utf-32")

# The characters that take more than one unit: outside the BMP in UTF-16, outside ASCII in UTF-8.
_WIDE = {"utf-16": re.compile("[\U00010000-\U0010ffff]"), "utf-8": re.compile("[^\x00-\x7f]")}


def _unit_width(ch: str, encoding: Encoding) -> int:
    code = ord(ch)
    if encoding == "utf-16":
        return 2 if code > 0xFFFF else 1
    if encoding == "utf-8":
        if code < 0x80:
            return 1
        if code < 0x800:
            return 2
        return 3 if code < 0x10000 else 4
    return 1


class LineUnits(msgspec.Struct, frozen=True):
    """Where a line's characters are wider than one unit of an encoding."""

    length: int  # the line's length in code points
    wide: tuple[int, ...]  # the code-point index of each wider character, in order
    extra: tuple[int, ...]  # the units beyond one per character, up to and including each of them

    @staticmethod
    def of(line: str, encoding: Encoding) -> LineUnits:
        pattern = _WIDE.get(encoding)
        wide: list[int] = []
        extra: list[int] = []
        total = 0
        for match in pattern.finditer(line) if pattern is not None else ():
            total += _unit_width(match.group(), encoding) - 1
            wide.append(match.start())
            extra.append(total)
        return LineUnits(len(line), tuple(wide), tuple(extra))

    def units_before(self, index: int) -> int:
        """The units taken by the characters before code-point ``index``."""
        count = bisect_left(self.wide, index)  # wider characters before ``index``
        return index + (self.extra[count - 1] if count else 0)

    def to_units(self, index: int) -> int:
        return self.units_before(max(0, min(index, self.length)))

    def to_code_points(self, column: int) -> int:
        """The character at unit ``column`` (a column inside a character keeps it whole)."""
        if column <= 0:
            return 0
        if not self.wide:
            return min(column, self.length)
        low, high = 0, self.length  # the last index whose character starts at or before ``column``
        while low < high:
            middle = (low + high + 1) // 2
            if self.units_before(middle) <= column:
                low = middle
            else:
                high = middle - 1
        return low


def to_code_points(line: str, column: int, encoding: Encoding) -> int:
    """Code-point index for a column counted in ``encoding`` units, clamped to the line."""
    if column <= 0:
        return 0
    if encoding == "utf-32" or line.isascii():
        return min(column, len(line))
    return LineUnits.of(line, encoding).to_code_points(column)


def from_code_points(line: str, index: int, encoding: Encoding) -> int:
    """Column in ``encoding`` units for a code-point index into ``line``."""
    index = max(0, min(index, len(line)))
    if encoding == "utf-32" or line.isascii():
        return index
    return LineUnits.of(line, encoding).to_units(index)
