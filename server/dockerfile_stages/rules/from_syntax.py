from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity


def check(context: Context) -> Iterator[Finding]:
    for stage in context.model.stages:
        if stage.base_span is None:
            yield RULE.finding("FROM needs an image (or an earlier stage) to build on.", stage.keyword_span)
        elif stage.extra_span is not None:
            yield RULE.finding(
                "FROM takes an image and optionally 'AS name'; BuildKit rejects the extra words.", stage.extra_span
            )


RULE = Rule(
    id=ids.FROM_SYNTAX,
    name="from-syntax",
    severity=Severity.ERROR,
    summary="A FROM line without an image, or with extra words.",
    what="Checks that FROM has the form `FROM [--platform=...] image [AS name]`.",
    why='BuildKit rejects anything else ("FROM requires either one or three arguments").',
    example="FROM\nFROM alpine AS a b",
    use_instead="FROM alpine AS a",
    check=check,
    scope=Scope.GRAPH,
)
