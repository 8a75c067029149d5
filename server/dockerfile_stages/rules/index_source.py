"""The text of ``rules/index.py``, made from the rules themselves (``python -m
dockerfile_stages.cli.rule_index`` writes it; ``--check``: exit 1, writing nothing, when the index on
disk is not what this makes).

A new rule goes into ``SOURCES`` (the order of ``RULES``, which is the order rules run and are
listed in); its ``needs`` come from its ``cmds`` when it is an INSTRUCTION rule that looks at
nothing else, and from ``NEEDS`` for the other scopes (none: it runs on every document). A need must
be necessary: the rule finds nothing in a document without one of them (``tests/rules/
test_rule_index.py`` checks it on every test and corpus file). Pure: the writing is in ``cli/``.
"""

from __future__ import annotations

import json
from importlib import import_module

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Rule, Scope, has_file_check
from dockerfile_stages.rules.registry import PACKAGE, VARIABLE, RuleEntry

SOURCES = (
    "parse_error.RULE",
    "unknown_instruction.RULE",
    "flags.UNKNOWN",
    "flags.VALUE",
    "arguments.RULE",
    "stage_order.BEFORE_FROM",
    "stage_order.NO_FROM",
    "expose_format.SYNTAX",
    "shell_form.SHELL_JSON",
    "onbuild_trigger.RULE",
    "stop_signal.RULE",
    "shell_form.INVALID_JSON",
    "healthcheck.RULE",
    "unknown_stage.RULE",
    "self_reference.RULE",
    "forward_reference.RULE",
    "stage_cycle.RULE",
    "stage_names.DUPLICATE",
    "stage_names.RESERVED",
    "stage_names.INVALID",
    "stage_names.CASING",
    "stage_names.AS_CASING",
    "numeric_reference.RULE",
    "unused_stage.RULE",
    "toolchain_final.RULE",
    "cgo_static.RULE",
    "copy_whole_stage.RULE",
    "from_args.UNDEFINED",
    "from_args.INVALID_DEFAULT",
    "image_tag.RULE",
    "from_syntax.RULE",
    "build_targets.UNKNOWN_TARGET",
    "build_targets.MISSING_PATH",
    "no_empty_continuation.RULE",
    "instruction_casing.RULE",
    "json_args.RULE",
    "maintainer_deprecated.RULE",
    "workdir_relative.RULE",
    "undefined_var.RULE",
    "multiple_instructions.RULE",
    "legacy_key_value.RULE",
    "platform_flag.REDUNDANT",
    "secrets_in_arg_env.RULE",
    "platform_flag.CONSTANT",
    "expose_format.PROTO_CASING",
    "expose_format.INVALID_FORMAT",
    "copy_ignored_file.RULE",
    "definition_description.RULE",
)

# What the rules of other scopes (or with a file-wide ``check``) cannot find anything without, each
# read off the rule's code: the instructions it reports on, the flag its stage references come from,
# the ``$`` its variables need.
NEEDS: dict[str, tuple[str, ...]] = {
    ids.JSON_ARGS_RECOMMENDED: ("CMD", "ENTRYPOINT"),  # shell-form CMD/ENTRYPOINT of a stage
    ids.WORKDIR_RELATIVE_PATH: ("WORKDIR",),
    ids.MULTIPLE_INSTRUCTIONS_DISALLOWED: ("CMD", "ENTRYPOINT", "HEALTHCHECK"),
    ids.UNDEFINED_VAR: (VARIABLE,),  # a stage without a ``$`` is skipped (``_may_expand``)
    ids.UNDEFINED_ARG_IN_FROM: (VARIABLE,),  # variables of a FROM image or --platform
    ids.INVALID_DEFAULT_ARG_IN_FROM: (VARIABLE,),  # a FROM image with a ``$``
    ids.REDUNDANT_TARGET_PLATFORM: ("--platform",),  # a stage's platform is its FROM --platform
    ids.FROM_PLATFORM_FLAG_CONST_DISALLOWED: ("--platform",),
    ids.COPY_WHOLE_STAGE: ("--from",),  # COPY-kind stage references come from --from
    ids.CGO_BINARY_IN_STATIC_IMAGE: ("--from",),  # a COPY --from of the final stage
}


def rule_at(source: str) -> Rule:
    module, attribute = source.split(".")
    rule = getattr(import_module(f"{PACKAGE}.{module}"), attribute)
    assert isinstance(rule, Rule), source
    return rule


def needs_of(rule: Rule) -> tuple[str, ...]:
    if rule.scope is Scope.INSTRUCTION and rule.cmds and not has_file_check(rule):
        return tuple(sorted(rule.cmds))  # the dispatch calls ``check_node`` on these keywords only
    return NEEDS.get(rule.id, ())


def entries() -> list[RuleEntry]:
    found = []
    for source in SOURCES:
        rule = rule_at(source)
        module, attribute = source.split(".")
        found.append(
            RuleEntry(
                id=rule.id,
                name=rule.name,
                module=module,
                attribute=attribute,
                scope=rule.scope.value,
                needs=needs_of(rule),
                peers=rule.peers,
                experimental=rule.experimental,
            )
        )
    return found


def _literal(value: object) -> str:
    """Python source for a str, bool or tuple of str, double-quoted as the formatter writes it."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, tuple):
        items = [_literal(item) for item in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    return repr(value)


def index_source() -> str:
    """The text of ``rules/index.py`` (then formatted with ``ruff format`` where ruff is installed)."""
    lines = [
        '"""Every rule, for choosing and loading rules without importing them (see ``rules/registry.py``).',
        "",
        "Generated by ``python -m dockerfile_stages.cli.rule_index`` from the rules themselves: do not edit.",
        '"""',
        "",
        "from dockerfile_stages.rules.registry import RuleEntry as E",
        "",
        "ENTRIES: tuple[E, ...] = (",
    ]
    for entry in entries():
        fields = [_literal(getattr(entry, name)) for name in ("id", "name", "module", "attribute", "scope")]
        fields += [f"{name}={_literal(getattr(entry, name))}" for name in ("needs", "peers") if getattr(entry, name)]
        fields += ["experimental=True"] if entry.experimental else []
        lines.append(f"    E({', '.join(fields)}),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def up_to_date() -> bool:
    """Whether ``rules/index.py`` lists what the rules say (compared as records: formatting aside)."""
    from dockerfile_stages.rules.index import ENTRIES

    return list(ENTRIES) == entries()
