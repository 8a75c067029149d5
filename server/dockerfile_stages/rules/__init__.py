"""Diagnostic rules: one module per rule, each with an id, docs and (where it makes sense) a fix."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

import msgspec
from msgspec.structs import replace

from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.rules import (
    arguments,
    build_targets,
    cgo_static,
    copy_ignored_file,
    copy_whole_stage,
    definition_description,
    expose_format,
    flags,
    forward_reference,
    from_args,
    from_syntax,
    healthcheck,
    ids,
    image_tag,
    instruction_casing,
    json_args,
    legacy_key_value,
    maintainer_deprecated,
    multiple_instructions,
    no_empty_continuation,
    numeric_reference,
    onbuild_trigger,
    parse_error,
    platform_flag,
    secrets_in_arg_env,
    self_reference,
    shell_form,
    stage_cycle,
    stage_names,
    stage_order,
    stop_signal,
    toolchain_final,
    undefined_var,
    unknown_instruction,
    unknown_stage,
    unused_stage,
    workdir_relative,
)
from dockerfile_stages.rules.base import Context, Edit, Finding, Fix, Rule, Scope, Severity
from dockerfile_stages.rules.cache import RuleCache, SuppressionCache
from dockerfile_stages.syntax.document import Chunk, Document
from dockerfile_stages.syntax.nodes import Directive, Trivia

if TYPE_CHECKING:
    from dockerfile_stages.model.variables import Variables

RULES: tuple[Rule, ...] = (
    parse_error.RULE,
    unknown_instruction.RULE,
    flags.UNKNOWN,
    flags.VALUE,
    arguments.RULE,
    stage_order.BEFORE_FROM,
    stage_order.NO_FROM,
    expose_format.SYNTAX,
    shell_form.SHELL_JSON,
    onbuild_trigger.RULE,
    stop_signal.RULE,
    shell_form.INVALID_JSON,
    healthcheck.RULE,
    unknown_stage.RULE,
    self_reference.RULE,
    forward_reference.RULE,
    stage_cycle.RULE,
    stage_names.DUPLICATE,
    stage_names.RESERVED,
    stage_names.INVALID,
    stage_names.CASING,
    stage_names.AS_CASING,
    numeric_reference.RULE,
    unused_stage.RULE,
    toolchain_final.RULE,
    cgo_static.RULE,
    copy_whole_stage.RULE,
    from_args.UNDEFINED,
    from_args.INVALID_DEFAULT,
    image_tag.RULE,
    from_syntax.RULE,
    build_targets.UNKNOWN_TARGET,
    build_targets.MISSING_PATH,
    no_empty_continuation.RULE,
    instruction_casing.RULE,
    json_args.RULE,
    maintainer_deprecated.RULE,
    workdir_relative.RULE,
    undefined_var.RULE,
    multiple_instructions.RULE,
    legacy_key_value.RULE,
    platform_flag.REDUNDANT,
    secrets_in_arg_env.RULE,
    platform_flag.CONSTANT,
    expose_format.PROTO_CASING,
    expose_format.INVALID_FORMAT,
    copy_ignored_file.RULE,
    definition_description.RULE,
)
RULES_BY_ID = {rule.id: rule for rule in RULES}
_IGNORE_COMMENT = re.compile(r"#\s*dockerfile-stages:\s*ignore=([A-Za-z0-9_,\s-]+)")

__all__ = [
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
    "reads_ignore_file",
    "rule_named",
    "rule_names",
    "run_rules",
]


def _matches(rule: Rule, names: Iterable[str]) -> bool:
    aliases = {rule.id.lower(), rule.name.lower()} | {peer.split()[-1].lower() for peer in rule.peers if " " in peer}
    return any(name.lower() in aliases or name.lower() == "all" for name in names)


def rule_named(name: str) -> Rule | None:
    """The rule with this id, name, or BuildKit/hadolint check name (case-insensitive)."""
    return next((rule for rule in RULES if _matches(rule, [name]) and name.lower() != "all"), None)


def rule_names() -> list[str]:
    """Every name ``--select``, ``--ignore``, ``--explain`` and ``# check=skip=`` accept."""
    names = ["all"]
    for rule in RULES:
        names += [rule.id, rule.name] + [peer.split()[-1] for peer in rule.peers if " " in peer]
    return list(dict.fromkeys(names))


def is_selected(rule: Rule, select: Iterable[str], ignore: Iterable[str]) -> bool:
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
    rule = RULES_BY_ID[ids.COPY_IGNORED_FILE]
    return _active(rule, list(select), [], check_directive(document).experimental)


def _explicitly(rule: Rule, names: Iterable[str]) -> bool:
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
        if isinstance(node, Trivia) and node.kind == "comment":
            match = _IGNORE_COMMENT.search(document.line(line))
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


def _active(rule: Rule, select: list[str], ignore: list[str], experimental: tuple[str, ...]) -> bool:
    if select and not _matches(rule, select):
        return False
    if rule.experimental and not (_explicitly(rule, select) or _matches(rule, experimental)):
        return False
    return not (ignore and _matches(rule, ignore) and rule.id != ids.PARSE_ERROR)


@lru_cache(maxsize=32)
def _active_rules(select: tuple[str, ...], ignore: tuple[str, ...], experimental: tuple[str, ...]) -> tuple[Rule, ...]:
    """The rules that run (``check`` asks the same for every file: 0.03 ms a file)."""
    return tuple(rule for rule in RULES if _active(rule, list(select), list(ignore), experimental))


@lru_cache(maxsize=4)
def _image_names(images: tuple[str, ...]) -> frozenset[str]:
    """The names of ``name:tag`` images: ``check`` passes the same snapshot for every file."""
    return frozenset(image.split(":")[0] for image in images)


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
    """
    known = _image_names(tuple(images))
    context = Context(document, model, targets, ignore_patterns, known, variables=variables)
    directive = check_directive(document)
    select, ignore = list(select), list(ignore) + list(directive.skip)
    cache = cache if cache is not None else RuleCache()
    active = list(_active_rules(tuple(select), tuple(ignore), directive.experimental))
    ignored_lines = _ignored_lines(document, cache.suppressions)
    findings: list[Finding] = []
    for rule, finding in cache.run(context, active):
        names = ignored_lines.get(finding.span.start.line) if ignored_lines else None
        if names and _matches(rule, names):
            continue
        if directive.error and is_buildkit_check(rule):
            finding = replace(finding, severity=Severity.ERROR)
        findings.append(finding)
    findings.sort(key=lambda f: (f.span.start.line, f.span.start.col, f.rule))
    return findings
