"""The target value at a cursor, also while it is empty or half typed."""

from __future__ import annotations

import pytest

from dockerfile_stages.model.buildfiles.slots import target_slot

from .marks import cursor


@pytest.mark.parametrize(
    ("path", "fixture", "typed", "dockerfile"),
    [
        ("compose.yaml", "services:\n  a:\n    build:\n      context: api\n      target: ‸\n", "", "api/Dockerfile"),
        ("compose.yaml", "services:\n  a:\n    build:\n      target: «de‸bug»\n", "de", "Dockerfile"),
        ("docker-bake.hcl", 'target "a" {\n  context = "svc"\n  target = "«re‸»"\n}\n', "re", "svc/Dockerfile"),
        ("build.sh", "docker build --target ‸ -f x/Dockerfile .\n", "", "x/Dockerfile"),
        ("build.sh", "docker build --target=«te‸» .\n", "te", "Dockerfile"),
        ("Makefile", "all:\n\tdocker build --target «b‸» .\n", "b", "Dockerfile"),
        (
            ".github/workflows/ci.yml",
            "jobs:\n  b:\n    steps:\n      - run: docker build --target ‸ .\n",
            "",
            "Dockerfile",
        ),
    ],
)
def test_target_slot(path: str, fixture: str, typed: str, dockerfile: str) -> None:
    text, at, spans = cursor(fixture)
    slot = target_slot(path, text, at.line, at.col)
    assert slot is not None
    assert (slot.typed, str(slot.build.dockerfile.path)) == (typed, dockerfile)
    if spans:
        assert slot.replace == spans[0]
    else:
        assert slot.replace.start == slot.replace.end == at


def test_no_slot_outside_a_target() -> None:
    text, at, _ = cursor("docker build -t ‸ .\n")
    assert target_slot("build.sh", text, at.line, at.col) is None
