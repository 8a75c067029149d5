"""The fixture workspace: build files found by name, their builds tied to svc/Dockerfile, and the
cross-file answers (diagnostics, definition, uses, rename edits, links) at the ide boundary."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerfile_stages.ide import workspace_targets
from dockerfile_stages.model.stages import StageModel, build_model
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.workspace.build_files import BuildFileIndex, load_all, scan

from .marks import cut

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "workspace"
DOCKERFILE = FIXTURE / "svc" / "Dockerfile"


def model_of(path: Path) -> StageModel | None:
    return build_model(Document(path.read_text())) if path.is_file() else None


@pytest.fixture(scope="module")
def index() -> BuildFileIndex:
    return load_all(scan(FIXTURE), root=FIXTURE)


def relative(path: Path) -> str:
    return path.relative_to(FIXTURE).as_posix()


def test_scan_finds_every_kind_by_name() -> None:
    assert sorted(relative(path) for path in scan(FIXTURE)) == [
        ".github/workflows/build.yml",
        "Makefile",
        "compose.override.yaml",
        "compose.yaml",
        "docker-bake.hcl",
        "scripts/build.sh",
    ]


def test_targets_of_the_dockerfile(index: BuildFileIndex) -> None:
    assert sorted(index.targets_of(DOCKERFILE)) == ["debug", "lint", "release", "releese", "tast", "test"]


def test_findings_in_compose(index: BuildFileIndex) -> None:
    entry = index.get(FIXTURE / "compose.yaml")
    assert entry is not None
    text = entry.path.read_text()
    found = [
        (f.rule, cut(text, f.span), [fix.title for fix in f.fixes]) for f in workspace_targets.findings(entry, model_of)
    ]
    assert found == [("DS150", "tast", ["Change to 'test'"]), ("DS151", "./web", [])]


def test_findings_in_a_script_run_from_the_root(index: BuildFileIndex) -> None:
    entry = index.get(FIXTURE / "scripts" / "build.sh")
    assert entry is not None
    found = workspace_targets.findings(entry, model_of)
    assert [(f.rule, f.span.start.line, f.fixes[0].edits[0].text) for f in found] == [("DS150", 3, "release")]


def test_definition_from_a_workflow(index: BuildFileIndex) -> None:
    entry = index.get(FIXTURE / ".github" / "workflows" / "build.yml")
    assert entry is not None
    line = entry.path.read_text().split("\n").index("          target: release")
    found = workspace_targets.definition(entry, line, 20, model_of)
    assert found is not None and found.path == DOCKERFILE
    assert cut(DOCKERFILE.read_text(), found.span) == "release" and found.span.start.line == 13


def test_uses_and_rename_edits_cover_every_file(index: BuildFileIndex) -> None:
    model = model_of(DOCKERFILE)
    assert model is not None
    stage = model.stage_named("release")
    assert stage is not None
    edits = workspace_targets.rename_edits(index.builds_of(DOCKERFILE), stage, "prod")
    places = [(relative(edit.path), cut(edit.path.read_text(), edit.span)) for edit in edits]
    assert places == [
        (".github/workflows/build.yml", "release"),
        ("docker-bake.hcl", "release"),
    ]


def test_links_to_the_dockerfile(index: BuildFileIndex) -> None:
    entry = index.get(FIXTURE / "compose.override.yaml")
    assert entry is not None
    links = workspace_targets.links(entry)
    assert [(link.path, cut(entry.path.read_text(), link.span)) for link in links] == [(DOCKERFILE, "Dockerfile")]


def test_rename_across_files_from_the_dockerfile(index: BuildFileIndex) -> None:
    model = model_of(DOCKERFILE)
    assert model is not None
    line = DOCKERFILE.read_text().split("\n").index("FROM alpine:3.19 AS debug")
    per_file = workspace_targets.rename_across_files(DOCKERFILE, model, line, 21, "dbg", index.builds_of(DOCKERFILE))
    assert {relative(path): [cut(path.read_text(), e.span) for e in edits] for path, edits in per_file.items()} == {
        "svc/Dockerfile": ["debug"],
        ".github/workflows/build.yml": ["debug"],
        "compose.override.yaml": ["debug"],
        "compose.yaml": ["debug"],
    }


def test_hover_on_a_target(index: BuildFileIndex) -> None:
    entry = index.get(FIXTURE / "compose.override.yaml")
    assert entry is not None
    line = entry.path.read_text().split("\n").index("      target: debug")
    at = workspace_targets.target_at(entry, line, 16, model_of)
    assert at is not None and at.stage is not None and at.stage.name == "debug"
    text = workspace_targets.hover_markdown(at, "svc/Dockerfile", ["about 7 MB"])
    assert "`FROM alpine:3.19`" in text and "pulls in: builder" in text and "about 7 MB" in text
    assert text.endswith("in `svc/Dockerfile`")
