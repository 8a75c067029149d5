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


def test_each_base_image_is_looked_up_once_per_estimate() -> None:
    """6,666 stages on one image asked the size service 6,666 times per code-lens request."""
    from dockerfile_stages.model.image import ImageRef
    from dockerfile_stages.sizes.estimate import base_size_by, estimate_stages
    from dockerfile_stages.sizes.figures import ImageSize, SizeSource

    asked: list[tuple[str, str]] = []

    def lookup(image: ImageRef, platform: str) -> ImageSize:
        asked.append((image.display, platform))
        return ImageSize(image.display, platform, 1000, None, SizeSource.SNAPSHOT)

    analysis = Analysis.of_text("FROM alpine AS a\n" * 50 + "FROM --platform=linux/arm64 alpine\nFROM debian\n")
    estimates = estimate_stages(analysis.document, analysis.model, base_size_by(lookup, "linux/amd64"))
    assert sorted(asked) == [("alpine", "linux/amd64"), ("alpine", "linux/arm64"), ("debian", "linux/amd64")]
    assert [estimate.total for estimate in estimates] == [1000] * 52
