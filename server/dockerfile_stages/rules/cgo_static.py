from __future__ import annotations

import re
from collections.abc import Iterator

from dockerfile_stages.model.stages import RefKind, Stage
from dockerfile_stages.model.toolchains import is_static_runtime
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Severity
from dockerfile_stages.rules.helpers import stage_text

_CGO_OFF = re.compile(r"cgo_enabled\s*=\s*[\"']?0")


def _go_build_stage(context: Context, stage: Stage) -> tuple[bool, bool]:
    """(builds Go, disables cgo) over the stage and the stages it is based on."""
    model = context.model
    builds, disabled = False, False
    current: Stage | None = stage
    while current is not None:
        text = stage_text(context.document, model, current)
        builds = builds or "go build" in text or "go install" in text
        disabled = disabled or bool(_CGO_OFF.search(text))
        current = model.stages[current.base_stage] if current.base_stage is not None else None
    return builds, disabled


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    if not model.stages:
        return
    final = model.stages[-1]
    if not is_static_runtime(final.expanded_base.text):
        return
    for ref in model.refs:
        if ref.stage != final.index or ref.target is None or ref.kind is not RefKind.COPY:
            continue
        builds, disabled = _go_build_stage(context, model.stages[ref.target])
        if builds and not disabled:
            yield RULE.finding(
                f"Stage '{ref.text}' builds Go without CGO_ENABLED=0, and {final.base} has no C library: "
                "the binary will fail to start ('no such file or directory'). Set ENV CGO_ENABLED=0 in "
                "the build stage.",
                ref.span,
            )


RULE = Rule(
    id=ids.CGO_BINARY_IN_STATIC_IMAGE,
    name="cgo-binary-in-static-image",
    severity=Severity.WARNING,
    summary="A Go binary built with cgo is copied into an image without libc.",
    what="Checks stages that run `go build`/`go install` and are copied into a `scratch` or static "
    "distroless final image for `CGO_ENABLED=0` (ENV, ARG or inline in the RUN).",
    why="With cgo on (the default where a C compiler exists, as in golang images) the binary links "
    "libc dynamically and cannot start in an image that has none.",
    example="FROM golang:1.21 AS build\nRUN go build -o /app\nFROM scratch\nCOPY --from=build /app /app   # DS112",
    check=check,
)
