"""FROM --platform checks: DS208 (BuildKit RedundantTargetPlatform) and DS210
(BuildKit FromPlatformFlagConstDisallowed).

Scope: one instruction (the FROM line, with its stage name).
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Edit, Finding, Fix, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import lazy_pattern
from dockerfile_stages.syntax.nodes import Pos, Span

_TARGET_PLATFORM = lazy_pattern(r"^\$(TARGETPLATFORM|\{TARGETPLATFORM\})$")


def _flag_removal(context: Context, span: Span) -> Fix:
    """Remove ``--platform=...`` and the blank after it."""
    line = context.document.line(span.end.line)
    end = span.end.col
    while end < len(line) and line[end] in " \t":
        end += 1
    return Fix("Remove --platform", (Edit(Span(span.start, Pos(span.end.line, end)), ""),), preferred=True)


def check_redundant(context: Context) -> Iterator[Finding]:
    for stage in context.model.stages:
        if stage.platform is None or not _TARGET_PLATFORM.match(stage.platform) or stage.platform_span is None:
            continue
        _, node = context.document.node_at(stage.start_line)
        flag_span = next((flag.span for flag in getattr(node, "flags", ()) if flag.name.lower() == "platform"), None)
        fixes = (_flag_removal(context, flag_span.shifted(stage.start_line)),) if flag_span else ()
        yield REDUNDANT.finding(
            f"--platform={stage.platform} is the default: every stage builds for the target platform already.",
            stage.platform_span,
            fixes,
        )


def _named_for_platform(stage_name: str | None, platform: str) -> bool:
    """BuildKit allows a constant platform on a stage whose name says which (``build-arm64``)."""
    if not stage_name:
        return False
    parts = [part for part in platform.lower().split("/") if part]
    return any(part in stage_name.lower() for part in parts[:2])


def check_constant(context: Context) -> Iterator[Finding]:
    for stage in context.model.stages:
        if stage.platform is None or "$" in stage.platform or stage.platform_span is None:
            continue
        if _named_for_platform(stage.name, stage.platform):
            continue
        yield CONSTANT.finding(
            f"FROM --platform={stage.platform} pins the stage to one platform, so a multi-platform build "
            "gives a wrong image. Use $BUILDPLATFORM or $TARGETPLATFORM, or name the stage for the platform.",
            stage.platform_span,
        )


REDUNDANT = Rule(
    id=ids.REDUNDANT_TARGET_PLATFORM,
    name="redundant-target-platform",
    severity=Severity.INFO,
    summary="`FROM --platform=$TARGETPLATFORM`, which is the default.",
    what="Flags a FROM whose --platform is `$TARGETPLATFORM`; the fix removes the flag.",
    why="Stages build for the target platform unless told otherwise; the flag adds noise and suggests "
    "it does something.",
    example="FROM --platform=$TARGETPLATFORM alpine   # DS208",
    use_instead="FROM alpine",
    check=check_redundant,
    scope=Scope.GRAPH,
    peers=("BuildKit RedundantTargetPlatform",),
    fixable=True,
    certain_fix=True,
)
CONSTANT = Rule(
    id=ids.FROM_PLATFORM_FLAG_CONST_DISALLOWED,
    name="from-platform-flag-const-disallowed",
    severity=Severity.WARNING,
    summary="`FROM --platform=` with a constant such as `linux/amd64`.",
    what="Flags a FROM --platform value without variables, unless the stage name contains the platform's "
    "OS or architecture (as BuildKit allows).",
    why="A constant platform makes `docker build --platform` silently build that stage for another "
    "platform than the one asked for.",
    example="FROM --platform=linux/amd64 alpine AS build   # DS210",
    use_instead="FROM --platform=$BUILDPLATFORM alpine AS build\n"
    "# or, for a stage that is meant for one platform:\nFROM --platform=linux/amd64 alpine AS build-amd64",
    check=check_constant,
    scope=Scope.GRAPH,
    peers=("BuildKit FromPlatformFlagConstDisallowed", "hadolint DL3029"),
)
