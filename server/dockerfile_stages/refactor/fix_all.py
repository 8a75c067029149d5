"""Apply every certain quick fix to a Dockerfile's text: what ``check --fix`` writes.

A fix is applied when its rule says its fix is certain (casing, ``ENV a b`` -> ``ENV a=b``, the JSON
form of a command that uses no shell feature, ...) and the fix is the finding's preferred one. Fixes
whose edits overlap an earlier one wait for the next round; rounds repeat until nothing changes, so
applying the result again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import RULES_BY_ID, Edit, Finding, run_rules
from dockerfile_stages.syntax import Document
from dockerfile_stages.syntax.nodes import Pos

MAX_ROUNDS = 8


class FixResult(msgspec.Struct, frozen=True):
    text: str
    applied: int  # fixes applied
    rules: tuple[str, ...]  # the rules whose fixes were applied


def _offset(starts: list[int], text: str, pos: Pos) -> int:
    if pos.line >= len(starts):
        return len(text)
    return min(starts[pos.line] + pos.col, starts[pos.line + 1] if pos.line + 1 < len(starts) else len(text))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, ch in enumerate(text):
        if ch == "\n":
            starts.append(index + 1)
    return starts


def _certain_edits(findings: Iterable[Finding]) -> list[tuple[str, tuple[Edit, ...]]]:
    chosen = []
    for finding in findings:
        rule = RULES_BY_ID.get(finding.rule)
        if rule is None or not rule.certain_fix:
            continue
        preferred = [fix for fix in finding.fixes if fix.preferred]
        if len(preferred) == 1:
            chosen.append((finding.rule, preferred[0].edits))
    return chosen


def fix_all(text: str, *, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> FixResult:
    applied, rules = 0, []
    select, ignore = list(select), list(ignore)
    for _ in range(MAX_ROUNDS):
        document = Document(text, encoding="utf-32")
        findings = run_rules(document, build_model(document), select=select, ignore=ignore)
        starts = _line_starts(text)
        taken: list[tuple[int, int]] = []
        replacements: list[tuple[int, int, str]] = []
        for rule, edits in _certain_edits(findings):
            spans = [(_offset(starts, text, e.span.start), _offset(starts, text, e.span.end), e.text) for e in edits]
            if any(
                (start < end_taken and start_taken < end) or start == start_taken
                for start, end, _ in spans
                for start_taken, end_taken in taken
            ):
                continue  # overlaps a fix already chosen: next round
            taken += [(start, end) for start, end, _ in spans]
            replacements += spans
            applied += 1
            rules.append(rule)
        if not replacements:
            break
        for start, end, new in sorted(replacements, reverse=True):
            text = text[:start] + new + text[end:]
    return FixResult(text, applied, tuple(dict.fromkeys(rules)))
