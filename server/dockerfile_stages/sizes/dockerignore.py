"""``.dockerignore`` matching with Docker's rules (moby/patternmatcher).

Patterns are cleaned paths relative to the context; ``*`` and ``?`` stay within one path element,
``**`` spans any number of them; ``!`` re-includes; the last matching pattern wins; a pattern that
matches a directory matches everything under it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    exclusion: bool


def _translate(pattern: str) -> re.Pattern[str]:
    out = []
    index = 0
    while index < len(pattern):
        ch = pattern[index]
        if ch == "*":
            if pattern.startswith("**", index):
                index += 2
                if pattern.startswith("/", index):
                    index += 1
                    out.append("(?:.*/)?")
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            close = pattern.find("]", index + 1)
            if close < 0:
                out.append(re.escape(ch))
            else:
                body = pattern[index + 1 : close].replace("\\", "\\\\")
                if body.startswith("^") or body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                index = close
        elif ch == "\\" and index + 1 < len(pattern):
            index += 1
            out.append(re.escape(pattern[index]))
        else:
            out.append(re.escape(ch))
        index += 1
    return re.compile("".join(out) + r"(?:/.*)?\Z")


class DockerIgnore:
    def __init__(self, lines: list[str]) -> None:
        self.patterns: list[_Pattern] = []
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exclusion = line.startswith("!")
            if exclusion:
                line = line[1:].strip()
            cleaned = posixpath.normpath(line).lstrip("/")
            if cleaned in ("", "."):
                continue
            self.patterns.append(_Pattern(_translate(cleaned), exclusion))

    @classmethod
    def for_context(cls, context: Path) -> DockerIgnore:
        try:
            return cls((context / ".dockerignore").read_text(errors="replace").splitlines())
        except OSError:
            return cls([])

    def excluded(self, relative: str) -> bool:
        """True if the path (relative to the context, with ``/``) is left out of the build context."""
        result = False
        for pattern in self.patterns:
            if pattern.regex.match(relative):
                result = not pattern.exclusion
        return result
