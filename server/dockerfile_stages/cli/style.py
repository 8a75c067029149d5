"""Colour on a terminal, never elsewhere: ``NO_COLOR`` turns it off, ``FORCE_COLOR`` on (no-color.org,
force-color.org), otherwise only a terminal that is not ``TERM=dumb`` gets it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import Enum
from typing import NamedTuple, TextIO


class Tone(Enum):
    ERROR = "1;31"
    WARNING = "1;33"
    INFO = "1;36"
    HINT = "2"
    PATH = "1"
    RULE = "2"
    GOOD = "32"


class Paint(NamedTuple):  # (not a msgspec.Struct: a check answered from its cache loads no msgspec)
    enabled: bool = False

    def __call__(self, text: str, tone: Tone) -> str:
        return f"\x1b[{tone.value}m{text}\x1b[0m" if self.enabled and text else text


PLAIN = Paint()


def paint_for(stream: TextIO, environ: Mapping[str, str] | None = None) -> Paint:
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return PLAIN
    if env.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return Paint(True)
    isatty = getattr(stream, "isatty", None)
    return Paint(bool(isatty and isatty()) and env.get("TERM") != "dumb")
