"""``.dockerignore`` matching with Docker's rules (moby/patternmatcher, as BuildKit uses it).

Patterns are cleaned paths relative to the context; ``*`` and ``?`` stay within one path element,
``**`` spans any number of them; ``!`` re-includes; the last matching pattern wins; a pattern that
matches a directory matches everything under it. Pure: ``workspace.context`` reads the file.

Docker checks each pattern with Go's ``filepath.Match`` rules and then matches with a Go regular
expression, which runs in linear time. Python's ``re`` backtracks (``*a*a*a*a*a*a*a*a*b`` against
a long name takes seconds), so the expressions run on RE2, the engine Go's follows. A pattern
Docker refuses (``[]``, ``[^]``, ``[z-a]``, a trailing ``\\``) makes ``docker build`` fail; here it
matches nothing and is listed in ``problems``.
"""

from __future__ import annotations

import enum
import posixpath
from functools import cache
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    import re2

_ESCAPED = frozenset(".+()|{}$")  # regex characters that mean nothing in a path pattern
_BOM = "\ufeff"


class PatternError(ValueError):
    """A pattern Docker refuses; the message says why."""


class MatchKind(enum.Enum):
    EXACT = "exact"  # no wildcard: the path itself
    PREFIX = "prefix"  # ``dir/**``: everything under a literal prefix
    SUFFIX = "suffix"  # ``**/name``: a literal suffix
    REGEX = "regex"


class Pattern(msgspec.Struct, frozen=True):
    text: str  # cleaned, without the ``!``
    exclusion: bool
    kind: MatchKind
    regex: re2._Regexp[str] | None = None

    def matches(self, path: str) -> bool:
        if self.kind is MatchKind.EXACT:
            return path == self.text
        if self.kind is MatchKind.PREFIX:
            return path.startswith(self.text[:-2])
        if self.kind is MatchKind.SUFFIX:
            suffix = self.text[2:]
            return path.endswith(suffix) or (suffix.startswith("/") and path == suffix[1:])
        return self.regex is not None and self.regex.search(path) is not None


class Problem(msgspec.Struct, frozen=True):
    line: int  # 1-based line of the .dockerignore
    pattern: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.pattern!r} is refused by docker build ({self.reason}); it matches nothing here"


def check_syntax(pattern: str) -> None:
    """Raise PatternError where Go's ``filepath.Match`` reports ``ErrBadPattern``."""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            if index + 1 >= len(pattern):
                raise PatternError("a trailing backslash escapes nothing")
            index += 2
        elif char == "[":
            index = _check_class(pattern, index + 1)
        else:
            index += 1


def _check_class(pattern: str, index: int) -> int:
    """Past the ``]`` of a character class that starts at ``index`` (just after its ``[``)."""
    if index < len(pattern) and pattern[index] == "^":
        index += 1
    ranges = 0
    while True:
        if index < len(pattern) and pattern[index] == "]" and ranges > 0:
            return index + 1
        index = _class_char(pattern, index)
        if pattern[index] == "-":
            index = _class_char(pattern, index + 1)
        ranges += 1


def _class_char(pattern: str, index: int) -> int:
    """Past one (possibly escaped) character of a class; the class must go on after it."""
    if index >= len(pattern) or pattern[index] in "-]":
        raise PatternError("an empty or malformed character class")
    if pattern[index] == "\\":
        index += 1
        if index >= len(pattern):
            raise PatternError("an unterminated character class")
    index += 1
    if index >= len(pattern):
        raise PatternError("an unterminated character class")
    return index


def compile_pattern(text: str, exclusion: bool = False) -> Pattern:
    """A cleaned pattern as Docker compiles it; PatternError if Docker refuses it."""
    check_syntax(text)
    regex, kind = _translate(text)
    if kind is not MatchKind.REGEX:
        return Pattern(text, exclusion, kind)
    import re2  # loaded by the first pattern that needs a regex, not by every start-up

    try:
        compiled = re2.compile(regex, options=_options())
    except re2.error as err:
        reason = err.args[0].decode(errors="replace") if err.args and isinstance(err.args[0], bytes) else str(err)
        raise PatternError(reason) from None
    return Pattern(text, exclusion, kind, compiled)


@cache
def _options() -> re2.Options:
    import re2

    options = re2.Options()
    options.log_errors = False  # a bad pattern is reported in ``problems``, not on standard error
    return options


def _translate(pattern: str) -> tuple[str, MatchKind]:
    """The regular expression for a pattern, and which of Docker's shortcuts applies instead."""
    out = ["^"]
    kind = MatchKind.EXACT
    index = 0
    while index < len(pattern):
        at_start = index == 0
        char = pattern[index]
        index += 1
        if char == "*" and pattern.startswith("*", index):
            index += 1
            if pattern.startswith("/", index):
                index += 1  # "**/" is "**"
            if index >= len(pattern):
                if kind is MatchKind.EXACT:
                    kind = MatchKind.PREFIX
                else:
                    out.append(".*")
                    kind = MatchKind.REGEX
            else:
                out.append("(.*/)?")
                kind = MatchKind.REGEX
            if at_start:
                kind = MatchKind.SUFFIX
        elif char == "*":
            out.append("[^/]*")
            kind = MatchKind.REGEX
        elif char == "?":
            out.append("[^/]")
            kind = MatchKind.REGEX
        elif char in _ESCAPED:
            out.append("\\" + char)
        elif char == "\\":
            if index < len(pattern):
                out.append("\\" + pattern[index])
                index += 1
                kind = MatchKind.REGEX
            else:
                out.append("\\\\")  # unreachable after check_syntax; kept literal all the same
        elif char in "[]":
            out.append(char)
            kind = MatchKind.REGEX
        else:
            out.append(char)
    return "".join(out) + "$", kind


class DockerIgnore:
    def __init__(self, lines: list[str]) -> None:
        self.patterns: list[Pattern] = []
        self.problems: list[Problem] = []
        for number, raw in enumerate(lines, start=1):
            line = (raw.removeprefix(_BOM) if number == 1 else raw).strip()
            if not line or line.startswith("#"):
                continue
            exclusion = line.startswith("!")
            cleaned = _clean(line[1:].strip() if exclusion else line)
            if cleaned in ("", "."):
                if exclusion and not cleaned:
                    self.problems.append(Problem(number, line, 'an exclusion of nothing ("!")'))
                continue
            try:
                self.patterns.append(compile_pattern(cleaned, exclusion))
            except PatternError as err:
                self.problems.append(Problem(number, line, str(err)))

    def excluded(self, relative: str) -> bool:
        """True if the path (relative to the context, with ``/``) is left out of the build context."""
        candidates = _with_parents(relative)
        result = False
        for pattern in self.patterns:
            if pattern.exclusion != result:
                continue  # cannot change the outcome
            if any(pattern.matches(candidate) for candidate in candidates):
                result = not pattern.exclusion
        return result


def _clean(pattern: str) -> str:
    if not pattern:
        return ""
    cleaned = posixpath.normpath(pattern)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")  # normpath keeps a leading "//"; Go's Clean does not
    return cleaned[1:] if len(cleaned) > 1 and cleaned.startswith("/") else cleaned


def _with_parents(path: str) -> list[str]:
    """The path, then each directory above it (``a/b/c``: ``a/b/c``, ``a``, ``a/b``)."""
    parts = path.split("/")
    return [path] + ["/".join(parts[: end + 1]) for end in range(len(parts) - 1)]
