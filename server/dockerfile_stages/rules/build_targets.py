"""Rules about the builds that other files run: Compose, Bake, CI workflows, Makefiles, scripts.

Their findings sit in those files, not in the Dockerfile; ``check_build`` reports them and the
Dockerfile pass has nothing to say (``RULE.check`` yields nothing).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import close_names, did_you_mean

if TYPE_CHECKING:  # build files are read elsewhere and handed in: the rule needs their types only
    from dockerfile_stages.model.buildfiles import BuildFileEntry, ResolvedBuild


def _in_dockerfile(context: Context) -> Iterator[Finding]:
    return iter(())


def check_build(
    entry: BuildFileEntry, resolved: ResolvedBuild, model: StageModel | None, label: str
) -> Iterator[Finding]:
    """Findings for one build of ``entry``; ``model`` is its Dockerfile's, ``label`` how to name that file."""
    build = resolved.build
    if entry.checks_paths:
        if build.context.written is not None and resolved.context is not None and not resolved.context_exists:
            yield MISSING_PATH.finding(
                f"The build context '{build.context.written.text}' does not exist.", build.context.written.span
            )
            return
        if resolved.dockerfile is not None and not resolved.dockerfile_exists:
            where = build.dockerfile.written.span if build.dockerfile.written else build.where
            yield MISSING_PATH.finding(f"There is no Dockerfile at {label}.", where)
            return
    if build.target is None or model is None:
        return
    if model.stage_named(build.target.text) is not None:
        return
    names = [stage.name for stage in model.stages if stage.name]
    suggestions = close_names(build.target.text, names)
    fixes = did_you_mean(build.target.span, suggestions)
    known = ", ".join(names) if names else "none has a name"
    hint = f" Did you mean '{suggestions[0]}'?" if suggestions else ""
    yield UNKNOWN_TARGET.finding(
        f"{label} has no stage '{build.target.text}' (its stages: {known}); the build fails.{hint}",
        build.target.span,
        fixes,
    )


UNKNOWN_TARGET = Rule(
    id=ids.UNKNOWN_TARGET,
    name="unknown-target",
    severity=Severity.ERROR,
    summary="A build names a `--target` its Dockerfile does not define.",
    what="Reads the builds in Compose files (`build.target`), Bake files (`target`), GitHub Actions "
    "workflows (`docker/build-push-action`'s `target`, `docker build --target` in `run:`), GitLab CI "
    "scripts, Makefiles, justfiles and shell scripts, and flags a target that is no stage of the "
    "Dockerfile the build reads. Offers the closest stage names as fixes.",
    why="BuildKit stops with `target stage ... could not be found`, but only when that build runs: often "
    "in CI, after a stage was renamed in the Dockerfile and the file that builds it was forgotten.",
    example="# compose.yaml\nservices:\n  api:\n    build:\n      target: buidler   # DS150: did you mean 'builder'?",
    use_instead="# compose.yaml\nservices:\n  api:\n    build:\n      target: builder",
    check=_in_dockerfile,
    scope=Scope.GRAPH,
    fixable=True,
)

MISSING_PATH = Rule(
    id=ids.MISSING_BUILD_PATH,
    name="missing-build-path",
    severity=Severity.ERROR,
    summary="A Compose or Bake build names a context or Dockerfile that does not exist.",
    what="Checks the `context` and `dockerfile` of every Compose service build and Bake target against the "
    "files next to them (relative paths start at the Compose or Bake file; `dockerfile` at the context).",
    why="`docker compose build` and `docker buildx bake` fail on a missing path, and a moved Dockerfile "
    "otherwise goes unnoticed until someone builds that service.",
    example="# compose.yaml\nservices:\n  api:\n    build:\n      context: ./ap   # DS151: ./ap does not exist",
    use_instead="# compose.yaml\nservices:\n  api:\n    build:\n      context: ./api",
    check=_in_dockerfile,
    scope=Scope.GRAPH,
)
