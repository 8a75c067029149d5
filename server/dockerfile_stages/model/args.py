"""Expansion of ``$VAR`` forms in FROM lines, with the ARGs declared before the first FROM."""

from __future__ import annotations

import re
from dataclasses import dataclass

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

_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-+])(?P<word>[^}]*))?\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


def platform_args(platform: str) -> dict[str, str]:
    """The automatic platform ARGs for one platform, e.g. ``linux/arm64/v8``."""
    parts = platform.split("/")
    os_name = parts[0] if parts else ""
    arch = parts[1] if len(parts) > 1 else ""
    variant = parts[2] if len(parts) > 2 else ""
    values = {"PLATFORM": platform, "OS": os_name, "ARCH": arch, "VARIANT": variant}
    return {f"{side}{key}": value for side in ("BUILD", "TARGET") for key, value in values.items()}


@dataclass(frozen=True, slots=True)
class Expansion:
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

    def replace(match: re.Match[str]) -> str:
        name = match.group("braced") or match.group("bare")
        op = match.group("op")
        word = match.group("word") or ""
        declared = name in values
        value = values.get(name)
        if op in (":-", "-"):
            if value is None or (op == ":-" and value == ""):
                return expand(word, values).text
            return value
        if op in (":+", "+"):
            if value is None or (op == ":+" and value == ""):
                return ""
            return expand(word, values).text
        if value is None:
            unresolved.append(name)
            return "" if declared else match.group(0)
        return value

    result = _VARIABLE.sub(replace, text)
    return Expansion(result, tuple(unresolved))
