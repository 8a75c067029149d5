from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's shared data (the corpus, the real-build tools), beside the checkout or where the variable says.
SHARED = Path(os.environ.get("DOCKERFILE_STAGES_SHARED") or ROOT.parent / "shared")
CORPUS = SHARED / "corpus"


@pytest.fixture(autouse=True)
def _no_check_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """``check``'s results cache off in every test (it would write into the working directory, and a test
    that patches a rule in memory would be answered from it); tests/cli/test_check_cache.py turns it on."""
    monkeypatch.setenv("DOCKERFILE_STAGES_NO_CACHE", "1")


def corpus_names() -> list[str]:
    if not (CORPUS / "oracle").is_dir():
        return []
    return sorted(path.stem for path in (CORPUS / "oracle").glob("*.json"))


def corpus_text(name: str) -> str:
    return (CORPUS / "files" / f"{name}.Dockerfile").read_bytes().decode("utf-8")


needs_corpus = pytest.mark.skipif(
    not (CORPUS / "oracle").is_dir(), reason=f"the shared corpus is absent (looked in {CORPUS})"
)


def cursor(fixture: str) -> tuple[str, int, int]:
    """Split a fixture with one ``|`` cursor marker into (text, line, column)."""
    before, marker, after = fixture.partition("|")
    assert marker, "fixture has no | cursor"
    line = before.count("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return before + after, line, column
