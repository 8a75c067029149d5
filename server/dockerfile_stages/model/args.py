"""Expansion of ``$VAR`` forms in FROM lines, with the ARGs declared before the first FROM."""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec

# BuildKit defines these in every build; their values depend on the platforms of the build.
PLATFORM_ARGS = (
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
)

# The start of ``$NAME``, ``${NAME}`` or ``${NAME<op>WORD}``. The closing brace is looked for
# separately: a pattern with ``[^}]*`` inside would rescan the rest of the text from every "${" with
# no "}" after it (quadratic: "${A:-" * 10000 took seconds).
_REFERENCE = re.compile(r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-+])?|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")


class _Reference(msgspec.Struct, frozen=True):
    start: int
    end: int
    name: str
    op: str | None
    word: str


def _references(text: str) -> Iterator[_Reference]:
    """The variable references in ``text``, left to right, in linear time."""
    pos = 0
    close = -2  # the first "}" at or after the last place looked from; -1: there is none
    while (match := _REFERENCE.search(text, pos)) is not None:
        start, after = match.start(), match.end()
        name, op = match.group("braced"), match.group("op")
        if name is None:
            yield _Reference(start, after, match.group("bare"), None, "")
            pos = after
        elif op is None and text.startswith("}", after):
            yield _Reference(start, after + 1, name, None, "")
            pos = after + 1
        elif op is not None:
            if close != -1 and close < after:
                close = text.find("}", after)
            if close == -1:
                pos = start + 1  # no "}" anywhere after: this is not a reference
                continue
            yield _Reference(start, close + 1, name, op, text[after:close])
            pos = close + 1
        else:
            pos = start + 1


def platform_args(platform: str) -> dict[str, str]:
    """The automatic platform ARGs for one platform, e.g. ``linux/arm64/v8``."""
    parts = platform.split("/")
    os_name = parts[0] if parts else ""
    arch = parts[1] if len(parts) > 1 else ""
    variant = parts[2] if len(parts) > 2 else ""
    values = {"PLATFORM": platform, "OS": os_name, "ARCH": arch, "VARIANT": variant}
    return {f"{side}{key}": value for side in ("BUILD", "TARGET") for key, value in values.items()}


class Expansion(msgspec.Struct, frozen=True):
    text: str
    unresolved: tuple[str, ...]  # variables with no value: the result is not the real one

    @property
    def complete(self) -> bool:
        return not self.unresolved


def expand(text: str, values: dict[str, str | None]) -> Expansion:
    """Expand ``$X``, ``${X}``, ``${X:-default}``, ``${X-default}``, ``${X:+alt}``, ``${X+alt}``.

    ``values`` maps declared names to their value (None: declared without a default).
    """
    unresolved: list[str] = []
    pieces: list[str] = []
    pos = 0
    for ref in _references(text):
        pieces += [text[pos : ref.start], _substitute(ref, text, values, unresolved)]
        pos = ref.end
    pieces.append(text[pos:])
    return Expansion("".join(pieces), tuple(unresolved))


def _substitute(ref: _Reference, text: str, values: dict[str, str | None], unresolved: list[str]) -> str:
    value = values.get(ref.name)
    if ref.op in (":-", "-"):
        if value is None or (ref.op == ":-" and value == ""):
            return expand(ref.word, values).text
        return value
    if ref.op in (":+", "+"):
        if value is None or (ref.op == ":+" and value == ""):
            return ""
        return expand(ref.word, values).text
    if value is None:
        unresolved.append(ref.name)
        return "" if ref.name in values else text[ref.start : ref.end]
    return value
