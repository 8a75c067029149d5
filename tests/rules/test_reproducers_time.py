"""A hang guard for the hostile inputs of the hardening issue (item 3) and those the analysis fuzzer
found (``tests/fuzz/hostile.py``): each took seconds to minutes for a parse, the rules or one editor
request. Each is now run through parse, model, every rule and every editor feature, and no single
step may take more than a second of CPU time. The bound is far above today's times (a tenth of it
or less, on a loaded machine) and far below the old ones: it fails a blow-up, not a slow machine.
The figures themselves are printed by ``benchmarks/hostile_inputs.py``."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import run_rules
from dockerfile_stages.syntax import Document

from ..fuzz.hostile import SHAPES, Shape, exercise

BUDGET_S = 1.0  # CPU seconds for one step (a parse, all rules, one request)
HANG_S = 30.0  # CPU seconds for the whole input, after which the test fails instead of hanging


@contextmanager
def cpu_deadline(seconds: float) -> Iterator[None]:
    """Fail with TimeoutError once this process has used ``seconds`` of CPU time here."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.label for shape in SHAPES])
def test_hostile_input_is_analysed_within_budget(shape: Shape) -> None:
    with cpu_deadline(HANG_S):
        worst = exercise(shape.make(shape.size))
    assert {"parse+model", "rules", "hover", "completion", "code actions"} <= worst.keys()
    assert {feature: round(took, 2) for feature, took in worst.items() if took > BUDGET_S} == {}


def test_many_stage_typos_are_all_suggested() -> None:
    """250 stages with 30-character names and 250 ``COPY --from=`` typos took 10.8 s (an edit
    distance for every pair, in pure Python); the suggestions must still come."""
    names = [f"stage_with_a_long_name_{n:06d}x" for n in range(250)]
    text = "".join(f"FROM alpine AS {name}\n" for name in names)
    text += "FROM scratch\n" + "".join(f"COPY --from={name[:-1]}y /a /b\n" for name in names)
    document = Document(text)
    findings = [finding for finding in run_rules(document, build_model(document)) if finding.rule == "DS100"]
    assert len(findings) == 250
    assert all("stage_with_a_long_name_" in finding.message for finding in findings)
