from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity


def check(context: Context) -> Iterator[Finding]:
    for stage in context.model.stages:
        image = stage.image
        if image is None or stage.base_span is None or image.digest:
            continue
        if image.tag is None:
            yield RULE.finding(
                f"'{stage.base}' has no tag, so it means ':latest' and changes under you. Pin a version tag.",
                stage.base_span,
            )
        elif image.tag == "latest":
            yield RULE.finding(
                f"'{stage.base}' uses ':latest', which changes under you. Pin a version tag.", stage.base_span
            )


RULE = Rule(
    id=ids.UNPINNED_BASE_IMAGE,
    name="unpinned-base-image",
    severity=Severity.INFO,
    summary="A base image without a tag, or with `:latest`.",
    what="Flags FROM images (after ARG expansion) with no tag or the `latest` tag and no digest.",
    why="Builds stop being reproducible: the same Dockerfile gives different images over time.",
    example="FROM alpine   # DS116\nFROM node:latest   # DS116",
    use_instead="FROM alpine:3.19\nFROM node:22.11",
    check=check,
    scope=Scope.GRAPH,
    peers=("hadolint DL3006", "hadolint DL3007"),
)
