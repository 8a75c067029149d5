"""What a rule is and what it finds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum

from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Span


class Severity(IntEnum):
    HINT = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        aliases = {"information": "info", "warn": "warning", "style": "hint"}
        return cls[aliases.get(text.lower(), text.lower()).upper()]


@dataclass(frozen=True, slots=True)
class Edit:
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    preferred: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    span: Span
    fixes: tuple[Fix, ...] = ()
    unnecessary: bool = False
    related: tuple[tuple[Span, str], ...] = ()


@dataclass(frozen=True)
class Context:
    document: Document
    model: StageModel
    targets: tuple[str, ...] = ()  # --target names used in the workspace (Compose, Bake)
    ignore_patterns: tuple[str, ...] | None = None  # the build context's .dockerignore lines (None: not known)
    images: frozenset[str] = frozenset()  # image names known to exist (``golang``, ``alpine``: not typos)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    what: str
    why: str
    example: str
    check: Callable[[Context], Iterator[Finding]] = field(repr=False)
    peers: tuple[str, ...] = ()  # the matching hadolint / BuildKit check names
    use_instead: str = ""  # the corrected example
    experimental: bool = False  # as in BuildKit: off unless selected by name
    certain_fix: bool = False  # its preferred fix is safe to apply unattended (check --fix)
    fixable: bool = False

    def finding(
        self,
        message: str,
        span: Span,
        fixes: tuple[Fix, ...] = (),
        *,
        severity: Severity | None = None,
        unnecessary: bool = False,
        related: tuple[tuple[Span, str], ...] = (),
    ) -> Finding:
        return Finding(self.id, severity or self.severity, message, span, fixes, unnecessary, related)

    def explain(self) -> str:
        peers = f"\nSame as: {', '.join(self.peers)}" if self.peers else ""
        fix = ("\nQuick fix: yes" if self.fixable else "") + (
            "\nExperimental: runs only when selected" if self.experimental else ""
        )
        return (
            f"{self.id} {self.name} ({self.severity.label}){peers}{fix}\n\n{self.summary}\n\n"
            f"What it does\n  {self.what}\n\nWhy it matters\n  {self.why}\n\nExample\n"
            + "\n".join("  " + line for line in self.example.strip().splitlines())
            + "\n"
            + (
                "\nUse instead\n" + "\n".join("  " + line for line in self.use_instead.strip().splitlines()) + "\n"
                if self.use_instead
                else ""
            )
        )
