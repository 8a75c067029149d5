from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.model.toolchains import toolchain_of
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Severity
from dockerfile_stages.rules.helpers import stage_text


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    if not model.stages:
        return
    final = model.stages[-1]
    stage = final
    while stage.base_stage is not None:  # FROM <stage>: the image underneath decides
        stage = model.stages[stage.base_stage]
    toolchain = toolchain_of(stage.image, stage_text(context.document, model, final))
    if toolchain is None:
        return
    yield RULE.finding(
        f"The final image is built on {stage.image.display if stage.image else stage.base}, so {toolchain} ships "
        "to production. Build in a separate stage and copy only the result into a small runtime image.",
        final.base_span or final.keyword_span,
    )


RULE = Rule(
    id=ids.TOOLCHAIN_IN_FINAL_STAGE,
    name="toolchain-in-final-stage",
    severity=Severity.WARNING,
    summary="The final stage is based on a compiler or SDK image.",
    what="Recognises toolchain images (golang, rust, maven, gradle, JDKs, gcc, the .NET SDK, node "
    "without a slim/alpine variant and with build steps) as the base of the final stage.",
    why="The compiler, package caches and build tools ship with the application: hundreds of MB more "
    "to pull, and more attack surface. A builder stage plus a runtime stage avoids both.",
    example='FROM golang:1.21   # DS111\nCOPY . .\nRUN go build -o /app\nCMD ["/app"]',
    check=check,
)
