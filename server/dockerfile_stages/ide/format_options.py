"""The formatter's settings, apart from the formatter (``ide/formatting.py``): the analysis's
options carry them, and building options must not load the formatter and the completion it uses."""

from __future__ import annotations

from enum import Enum

import msgspec


class KeywordCase(Enum):
    MAJORITY = "majority"
    UPPER = "upper"
    LOWER = "lower"
    KEEP = "keep"


class FormatOptions(msgspec.Struct, frozen=True):
    indent: str = "    "  # for continuation lines
    keyword_case: KeywordCase = KeywordCase.MAJORITY
    trim_trailing_whitespace: bool = True
