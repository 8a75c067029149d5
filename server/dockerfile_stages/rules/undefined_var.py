"""DS205 (BuildKit UndefinedVar): a variable BuildKit expands that nothing defines.

Scope: one stage (the ARGs and ENVs in scope there, with the stages it is built on).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from itertools import chain

from dockerfile_stages.model.stages import Stage
from dockerfile_stages.model.variables import Use, UseContext, Variables
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import close_names, keyword_fix
from dockerfile_stages.syntax.nodes import Instruction

# BuildKit does not substitute variables in these (SHELL's words go to the shell); FROM lines are DS114's.
_NOT_EXPANDED_HERE = ("FROM", "SHELL", "ONBUILD")
# With a default or an alternative (${A:-x}, ${A+x}, ${A:?msg}) an unset variable is expected.
_GUARDED = (":-", "-", ":+", "+", ":?", "?")
RULE_ID = ids.UNDEFINED_VAR


def _suggestion(variables: Variables, use: Use) -> str | None:
    visible = [definition.name for definition in variables.scope_at(use.line).visible()]
    found = close_names(use.name, visible, limit=1)
    return found[0] if found else None


def _reported(variables: Variables, use: Use, suggestion: str | None) -> bool:
    """In a stage built on an image, the image's own ENV (PATH, HOME, APP_UID...) is not known here: only a
    near miss of a defined name, or a lower-case name (image ENVs are upper or camel case), is a finding."""
    if use.stage is None or not variables.image_based(use.stage):
        return True
    return suggestion is not None or use.name.islower()


def _undefined(variables: Variables, use: Use) -> Finding | None:
    if use.binding is not None or use.context is not UseContext.BUILD or use.stage is None:
        return None
    if use.cmd in _NOT_EXPANDED_HERE or use.modifier in _GUARDED:
        return None
    suggestion = _suggestion(variables, use)
    if not _reported(variables, use, suggestion):
        return None
    hint = f" Did you mean ${suggestion}?" if suggestion else ""
    return RULE.finding(
        f"${use.name} is not defined here (no ARG or ENV before this line in the stage): BuildKit "
        f"replaces it with an empty string.{hint}",
        use.span,
        (keyword_fix(f"Change to ${suggestion}", use.span, suggestion),) if suggestion else (),
    )


class _Lazy:
    """The document's ``Variables``, built the first time a stage has an instruction where BuildKit
    may substitute a variable (most stages have none)."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self._variables: Variables | None = None

    def get(self) -> Variables:
        if self._variables is None:
            shared = self.context.variables
            self._variables = shared() if shared else Variables(self.context.document, self.context.model)
        return self._variables


# Where BuildKit reads the words itself, a ``$`` in the line or a heredoc is enough to look closer.
# RUN's words and heredocs go to the shell, CMD's, ENTRYPOINT's and HEALTHCHECK's to the container:
# only RUN's flag values (``--mount=...,target=$DIR``) and the heredocs BuildKit expands in CMD,
# ENTRYPOINT and HEALTHCHECK are BuildKit's there.
_SHELL_OR_RUNTIME = frozenset({"RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"})


def _may_expand(node: Instruction) -> bool:
    """Whether BuildKit itself may substitute a variable in the instruction (the uses this rule
    reports): most instructions have no ``$`` at all, and those of a RUN are the shell's."""
    cmd = node.cmd
    if cmd in _NOT_EXPANDED_HERE:
        return False
    if cmd in _SHELL_OR_RUNTIME:
        if cmd == "RUN":
            return any(flag.value is not None and "$" in flag.value for flag in node.flags)
        return any(heredoc.expand and "$" in heredoc.content for heredoc in node.heredocs)
    return "$" in node.original or any("$" in heredoc.content for heredoc in node.heredocs)


def _stage_findings(lazy: _Lazy, stage: Stage) -> list[Finding]:
    expanded = [(line, node) for line, node in lazy.context.instructions_of(stage) if _may_expand(node)]
    if not expanded:
        return []
    variables = lazy.get()
    found = []
    for use in variables.uses_of(expanded):
        finding = _undefined(variables, use)
        if finding is not None:
            found.append(finding)
    return found


def check(context: Context) -> Iterator[Finding]:
    # A stage's findings depend on its lines, those of the stages it is built on and the global ARGs.
    return iter(context.stage_memo(RULE_ID, None, partial(_findings, context)))


def _findings(context: Context) -> list[Finding]:
    found = context.stage_values(RULE_ID, partial(_stage_findings, _Lazy(context)), with_bases=True)
    return list(chain.from_iterable(found))


RULE = Rule(
    id=ids.UNDEFINED_VAR,
    name="undefined-var",
    severity=Severity.WARNING,
    summary="A variable used in COPY, ENV, WORKDIR, ... that no ARG or ENV defines.",
    what="Follows ARG and ENV scoping as BuildKit does (global ARGs are visible in a stage only once "
    "redeclared; a stage built on another inherits its variables) and flags variables that BuildKit "
    "itself substitutes (ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR, flag values) "
    "when nothing defines them. In a stage built on an image, whose ENV is not known here, only a near "
    "miss of a defined name or a lower-case name is reported. Offers the close name as a fix.",
    why="An undefined variable silently becomes an empty string: `COPY $SRC /app` copies the whole "
    "context, `WORKDIR /opt/$APP` lands in /opt.",
    example="FROM alpine\nARG VERSION=1.0\nCOPY app-$VERSON.tar /   # DS205: did you mean $VERSION?",
    use_instead="FROM alpine\nARG VERSION=1.0\nCOPY app-$VERSION.tar /",
    check=check,
    scope=Scope.STAGE,
    peers=("BuildKit UndefinedVar",),
    fixable=True,
)
