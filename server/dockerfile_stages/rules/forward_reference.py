from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.model.stages import RefKind
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    for ref in model.refs:
        if ref.target is None or ref.target <= ref.stage or ref.kind is RefKind.ONBUILD:
            continue
        target = model.stages[ref.target]
        yield RULE.finding(
            f"Stage '{ref.text}' is defined later (line {target.start_line + 1}); the build fails. "
            f"Move that stage above this one.",
            ref.span,
            related=((target.name_span or target.keyword_span, "defined here"),),
        )


RULE = Rule(
    id=ids.FORWARD_REFERENCE,
    name="forward-reference",
    severity=Severity.ERROR,
    summary="A stage is used before it is defined.",
    what="Flags references (`COPY --from`, `RUN --mount from`, `FROM`) to a stage that comes later in the file.",
    why="BuildKit only resolves stages defined above; the build fails with an unhelpful message "
    "(moby/buildkit#4155). Moving the stage up fixes it.",
    example="FROM alpine\nCOPY --from=build /app /app   # DS102\nFROM golang AS build",
    use_instead="FROM golang AS build\nFROM alpine\nCOPY --from=build /app /app",
    check=check,
    scope=Scope.GRAPH,
)
