"""``docker buildx bake --set NAME.target=stage`` and bake-action's ``set:``: the stage is checked
against the Dockerfile of Bake target NAME, and renaming the stage reaches the override."""

from __future__ import annotations

from pathlib import Path

from dockerfile_stages.ide import workspace_targets
from dockerfile_stages.model.stages import StageModel, build_model
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.workspace.build_files import load_all, scan

from .marks import cut

WORKFLOW = """on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/bake-action@v6
        with:
          workdir: deploy
          set: |
            app.target=runtime
            *.platform=linux/amd64
"""


def model_of(path: Path) -> StageModel | None:
    return build_model(Document(path.read_text())) if path.is_file() else None


def test_overrides_follow_the_bake_file(tmp_path: Path) -> None:
    (tmp_path / "deploy" / "app").mkdir(parents=True)
    dockerfile = tmp_path / "deploy" / "app" / "Dockerfile"
    dockerfile.write_text("FROM golang:1.22 AS builder\nFROM alpine:3.19 AS runtime\nCOPY --from=builder / /\n")
    (tmp_path / "deploy" / "docker-bake.hcl").write_text('target "app" {\n  context = "app"\n}\n')
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "image.yml").write_text(WORKFLOW)
    (tmp_path / "deploy" / "release.sh").write_text("#!/bin/sh\ndocker buildx bake --set app.target=runtim app\n")
    index = load_all(scan(tmp_path), root=tmp_path)
    assert index.targets_of(dockerfile) == ("runtime", "runtim")
    script = index.get(tmp_path / "deploy" / "release.sh")
    assert script is not None
    (finding,) = workspace_targets.findings(script, model_of)
    assert (finding.rule, cut(script.path.read_text(), finding.span)) == ("DS150", "runtim")
    model = model_of(dockerfile)
    assert model is not None
    per_file = workspace_targets.rename_across_files(dockerfile, model, 1, 21, "final", index.builds_of(dockerfile))
    workflow = tmp_path / ".github" / "workflows" / "image.yml"
    assert [cut(workflow.read_text(), edit.span) for edit in per_file[workflow]] == ["runtime"]
    assert per_file[workflow][0].span.start.line == 9
