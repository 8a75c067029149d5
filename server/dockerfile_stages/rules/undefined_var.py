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


_FEW_STAGES = 8  # past this many stages to work out in one run, binding every use of the file is cheaper


class _Lazy:
    """The document's ``Variables``, built the first time a stage's findings are not known, and the
    uses of a stage: read instruction by instruction for the few stages an edit touched, or taken
    from one sweep over the whole file when many stages are to be worked out (a first run)."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self._variables: Variables | None = None
        self._asked = 0
        self._by_stage: dict[int, list[Use]] | None = None

    def get(self) -> Variables:
        if self._variables is None:
            shared = self.context.variables
            self._variables = shared() if shared else Variables(self.context.document, self.context.model)
        return self._variables

    def uses(self, stage: Stage) -> list[Use]:
        self._asked += 1
        variables = self.get()
        if self._by_stage is None and self._asked > _FEW_STAGES:
            self._by_stage = {}
            for use in variables.uses:
                if use.stage is not None:
                    self._by_stage.setdefault(use.stage, []).append(use)
        if self._by_stage is not None:
            return self._by_stage.get(stage.index, [])
        return [use for line, _ in self.context.instructions_of(stage) for use in variables.uses_in(line)]


def _may_expand(node: Instruction) -> bool:
    """Whether BuildKit may substitute a variable in the instruction: without a ``$`` (in its line or
    its heredocs) it uses none, so most stages need no variable scopes at all."""
    return node.cmd not in _NOT_EXPANDED_HERE and (
        "$" in node.original or any("$" in heredoc.content for heredoc in node.heredocs)
    )


def _stage_findings(lazy: _Lazy, stage: Stage) -> list[Finding]:
    if not any(_may_expand(node) for _, node in lazy.context.instructions_of(stage)):
        return []
    variables = lazy.get()
    found = []
    for use in lazy.uses(stage):
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
