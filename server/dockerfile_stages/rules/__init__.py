"""Diagnostic rules: one module per rule, each with an id, docs and (where it makes sense) a fix."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, overload

import msgspec
from msgspec.structs import replace

from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.rules import ids, registry
from dockerfile_stages.rules.base import Context, Edit, Finding, Fix, Rule, Scope, Severity
from dockerfile_stages.rules.cache import RuleCache, SuppressionCache
from dockerfile_stages.rules.helpers import lazy_pattern
from dockerfile_stages.rules.index import ENTRIES
from dockerfile_stages.rules.registry import RuleEntry
from dockerfile_stages.syntax.document import Chunk, Document
from dockerfile_stages.syntax.nodes import Directive, Trivia

if TYPE_CHECKING:
    from dockerfile_stages.model.variables import Variables

ENTRIES_BY_ID = {entry.id: entry for entry in ENTRIES}


@lru_cache(maxsize=1)
def _all_rules() -> tuple[Rule, ...]:
    return tuple(registry.load(entry) for entry in ENTRIES)


class _AllRules(Sequence[Rule]):
    """Every rule, in order: their modules are imported at the first look (listings, docs, the
    settings schema). ``run_rules`` imports only the modules a document needs (``rules.registry``)."""

    @overload
    def __getitem__(self, index: int) -> Rule: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Rule]: ...

    def __getitem__(self, index: int | slice) -> Rule | Sequence[Rule]:
        return _all_rules()[index]

    def __iter__(self) -> Iterator[Rule]:
        return iter(_all_rules())

    def __len__(self) -> int:
        return len(ENTRIES)


class _RulesById(Mapping[str, Rule]):
    """Rule by id, importing only the module of the rule asked for."""

    def __getitem__(self, rule_id: str) -> Rule:
        return registry.load(ENTRIES_BY_ID[rule_id])

    def __iter__(self) -> Iterator[str]:
        return iter(ENTRIES_BY_ID)

    def __len__(self) -> int:
        return len(ENTRIES_BY_ID)


def load_all() -> None:
    """Import every rule module now (the language server does it on a thread once it runs: until
    then each run looks at the document for what the rules not yet imported need)."""
    _all_rules()


RULES: Sequence[Rule] = _AllRules()
RULES_BY_ID: Mapping[str, Rule] = _RulesById()
_IGNORE_COMMENT = lazy_pattern(r"#\s*dockerfile-stages:\s*ignore=([A-Za-z0-9_,\s-]+)")  # files without comments: never

__all__ = [
    "ENTRIES",
    "RULES",
    "RULES_BY_ID",
    "Context",
    "Edit",
    "Finding",
    "Fix",
    "Rule",
    "RuleCache",
    "Scope",
    "Severity",
    "is_selected",
    "load_all",
    "reads_ignore_file",
    "rule_named",
    "rule_names",
    "run_rules",
]


# What choosing rules by name reads (id, name, peers, experimental): a rule, or its index entry.
_Named = Rule | RuleEntry


def _matches(rule: _Named, names: Iterable[str]) -> bool:
    aliases = {rule.id.lower(), rule.name.lower()} | {peer.split()[-1].lower() for peer in rule.peers if " " in peer}
    return any(name.lower() in aliases or name.lower() == "all" for name in names)


def rule_named(name: str) -> Rule | None:
    """The rule with this id, name, or BuildKit/hadolint check name (case-insensitive)."""
    if name.lower() == "all":
        return None
    entry = next((entry for entry in ENTRIES if _matches(entry, [name])), None)
    return registry.load(entry) if entry is not None else None


def rule_names() -> list[str]:
    """Every name ``--select``, ``--ignore``, ``--explain`` and ``# check=skip=`` accept."""
    names = ["all"]
    for entry in ENTRIES:
        names += [entry.id, entry.name] + [peer.split()[-1] for peer in entry.peers if " " in peer]
    return list(dict.fromkeys(names))


def is_selected(rule: _Named, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Whether ``--select``/``--ignore`` (ids, names or peer names) leave the rule on."""
    select, ignore = list(select), list(ignore)
    return (not select or _matches(rule, select)) and not (ignore and _matches(rule, ignore))


class CheckDirective(msgspec.Struct, frozen=True):
    """BuildKit's ``# check=skip=A,B;error=true;experimental=C`` directive."""

    skip: tuple[str, ...] = ()
    error: bool = False  # check findings fail the build
    experimental: tuple[str, ...] = ()  # experimental checks turned on ("all" for every one)


def check_directive(document: Document) -> CheckDirective:
    for _, node in document.nodes():
        if not isinstance(node, Directive):
            break
        if node.key != "check":
            continue
        values: dict[str, str] = {}
        for part in node.value.split(";"):
            key, _, value = part.partition("=")
            values[key.strip().lower()] = value.strip()
        return CheckDirective(
            skip=_names(values.get("skip", "")),
            error=values.get("error", "").lower() == "true",
            experimental=_names(values.get("experimental", "")),
        )
    return CheckDirective()


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def reads_ignore_file(document: Document, select: Iterable[str] = ()) -> bool:
    """Whether a rule that needs the build's ignore file runs here (CopyIgnoredFile is experimental):
    callers read the file only then."""
    entry = ENTRIES_BY_ID[ids.COPY_IGNORED_FILE]  # its module is not imported to answer
    return _active(entry, list(select), [], check_directive(document).experimental)


def _explicitly(rule: _Named, names: Iterable[str]) -> bool:
    """Named by id or name (``all`` does not turn experimental rules on)."""
    return _matches(rule, [name for name in names if name.lower() != "all"])


def is_buildkit_check(rule: Rule) -> bool:
    """One of BuildKit's build checks (warnings that ``# check=error=true`` turns into errors)."""
    return any(peer.startswith("BuildKit ") for peer in rule.peers)


def _suppressions(start: int, chunk: Chunk, document: Document) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """The ``# dockerfile-stages: ignore=ID`` comments of a chunk: (line, names)."""
    found = []
    line = start
    for node in chunk.nodes:
        if isinstance(node, Trivia) and node.kind == "comment" and "dockerfile-stages" in (text := document.line(line)):
            match = _IGNORE_COMMENT.search(text)  # on the few comments that can hold one
            if match:
                found.append((line, tuple(name.strip() for name in match.group(1).split(",") if name.strip())))
        line += node.line_count
    return tuple(found)


def _ignored_lines(document: Document, cache: SuppressionCache) -> dict[int, list[str]]:
    """Line -> rules ignored there by a ``# dockerfile-stages: ignore=ID`` comment on the line(s) above.

    A comment covers the first instruction (or directive) after it, blank and comment lines between.
    """
    ignored: dict[int, list[str]] = {}
    for line, names in cache.comments(document, _suppressions):
        for covered_line, node in document.nodes_from(line + 1):
            if isinstance(node, Trivia):
                continue
            for covered in range(covered_line, covered_line + node.line_count):
                ignored.setdefault(covered, []).extend(names)
            break
    return ignored


def _active(rule: _Named, select: list[str], ignore: list[str], experimental: tuple[str, ...]) -> bool:
    if select and not _matches(rule, select):
        return False
    if rule.experimental and not (_explicitly(rule, select) or _matches(rule, experimental)):
        return False
    return not (ignore and _matches(rule, ignore) and rule.id != ids.PARSE_ERROR)


@lru_cache(maxsize=32)
def _active_entries(
    select: tuple[str, ...], ignore: tuple[str, ...], experimental: tuple[str, ...]
) -> tuple[RuleEntry, ...]:
    """The rules chosen to run (``check`` asks the same for every file: 0.03 ms a file)."""
    return tuple(entry for entry in ENTRIES if _active(entry, list(select), list(ignore), experimental))


@lru_cache(maxsize=4)
def _image_names(images: tuple[str, ...]) -> frozenset[str]:
    """The names of ``name:tag`` images: ``check`` passes the same snapshot for every file."""
    return frozenset(image.split(":")[0] for image in images)


# Findings in order of place, (line, column), then of rule id: a key in C (5 ms less for 20,000 findings).
_BY_PLACE = attrgetter("span.start", "rule")


def run_rules(
    document: Document,
    model: StageModel,
    *,
    targets: tuple[str, ...] = (),
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    ignore_patterns: tuple[str, ...] | None = None,
    images: Iterable[str] = (),
    cache: RuleCache | None = None,
    variables: Callable[[], Variables] | None = None,
) -> list[Finding]:
    """Every finding of the rules chosen (all by default), with suppressions applied.

    Experimental rules run only when ``select`` or the file's ``# check=experimental=`` names them;
    ``ignore_patterns`` are the build context's ``.dockerignore`` lines, read by the caller; ``images``
    are images known to exist (``name:tag``, e.g. the size snapshot's), so that ``--from=alpine`` is
    not taken for a misspelt stage name. ``cache`` keeps results for the next run over the same
    document (after an edit, only what the edit can change is worked out again); without one,
    everything is computed, with the same findings. ``variables`` gives the ``Variables`` of this
    document and model where the caller keeps one (the editor's), read only if a rule needs them.
    A rule's module is imported only when the document has something it can find (``rules.registry``).
    """
    known = _image_names(tuple(images))
    context = Context(document, model, targets, ignore_patterns, known, variables=variables)
    directive = check_directive(document)
    select, ignore = list(select), list(ignore) + list(directive.skip)
    cache = cache if cache is not None else RuleCache()
    # Only the modules of rules that can find something here are imported (``rules.registry``).
    active = list(registry.rules_for(_active_entries(tuple(select), tuple(ignore), directive.experimental), document))
    ignored_lines = _ignored_lines(document, cache.suppressions)
    findings: list[Finding] = []
    for rule, finding in cache.run(context, active):
        names = ignored_lines.get(finding.span.start.line) if ignored_lines else None
        if names and _matches(rule, names):
            continue
        if directive.error and is_buildkit_check(rule):
            finding = replace(finding, severity=Severity.ERROR)
        findings.append(finding)
    findings.sort(key=_BY_PLACE)
    return findings
