"""ARG use in FROM lines: undeclared variables, and defaults that give no usable base."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerfile_stages.model.args import PLATFORM_ARGS
from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity

_NAMES = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def check_undefined(context: Context) -> Iterator[Finding]:
    model = context.model
    declared = {arg.name for arg in model.meta_args} | set(PLATFORM_ARGS)
    for stage in model.stages:
        for text, span in ((stage.base, stage.base_span), (stage.platform or "", stage.platform_span)):
            if span is None:
                continue
            for name in dict.fromkeys(_NAMES.findall(text)):  # one finding per name: they share the span
                if name not in declared:
                    yield UNDEFINED.finding(
                        f"${name} is not declared with ARG before the first FROM, so it expands to nothing here.",
                        span,
                    )


def check_invalid_default(context: Context) -> Iterator[Finding]:
    for stage in context.model.stages:
        if stage.base_span is None or "$" not in stage.base or stage.base_stage is not None:
            continue
        expansion = stage.expanded_base
        if expansion.unresolved:
            names = ", ".join(f"${name}" for name in expansion.unresolved)
            declared = {arg.name for arg in context.model.meta_args}
            if not set(expansion.unresolved) & declared:
                continue  # undeclared: DS114 says so
            yield INVALID_DEFAULT.finding(
                f"{names} has no default, so without --build-arg the base image '{stage.base}' is empty or "
                "incomplete. Give the ARG a default.",
                stage.base_span,
            )
        elif (
            expansion.text.lower() != "scratch"
            and parse_image_ref(expansion.text) is None
            and not any(other.key == expansion.text.lower() for other in context.model.stages)
        ):
            yield INVALID_DEFAULT.finding(
                f"With the ARG defaults, the base image is '{expansion.text}', which is not a valid image reference.",
                stage.base_span,
            )


UNDEFINED = Rule(
    id=ids.UNDEFINED_ARG_IN_FROM,
    name="undefined-arg-in-from",
    severity=Severity.WARNING,
    summary="A FROM line uses a variable no ARG before the first FROM declares.",
    what="Checks the variables in FROM images and `--platform` against the ARGs declared before the "
    "first FROM and BuildKit's automatic platform ARGs.",
    why="Only ARGs declared before the first FROM are visible there; anything else expands to an empty string.",
    example="FROM golang:${GO_VERSION}   # DS114: no ARG GO_VERSION above",
    use_instead="ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}",
    check=check_undefined,
    scope=Scope.GRAPH,
    peers=("BuildKit UndefinedArgInFrom",),
)
INVALID_DEFAULT = Rule(
    id=ids.INVALID_DEFAULT_ARG_IN_FROM,
    name="invalid-default-arg-in-from",
    severity=Severity.WARNING,
    summary="With the ARG defaults, a FROM line has no valid base image.",
    what="Expands FROM images with the defaults of the ARGs before the first FROM and checks the result.",
    why="A build without `--build-arg` then fails on an empty or malformed image name.",
    example="ARG TAG\nFROM alpine:${TAG}   # DS115: 'alpine:' without --build-arg TAG",
    use_instead="ARG TAG=3.19\nFROM alpine:${TAG}",
    check=check_invalid_default,
    scope=Scope.GRAPH,
    peers=("BuildKit InvalidDefaultArgInFrom",),
)
