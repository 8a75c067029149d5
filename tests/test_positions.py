"""Columns in UTF-16 (the LSP default), UTF-8 and UTF-32, with non-ASCII text."""

from __future__ import annotations

import pytest

from dockerfile_stages.syntax import Document
from dockerfile_stages.syntax.positions import from_code_points, to_code_points

LINE = 'LABEL note="日本 🐳 é" x=1'


@pytest.mark.parametrize(
    ("encoding", "index", "column"),
    [
        ("utf-16", 13, 13),  # after "日"
        ("utf-16", 15, 15),  # before the whale
        ("utf-16", 16, 17),  # after the whale: two UTF-16 units
        ("utf-8", 13, 15),  # "日" is three bytes
        ("utf-8", 16, 23),  # "本", a space and the four-byte whale
        ("utf-32", 16, 16),
    ],
)
def test_round_trip(encoding: str, index: int, column: int) -> None:
    assert from_code_points(LINE, index, encoding) == column  # type: ignore[arg-type]
    assert to_code_points(LINE, column, encoding) == index  # type: ignore[arg-type]


def test_column_inside_a_surrogate_pair_keeps_the_character_whole() -> None:
    assert to_code_points(LINE, 16, "utf-16") == 15


def test_column_past_end_clamps() -> None:
    assert to_code_points(LINE, 999, "utf-16") == len(LINE)


def test_edit_after_emoji_in_utf16() -> None:
    document = Document("# 🐳 whale\nFROM alpine\n", encoding="utf-16")
    # "# 🐳" is 4 UTF-16 units; insert right after the whale.
    document.apply_change(0, 4, 0, 4, "!")
    assert document.line(0) == "# 🐳! whale"


def test_edit_after_cjk_in_utf8() -> None:
    document = Document("LABEL a=日本\n", encoding="utf-8")
    document.apply_change(0, 11, 0, 14, "")  # drop "本" (3 bytes, starting at byte 11)
    assert document.text == "LABEL a=日\n"
