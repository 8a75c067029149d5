"""Small helpers shared by rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from dockerfile_stages.model.stages import Stage
from dockerfile_stages.rules.base import Context, Edit, Finding, Fix
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction, Node, Span

MAX_SUGGESTED_LENGTH = 64  # a longer word is not a typo of a name; comparing it would only cost time


def lazy_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, compiled at its first use: for a rule's patterns, most of
    which a small file never needs (compiling the rules' ~20 patterns is a few ms of a cold
    ``check``). Use it like the compiled pattern (its methods and attributes); after the first use
    they are the compiled pattern's own, so it costs nothing more."""
    return cast("re.Pattern[str]", _LazyPattern(source, flags))


class _LazyPattern:
    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags = source, flags

    def __getattr__(self, name: str) -> Any:  # only for what the instance does not hold yet
        compiled = re.compile(self._source, self._flags)
        for attribute in ("search", "match", "fullmatch", "finditer", "findall", "split", "sub", "subn", "pattern"):
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


def close_names(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Candidates within a small edit distance of ``name``, the closest first (ties in the given order).

    The one "did you mean" for stages, instructions and flags. Case is ignored. Edit distance with
    transpositions (OSA, in C via rapidfuzz) and a cut-off, so hundreds of stages and typos stay instant.
    """
    if not name or len(name) > MAX_SUGGESTED_LENGTH:
        return []
    from rapidfuzz import process  # loaded at the first unknown name, not at every start
    from rapidfuzz.distance import OSA

    budget = 1 if len(name) <= 4 else 2
    unique = [c for c in dict.fromkeys(candidates) if c and abs(len(c) - len(name)) <= budget]
    found = process.extract(name, unique, scorer=OSA.distance, processor=str.lower, score_cutoff=budget, limit=None)
    ranked = sorted((distance, position) for _, distance, position in found if distance > 0)
    return [unique[position] for _, position in ranked[:limit]]


def did_you_mean(span: Span, suggestions: list[str]) -> tuple[Fix, ...]:
    """One fix per suggestion, replacing ``span`` (the closest preferred)."""
    return tuple(
        Fix(f"Change to '{name}'", (Edit(span, name),), preferred=index == 0) for index, name in enumerate(suggestions)
    )


def _instruction(node: Node) -> Instruction | None:
    return node if isinstance(node, Instruction) else None


def instructions(document: Document) -> Iterator[tuple[int, Instruction]]:
    """Every instruction with its first line (cached per chunk, so cheap after an edit)."""
    return document.select("rules:instructions", _instruction)


def keyword_fix(title: str, span: Span, text: str) -> Fix:
    return Fix(title, (Edit(span, text),), preferred=True)


def double_quoted(value: str, escape: str) -> str:
    """``value`` as a Dockerfile double-quoted word that BuildKit reads back unchanged."""
    escaped = "".join(escape + ch if ch in ('"', "$", escape) else ch for ch in value)
    return f'"{escaped}"'


StageSummary = tuple[bool, list[tuple[Finding, bool]]]  # (the stage sets X, its findings with "after X")


def unexcused_findings(context: Context, rule_id: str, summarise: Callable[[Stage], StageSummary]) -> list[Finding]:
    """The findings of every stage that nothing excuses: an excusing instruction earlier in the same
    stage (the summary's flag per finding), or one anywhere in the stage it is built on, which
    carries over (a base stage is always an earlier one). Summaries are kept per stage."""
    found_all: list[Finding] = []
    set_at_end: dict[int, bool] = {}
    summaries = context.stage_values(rule_id, summarise)
    for stage, (sets_it, found) in zip(context.model.stages, summaries, strict=True):
        inherited = set_at_end.get(stage.base_stage, False) if stage.base_stage is not None else False
        found_all.extend(finding for finding, after_it in found if not (inherited or after_it))
        set_at_end[stage.index] = inherited or sets_it
    return found_all
