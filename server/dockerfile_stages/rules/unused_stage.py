from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    if len(model.stages) < 2:
        return
    needed = model.needed_for(len(model.stages) - 1)
    for target in context.targets:
        stage = model.stage_named(target)
        if stage is not None:
            needed |= model.needed_for(stage.index)
    for stage in model.stages:
        if stage.index in needed:
            continue
        yield RULE.finding(
            f"Stage '{stage.label}' is not needed to build the final stage"
            + (" or any --target used in this workspace" if context.targets else "")
            + "; BuildKit skips it. Remove it or build it with --target.",
            stage.name_span or stage.keyword_span,
            unnecessary=True,
        )


RULE = Rule(
    id=ids.UNUSED_STAGE,
    name="unused-stage",
    severity=Severity.HINT,
    summary="A stage that no build of the final stage (or of a known --target) needs.",
    what="Follows the stage graph back from the final stage and from every `--target` named in the "
    "workspace's Compose or Bake files; stages outside it are greyed out.",
    why="BuildKit skips such stages, so their instructions never run: often a leftover or a "
    "reference that was lost in an edit.",
    example="FROM golang AS tools\nRUN go install example.com/lint@latest   # DS110 (nothing copies from tools)\n"
    "FROM alpine",
    use_instead="FROM golang AS tools\nRUN go install example.com/lint@latest\n"
    "FROM alpine\nCOPY --from=tools /go/bin/lint /usr/local/bin/",
    check=check,
    scope=Scope.GRAPH,
)
