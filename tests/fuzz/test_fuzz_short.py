"""Short, seeded runs of each fuzzer (a few seconds each); ``python -m tests.fuzz`` runs them long."""

from __future__ import annotations

from pathlib import Path

from ..conftest import CORPUS
from . import analysis, lsp_session, registry_faults, soak

# Wall-clock seconds per input, generous for a loaded machine: the worst of these 25 inputs takes
# under a second now, and the shapes it guards against took from seconds to minutes. The long run
# (``python -m tests.fuzz analysis``) reports against 1 s.
SHORT_BUDGET_S = 10.0


async def test_analysis_fuzzer_short() -> None:
    figures = await analysis.run(seed=16, count=25, corpus=CORPUS if CORPUS.is_dir() else None, budget_s=SHORT_BUDGET_S)
    assert figures.inputs == 25 and figures.requests > 100 and figures.edits > 0
    assert figures.crashes == [] and figures.divergences == 0
    assert figures.over_budget == []


def test_lsp_session_fuzzer_short() -> None:
    figures = lsp_session.run(seed=16, sessions=1, steps=120)
    assert figures.requests > 20 and figures.answered == figures.requests
    assert figures.internal_errors == [] and figures.unanswered == [] and figures.deaths == []


def test_memory_soak_short() -> None:
    figures = soak.run(edits=600, warmup=200, pairs=100, lines=1000)
    assert figures.growth_mb < 0.5, figures.summary()  # the leak grew 1.6 kB per edit (1 MB here), for ever


def test_registry_fault_fuzzer_short(tmp_path: Path) -> None:
    figures = registry_faults.run(seed=16, lookups=30, cache_dir=tmp_path)
    assert figures.lookups == 30 and len(figures.by_fault) > 8
    assert figures.errors == []
