"""A stage's hover estimate worked out alone (the stage and those it is built on) is the one the
whole file's estimates give, on corpus files and many-stage generated files."""

from __future__ import annotations

import random

import pytest

from dockerfile_stages.ide.analysis import Analysis

from ..conftest import corpus_names, corpus_text, needs_corpus
from ..model.test_stage_reuse import many_stages


def check(text: str) -> None:
    analysis = Analysis.of_text(text)
    whole = analysis.estimates()
    assert [analysis.estimate(index) for index in range(len(whole))] == whole


@needs_corpus
def test_corpus_files() -> None:
    for name in corpus_names():
        check(corpus_text(name))


@pytest.mark.parametrize("seed", range(8))
def test_many_stages(seed: int) -> None:
    rng = random.Random(seed)
    check(many_stages(rng, rng.choice([5, 60])))
