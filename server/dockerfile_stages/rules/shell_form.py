"""DS009 (SHELL not in JSON form) and DS012 (a JSON form that is not valid JSON).

Scope: one instruction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Edit, Finding, Fix, NodeContext, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import lazy_pattern
from dockerfile_stages.syntax.nodes import Instruction, Span, logical_span

_JSON_COMMANDS = ("ADD", "CMD", "COPY", "ENTRYPOINT", "RUN", "SHELL", "VOLUME")
_PLAIN_WORD = lazy_pattern(r"[A-Za-z0-9_./:@%+,=-]+")
_SINGLE_QUOTED = lazy_pattern(r"\[\s*'[^'\"\\]*'(\s*,\s*'[^'\"\\]*')*\s*\]")


def _args_span(line: int, node: Instruction) -> Span:
    return logical_span(node.segments, node.args_start, node.args_start + len(node.args)).shifted(line)


def _replace_args(line: int, node: Instruction, title: str, text: str) -> tuple[Fix, ...]:
    if node.line_count != 1:
        return ()
    return (Fix(title, (Edit(_args_span(line, node), text),), preferred=True),)


def check_shell_json(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if node.cmd != "SHELL" or node.json or not node.args or node.args.startswith("["):
        return
    words = node.args.split()
    fixes = (
        _replace_args(line, node, "Write it as JSON", json.dumps(words))
        if all(_PLAIN_WORD.fullmatch(word) for word in words)
        else ()
    )
    yield SHELL_JSON.finding(
        f'SHELL must be a JSON array, e.g. SHELL {json.dumps(words)}: BuildKit refuses "{node.args}".',
        _args_span(line, node),
        fixes,
    )


_QUOTED_ITEM_THEN_COMMA = lazy_pattern(r"[\"']\s*,")
_OPENS_QUOTED_ITEM = lazy_pattern(r"\[\s*[\"']")


def _json_looking(node: Instruction) -> bool:
    """Brackets around quoted, comma-separated items; not the shell's ``[ "$a" = b ]`` test."""
    if node.cmd not in _JSON_COMMANDS or node.json or "[" not in node.args:
        return False
    args = node.args.strip()
    if not _OPENS_QUOTED_ITEM.match(args):
        return False
    return bool(_SINGLE_QUOTED.fullmatch(args) or _QUOTED_ITEM_THEN_COMMA.search(args))


def check_invalid_json(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if not _json_looking(node) or node.errors:
        return
    args = node.args.strip()
    fixes: tuple[Fix, ...] = ()
    if _SINGLE_QUOTED.fullmatch(args):
        items = re.findall(r"'([^']*)'", args)
        fixes = _replace_args(line, node, "Use double quotes", json.dumps(items))
        reason = "JSON strings need double quotes"
    else:
        reason = "it is not valid JSON"
    where = "a shell command" if node.cmd in ("CMD", "ENTRYPOINT", "RUN", "HEALTHCHECK") else "plain words"
    yield INVALID_JSON.finding(
        f"This {node.cmd} looks like the JSON (exec) form, but {reason}: BuildKit reads it as {where}.",
        _args_span(line, node),
        fixes,
    )


SHELL_JSON = Rule(
    id=ids.SHELL_NOT_JSON,
    name="shell-not-json",
    severity=Severity.ERROR,
    summary="SHELL written as a command line instead of a JSON array.",
    what="Flags SHELL whose arguments are not a JSON array; the fix writes the words as one when they need no quoting.",
    why='BuildKit stops with "SHELL requires the arguments to be in JSON form".',
    example="FROM alpine\nSHELL /bin/ash -eo pipefail -c   # DS009",
    use_instead='FROM alpine\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]',
    check_node=check_shell_json,
    scope=Scope.INSTRUCTION,
    cmds=("SHELL",),
    peers=("BuildKit",),
    fixable=True,
    certain_fix=True,
)
INVALID_JSON = Rule(
    id=ids.INVALID_JSON_FORM,
    name="invalid-json-form",
    severity=Severity.WARNING,
    summary="An exec form in brackets that is not valid JSON (single quotes, a trailing comma).",
    what="Flags arguments of CMD, ENTRYPOINT, RUN, SHELL, COPY, ADD and VOLUME written in `[...]` that do "
    "not parse as a JSON array of strings; the fix turns single quotes into double quotes.",
    why="BuildKit silently falls back to the shell form: `CMD ['run']` runs `/bin/sh -c \"['run']\"`, "
    "which fails at run time with a confusing error.",
    example="FROM alpine\nCMD ['echo', 'hello']   # DS012",
    use_instead='FROM alpine\nCMD ["echo", "hello"]',
    check_node=check_invalid_json,
    scope=Scope.INSTRUCTION,
    cmds=_JSON_COMMANDS,
    peers=("hadolint DL3025",),
    fixable=True,
    certain_fix=True,
)
