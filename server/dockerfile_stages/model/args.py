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
# separately (``_closes``): a pattern with ``[^}]*`` inside would rescan the rest of the text from
# every "${" with no "}" after it (quadratic: "${A:-" * 10000 took seconds), and would take the
# first "}" for the end of ``${A:-${B}}``.
_REFERENCE = re.compile(r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-+])?|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")
_BRACE = re.compile(r"\$\{|\}")


class _Reference(msgspec.Struct, frozen=True):
    start: int
    end: int
    name: str
    op: str | None
    word_start: int  # the default or alternative: text[word_start:word_end] (empty without ``op``)
    word_end: int


def _closes(text: str) -> dict[int, int]:
    """Where each ``${`` of ``text`` is closed (its index -> that of its ``}``), nested ones
    included, in one pass over the text for all of them."""
    closes: dict[int, int] = {}
    open_at: list[int] = []
    for match in _BRACE.finditer(text):
        if match.group() != "}":
            open_at.append(match.start())
        elif open_at:
            closes[open_at.pop()] = match.start()
    return closes


def _references(text: str, start: int, end: int, closes: dict[int, int]) -> Iterator[_Reference]:
    """The variable references in ``text[start:end]``, left to right (not those inside another)."""
    pos = start
    while (match := _REFERENCE.search(text, pos, end)) is not None:
        at, after = match.start(), match.end()
        name, op = match.group("braced"), match.group("op")
        if name is None:
            yield _Reference(at, after, match.group("bare"), None, after, after)
            pos = after
            continue
        close = closes.get(at, end)
        if close >= end or (op is None and close != after):
            pos = at + 1  # not closed here, or not a form expanded here: literal text
            continue
        yield _Reference(at, close + 1, name, op, after, close)
        pos = close + 1


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


class _Part(msgspec.Struct):
    """A part of the text being expanded: the whole text, or the default of a ``${A:-...}``."""

    refs: Iterator[_Reference]
    pos: int  # where the text not yet copied starts
    end: int
    pieces: list[str]
    unresolved: list[str]


def expand(text: str, values: dict[str, str | None]) -> Expansion:
    """Expand ``$X``, ``${X}``, ``${X:-default}``, ``${X-default}``, ``${X:+alt}``, ``${X+alt}``.

    ``values`` maps declared names to their value (None: declared without a default). Nested
    defaults are expanded with a stack of parts, not recursion: a FROM may nest thousands deep.
    What a default leaves unresolved is not counted (the name with the default has a value).
    """
    closes = _closes(text) if "${" in text else {}
    parts = [_Part(_references(text, 0, len(text), closes), 0, len(text), [], [])]
    while True:
        part = parts[-1]
        inner = _expand_part(text, part, values, closes)
        if inner is not None:
            parts.append(inner)
            continue
        parts.pop()
        expanded = "".join(part.pieces)
        if not parts:
            return Expansion(expanded, tuple(part.unresolved))
        parts[-1].pieces.append(expanded)


def _expand_part(text: str, part: _Part, values: dict[str, str | None], closes: dict[int, int]) -> _Part | None:
    """Expand ``part`` to its end, or up to a default to expand first (returned)."""
    for ref in part.refs:
        part.pieces.append(text[part.pos : ref.start])
        part.pos = ref.end
        value = values.get(ref.name)
        if ref.op is None:
            if value is None:
                part.unresolved.append(ref.name)
                value = "" if ref.name in values else text[ref.start : ref.end]
            part.pieces.append(value)
            continue
        unset = value is None or (ref.op.startswith(":") and value == "")
        if unset == (ref.op in (":-", "-")):  # the default of an unset name, the alternative of a set one
            return _Part(_references(text, ref.word_start, ref.word_end, closes), ref.word_start, ref.word_end, [], [])
        part.pieces.append("" if unset else (value or ""))
    part.pieces.append(text[part.pos : part.end])
    part.pos = part.end
    return None
