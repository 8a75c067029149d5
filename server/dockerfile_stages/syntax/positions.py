"""Column conversion between code points (our internal unit) and the LSP position encodings.

Internally every column is an index into a Python ``str`` (code points, i.e. UTF-32 units).
Clients count in UTF-16 code units unless they negotiate ``utf-8`` or ``utf-32``.
"""

from __future__ import annotations

from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]
ENCODINGS: tuple[Encoding, ...] = ("utf-8", "utf-16", "utf-32")


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


def to_code_points(line: str, column: int, encoding: Encoding) -> int:
    """Code-point index for a column counted in ``encoding`` units, clamped to the line."""
    if column <= 0:
        return 0
    if encoding == "utf-32" or line.isascii():
        return min(column, len(line))
    units = 0
    for index, ch in enumerate(line):
        if units >= column:
            return index
        units += _unit_width(ch, encoding)
        if units > column:  # the column points inside a character: keep the character whole
            return index
    return len(line)


def from_code_points(line: str, index: int, encoding: Encoding) -> int:
    """Column in ``encoding`` units for a code-point index into ``line``."""
    index = max(0, min(index, len(line)))
    if encoding == "utf-32" or line.isascii():
        return index
    return sum(_unit_width(ch, encoding) for ch in line[:index])
