"""DS202 (BuildKit JSONArgsRecommended): CMD or ENTRYPOINT in shell form.

Scope: one stage (a SHELL instruction in the stage, or in a stage it is built on, silences it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial

from dockerfile_stages.model.stages import Stage
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Edit, Finding, Fix, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import lazy_pattern, unexcused_findings
from dockerfile_stages.syntax.nodes import Instruction, Span, logical_span

# Words the shell would pass through unchanged: no quoting, expansion, globbing, redirection or operators.
_PLAIN_WORD = lazy_pattern(r"[A-Za-z0-9_./:@%+,=-]+")
RULE_ID = ids.JSON_ARGS_RECOMMENDED


def _exec_form(node: Instruction) -> str | None:
    """The JSON form of a shell-form command, when writing it so changes nothing but the shell."""
    words = node.args.split()
    if not words or node.line_count != 1 or "=" in words[0]:  # ``A=b cmd`` is a shell assignment
        return None
    if not all(_PLAIN_WORD.fullmatch(word) for word in words):
        return None
    return json.dumps(words)


def _fix(line: int, node: Instruction) -> tuple[Fix, ...]:
    exec_form = _exec_form(node)
    if exec_form is None:
        return ()
    span: Span = logical_span(node.segments, node.args_start, node.args_start + len(node.args)).shifted(line)
    return (Fix(f"Use the JSON form {exec_form}", (Edit(span, exec_form),), preferred=True),)


def _shell_forms(context: Context, stage: Stage) -> tuple[bool, list[tuple[Finding, bool]]]:
    """Whether the stage sets a SHELL, and its shell-form CMDs and ENTRYPOINTs (each with whether a
    SHELL of the stage comes before it)."""
    shell_set = False
    found = []
    for line, node in context.instructions_of(stage):
        shell_set = shell_set or node.cmd == "SHELL"
        if node.cmd not in ("CMD", "ENTRYPOINT") or node.json or not node.args:
            continue
        finding = RULE.finding(
            f"{node.cmd} in shell form runs under /bin/sh -c, which does not pass on signals: the "
            "container ignores SIGTERM and is killed after the timeout. Use the JSON form.",
            node.keyword_span.shifted(line),
            _fix(line, node),
        )
        found.append((finding, shell_set))
    return shell_set, found


def check(context: Context) -> Iterator[Finding]:
    return iter(context.stage_memo(RULE_ID, None, partial(_findings, context)))


def _findings(context: Context) -> list[Finding]:
    return unexcused_findings(context, RULE_ID, partial(_shell_forms, context))


RULE = Rule(
    id=ids.JSON_ARGS_RECOMMENDED,
    name="json-args-recommended",
    severity=Severity.WARNING,
    summary="CMD or ENTRYPOINT in shell form.",
    what="Flags CMD and ENTRYPOINT written as a command line rather than a JSON array, unless the stage "
    "(or a stage it is built on) sets a SHELL. The fix writes the JSON form when the command uses no shell "
    "feature (quotes, variables, globs, redirections, operators, assignments).",
    why="In shell form the process runs as a child of `/bin/sh -c`, which does not forward signals: "
    "`docker stop` waits for its timeout and then kills the container.",
    example="FROM alpine\nENTRYPOINT my-app --serve   # DS202",
    use_instead='FROM alpine\nENTRYPOINT ["my-app", "--serve"]',
    check=check,
    scope=Scope.STAGE,
    peers=("BuildKit JSONArgsRecommended", "hadolint DL3025"),
    fixable=True,
    certain_fix=True,
)
