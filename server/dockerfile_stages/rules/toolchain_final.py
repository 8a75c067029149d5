from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from dockerfile_stages.model.stages import Stage, StageModel
from dockerfile_stages.model.toolchains import toolchain_of
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import lazy_pattern

# A final stage named like this is an environment on purpose (``--target dev``), not an application image.
_ENVIRONMENT_WORDS = frozenset(
    {"dev", "devel", "develop", "development", "lint", "linter", "test", "tests", "testing", "debug"}
    | {"vendor", "tools", "tool", "ci", "outdated", "updates", "env", "shell", "builder"}
)
# The stage sets the version of the toolchain it installs: it is the toolchain image (as docker-library's).
_TOOLCHAIN_VERSION = lazy_pattern(r"^(GOLANG|GO|PYTHON|NODE|JAVA|JDK|RUST|DOTNET|MAVEN|GRADLE)_VERSION$")


def _chain(model: StageModel, stage: Stage) -> list[Stage]:
    chain = [stage]
    while chain[-1].base_stage is not None and len(chain) <= len(model.stages):
        chain.append(model.stages[chain[-1].base_stage])
    return chain


def _stage_text(context: Context, stage: Stage) -> str:
    """All of a stage's instructions as one lower-cased string, for keyword searches."""
    return "\n".join(node.original for _, node in context.instructions_of(stage)).lower()


def _ships_an_application(context: Context, chain: list[Stage]) -> bool:
    """An image made to run something built from the context, not a build or development environment."""
    if any(stage.name and _ENVIRONMENT_WORDS & set(re.split(r"[-_.]", stage.name.lower())) for stage in chain):
        return False
    copies_context = False
    for stage in chain:
        for _, node in context.instructions_of(stage):
            if node.cmd == "ONBUILD":
                return False
            if node.cmd == "ENV" and any(_TOOLCHAIN_VERSION.match(name) for name in node.value[0::3]):
                return False
            if node.cmd in ("COPY", "ADD") and node.flag("from") is None and not node.heredocs:
                copies_context = True
    return copies_context


def _findings(context: Context, chain: list[Stage]) -> list[Finding]:
    final = chain[0]
    stage = chain[-1]  # FROM <stage>: the image underneath decides
    # Only Node's image needs the build commands (npm, yarn: a build, or only a runtime?): the others'
    # toolchain is the image's, and joining the final stage's lines was most of a small file's cost here.
    needs_commands = stage.image is not None and stage.image.repository == "library/node"
    toolchain = toolchain_of(stage.image, _stage_text(context, final) if needs_commands else "")
    if toolchain is None or not _ships_an_application(context, chain):
        return []
    return [
        RULE.finding(
            f"The final image is built on {stage.image.display if stage.image else stage.base}, so {toolchain} "
            "ships to production. Build in a separate stage and copy only the result into a small runtime image.",
            final.base_span or final.keyword_span,
        )
    ]


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    if not model.stages:
        return
    chain = _chain(model, model.stages[-1])
    yield from context.stage_memo(ids.TOOLCHAIN_IN_FINAL_STAGE, chain, partial(_findings, context, chain))


RULE = Rule(
    id=ids.TOOLCHAIN_IN_FINAL_STAGE,
    name="toolchain-in-final-stage",
    severity=Severity.WARNING,
    summary="The final stage is based on a compiler or SDK image.",
    what="Recognises toolchain images (golang, rust, maven, gradle, JDKs, gcc, the .NET SDK, node "
    "without a slim/alpine variant and with build steps) as the base of a final stage that copies files "
    "from the build context. Stays quiet where the toolchain is the point: a final stage named for an "
    "environment (`dev`, `lint`, `test`, `tools`, ...), one with ONBUILD triggers, or one that installs the "
    "toolchain itself (sets `GOLANG_VERSION`, `PYTHON_VERSION`, ...).",
    why="The compiler, package caches and build tools ship with the application: hundreds of MB more "
    "to pull, and more attack surface. A builder stage plus a runtime stage avoids both.",
    example='FROM golang:1.21   # DS111\nCOPY . .\nRUN go build -o /app\nCMD ["/app"]',
    use_instead="FROM golang:1.21 AS build\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app\n"
    'FROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD ["/app"]',
    check=check,
    scope=Scope.STAGE,
)
