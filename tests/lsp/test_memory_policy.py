"""The collector policy for large trees: full collections only where they free something."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from dockerfile_stages.lsp.memory import LARGE_DOCUMENT_LINES, GcPolicy


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    seen: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(1)

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)
    gc.unfreeze()


def test_closing_a_small_document_beside_a_large_one_collects_nothing(full_collections: list[int]) -> None:
    policy = GcPolicy()
    policy.opened(LARGE_DOCUMENT_LINES)
    per_refreeze = len(full_collections)  # collect, freeze, collect what is left outside
    assert policy.frozen and per_refreeze == 2
    for _ in range(50):  # one refreeze each made 500 closes take minutes beside 10,000 lines
        policy.closed(3)
    assert len(full_collections) == per_refreeze
    policy.closed(LARGE_DOCUMENT_LINES)  # the large tree can go: collected and refrozen
    assert len(full_collections) == 2 * per_refreeze
