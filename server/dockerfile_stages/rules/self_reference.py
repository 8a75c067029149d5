from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.model.stages import RefKind
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity


def check(context: Context) -> Iterator[Finding]:
    for ref in context.model.refs:
        if ref.target is not None and ref.target == ref.stage and ref.kind is not RefKind.ONBUILD:
            yield RULE.finding(
                f"'{ref.text}' is the stage this instruction is in: a stage cannot copy from itself.",
                ref.span,
            )


RULE = Rule(
    id=ids.SELF_REFERENCE,
    name="self-reference",
    severity=Severity.ERROR,
    summary="`--from` names the stage it is in.",
    what="Flags `COPY --from=` or `RUN --mount=from=` naming the enclosing stage.",
    why="A stage cannot read its own result while it is being built; BuildKit fails the build.",
    example="FROM alpine AS app\nCOPY --from=app /etc/hosts /tmp/   # DS101",
    use_instead="FROM alpine AS base\nFROM alpine AS app\nCOPY --from=base /etc/hosts /tmp/",
    check=check,
    scope=Scope.GRAPH,
    peers=("hadolint DL3023",),
)
