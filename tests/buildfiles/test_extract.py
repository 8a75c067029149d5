"""Each kind of build file: the builds found, every target value's exact range, and its Dockerfile."""

from __future__ import annotations

import json

import pytest

from dockerfile_stages.model.buildfiles import BuildFileKind, extract, kind_of

from .marks import cut, marked


def targets(path: str, fixture: str) -> list[tuple[str, str]]:
    """(target, Dockerfile) of each build with a target; asserts the ranges are exactly the marked ones."""
    text, expected = marked(fixture)
    builds = [build for build in extract(path, text) if build.target]
    assert [build.target.span for build in builds if build.target] == expected
    for build in builds:
        assert build.target is not None and cut(text, build.target.span) == build.target.text
    return [(build.target.text, str(build.dockerfile.path)) for build in builds if build.target]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("compose.yaml", BuildFileKind.COMPOSE),
        ("deploy/compose.prod.yaml", BuildFileKind.COMPOSE),
        ("docker-compose.override.yml", BuildFileKind.COMPOSE),
        ("docker-bake.hcl", BuildFileKind.BAKE),
        ("docker-bake.override.json", BuildFileKind.BAKE),
        (".github/workflows/release.yaml", BuildFileKind.GITHUB_WORKFLOW),
        (".gitlab-ci.yml", BuildFileKind.GITLAB_CI),
        ("Makefile", BuildFileKind.MAKEFILE),
        ("build/docker.mk", BuildFileKind.MAKEFILE),
        ("justfile", BuildFileKind.JUSTFILE),
        ("scripts/build.sh", BuildFileKind.SHELL),
        ("values.yaml", None),
        ("Dockerfile", None),
    ],
)
def test_kind_of(path: str, kind: BuildFileKind | None) -> None:
    assert kind_of(path) is kind


def test_compose() -> None:
    fixture = (
        "x-base: &base\n  context: ./api\n"
        "services:\n"
        "  api:\n    build:\n      <<: *base\n      dockerfile: Dockerfile.prod\n      target: «debug»\n"
        '  worker:\n    build:\n      context: worker\n      target: "«runner»"  # quoted\n'
        "  web:\n    build: ./web\n"
        "  env:\n    build:\n      target: ${TARGET}\n"
        "  db:\n    image: postgres\n"
    )
    assert targets("compose.yaml", fixture) == [("debug", "api/Dockerfile.prod"), ("runner", "worker/Dockerfile")]


def test_compose_not_yaml_is_empty() -> None:
    assert extract("compose.yaml", "services: [unclosed\n") == []


def test_bake_hcl_follows_inherits() -> None:
    fixture = (
        'variable "TAG" {\n  default = "1"\n}\n'
        'group "default" {\n  targets = ["app"]\n}\n'
        'target "base" {\n  context = "svc"\n  dockerfile = "Dockerfile.prod"\n}\n'
        'target "app" {\n  inherits = ["base"]\n  target = "«runtimé»"\n}\n'
        'target "dyn" {\n  target = "${TAG}"\n}\n'
        'target "plain" {\n  target = "«test»"\n}\n'
    )
    assert targets("docker-bake.hcl", fixture) == [("runtimé", "svc/Dockerfile.prod"), ("test", "Dockerfile")]


def test_bake_json_with_tabs() -> None:
    data = {"target": {"app": {"context": "svc", "target": "TARGET"}}}
    text = json.dumps(data, indent="\t").replace('"TARGET"', '"«release»"')
    assert targets("docker-bake.json", text) == [("release", "svc/Dockerfile")]


def test_shell_script() -> None:
    fixture = (
        "#!/bin/sh\nset -e\n"
        'docker buildx build --target=«runtime» -f "docker/Dockerfile" . && docker build --target "«x»" .\n'
        'sudo -E docker build --platform linux/amd64 --target="«tést»" -t img:1 ./svc\n'
        "docker --debug build \\\n   --target   «final»  .\n"
        "docker build --target $T .\n"
        "docker build --target x $CONTEXT\n"
        "podman build --target='«raw»' .\n"
        "docker compose build --target nope\n"
        "echo docker build --target nope .\n"
    )
    assert targets("build.sh", fixture) == [
        ("runtime", "docker/Dockerfile"),
        ("x", "Dockerfile"),
        ("tést", "svc/Dockerfile"),
        ("final", "Dockerfile"),
        ("raw", "Dockerfile"),
    ]


def test_github_workflow() -> None:
    fixture = (
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: docker/build-push-action@v6\n        with:\n          context: svc\n"
        "          file: svc/Dockerfile.prod\n          target: «runtime»\n"
        "      - uses: docker/build-push-action@v6\n        with:\n          target: ${{ matrix.target }}\n"
        "      - run: docker build --target «test» .\n"
        "      - run: |\n          echo hi\n          docker build \\\n            --target «lint» .\n"
        "      - working-directory: svc\n        run: >\n          docker build\n          --target «folded» .\n"
    )
    assert targets(".github/workflows/ci.yml", fixture) == [
        ("runtime", "svc/Dockerfile.prod"),
        ("test", "Dockerfile"),
        ("lint", "Dockerfile"),
        ("folded", "svc/Dockerfile"),
    ]


def test_gitlab_ci_reads_each_script_line_once() -> None:
    fixture = (
        ".common: &build\n  - docker build --target=«one» .\n"
        "build:\n  script:\n    - *build\n    - docker build --target «two» -f x/Dockerfile .\n"
        "test:\n  before_script: *build\n  script: 'docker build --target «three» ctx'\n"
    )
    assert targets(".gitlab-ci.yml", fixture) == [
        ("one", "Dockerfile"),
        ("two", "x/Dockerfile"),
        ("three", "ctx/Dockerfile"),
    ]


def test_makefile() -> None:
    fixture = (
        "TARGET ?= $(DEFAULT)\n.PHONY: image\nimage:\n"
        "\t@docker build --target $(TARGET) .\n"
        "\t-docker build \\\n\t  --target «app» .\n"
        "\tdocker build --target=«tests» -f build/Dockerfile .\n"
    )
    assert targets("Makefile", fixture) == [("app", "Dockerfile"), ("tests", "build/Dockerfile")]


def test_justfile() -> None:
    fixture = (
        'set shell := ["bash", "-c"]\nimage := "x"\n\n'
        'build target="y":\n    @docker build --target «runtime» .\n    docker build --target {{target}} .\n\n'
        "other:\n  podman build \\\n     --target=«z» .\n"
    )
    assert targets("justfile", fixture) == [("runtime", "Dockerfile"), ("z", "Dockerfile")]


def test_paths_as_written_are_kept_for_links_and_checks() -> None:
    text, spans = marked("services:\n  api:\n    build:\n      context: «./api»\n      dockerfile: «Dockerfile.dev»\n")
    (build,) = extract("compose.yaml", text)
    assert build.context.written is not None and build.context.written.span == spans[0]
    assert build.dockerfile.written is not None and build.dockerfile.written.span == spans[1]
    assert str(build.dockerfile.path) == "api/Dockerfile.dev" and build.target is None


def test_makefile_variable_assigned_once_is_the_target() -> None:
    text, (value,) = marked(
        "TARGET ?= «runtime»\nCTX := svc\nBOTH = a\nBOTH += b\nall:\n"
        "\tdocker build --target $(TARGET) $(CTX)\n\tdocker build --target=${TARGET} -f x/Dockerfile .\n"
        "\tdocker build --target $(BOTH) .\n"
    )
    builds = extract("Makefile", text)
    assert [(b.target.span if b.target else None, str(b.dockerfile.path)) for b in builds] == [
        (value, "svc/Dockerfile"),
        (value, "x/Dockerfile"),
    ]  # BOTH has two assignments: its build is left unknown


def test_justfile_variable() -> None:
    text, (value,) = marked(
        "stage := \"«runtime»\"\nctx := 'svc'\nbuild:\n    docker build --target {{ stage }} {{ctx}}\n"
    )
    (build,) = extract("justfile", text)
    assert build.target is not None and build.target.span == value and str(build.dockerfile.path) == "svc/Dockerfile"


def test_buildx_bake_overrides() -> None:
    text, spans = marked(
        "docker buildx bake --set app.target=«runtime» --set=api.target=«debug» --set '*.platform=linux/arm64'\n"
    )
    builds = extract("release.sh", text)
    assert [(b.bake_target, b.target.span if b.target else None) for b in builds] == [
        ("app", spans[0]),
        ("api", spans[1]),
    ]
