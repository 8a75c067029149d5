from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.model.image import looks_like_image
from dockerfile_stages.model.stages import RefKind
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import close_names, did_you_mean


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    # Suggest each stage once, spelled in lower case where the file has that spelling.
    spelled: dict[str, str] = {}
    for stage in model.stages:
        if stage.name and stage.key and (stage.key not in spelled or stage.name == stage.key):
            spelled[stage.key] = stage.name
    names = list(spelled.values())
    for ref in model.refs:
        if ref.target is not None or ref.kind in (RefKind.FROM, RefKind.ONBUILD) or "$" in ref.text:
            continue  # ONBUILD resolves --from in the build that uses this image, not here
        if ref.text.isdigit():
            yield RULE.finding(
                f"There is no stage {ref.text}: this file defines stages 0 to {len(model.stages) - 1}.",
                ref.span,
                severity=Severity.ERROR,
            )
            continue
        if looks_like_image(ref.text) or ref.text.lower() in context.images:
            continue  # an image (`alpine` is one too), which BuildKit pulls
        suggestions = close_names(ref.text, names)
        fixes = did_you_mean(ref.span, suggestions)
        hint = (
            f" Did you mean '{suggestions[0]}'?"
            if suggestions
            else " Name a stage defined above, or use a full image reference."
        )
        yield RULE.finding(
            f"No stage is named '{ref.text}': BuildKit will try to pull an image called '{ref.text}'.{hint}",
            ref.span,
            fixes,
        )


RULE = Rule(
    id=ids.UNKNOWN_STAGE,
    name="unknown-stage",
    severity=Severity.WARNING,
    summary="`--from` names no stage of this file.",
    what="Flags `COPY --from=`, `ADD --from=` and `RUN --mount=...,from=` values that are neither a stage "
    "name, a stage index, nor something shaped like an image (with `/`, `:` or `@`). Offers the closest "
    "stage names as fixes.",
    why="BuildKit does not report a typo here: it treats the unknown name as an image and tries to pull "
    "it, which fails late with a confusing registry error, or worse, succeeds with someone else's image.",
    example="FROM golang:1.21 AS builder\nRUN go build -o /app\nFROM scratch\n"
    "COPY --from=buidler /app /app   # DS100: did you mean 'builder'?",
    use_instead="FROM golang:1.21 AS builder\nRUN go build -o /app\nFROM scratch\nCOPY --from=builder /app /app",
    check=check,
    scope=Scope.GRAPH,
    peers=("hadolint DL3022",),
    fixable=True,
)
