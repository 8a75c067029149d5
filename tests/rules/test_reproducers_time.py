"""The did-you-mean reproducer of the hardening issue: 250 stages with 30-character names and 250
``COPY --from=`` typos took 10.8 s (an edit distance for every pair, in pure Python). A bound
far above today's time and far below the old one: it fails the blow-up, not a slow machine."""

from __future__ import annotations

import time

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import run_rules
from dockerfile_stages.syntax import Document


def test_many_stage_typos_are_suggested_quickly() -> None:
    names = [f"stage_with_a_long_name_{n:06d}x" for n in range(250)]
    text = "".join(f"FROM alpine AS {name}\n" for name in names)
    text += "FROM scratch\n" + "".join(f"COPY --from={name[:-1]}y /a /b\n" for name in names)
    document = Document(text)
    started = time.monotonic()
    findings = run_rules(document, build_model(document))
    assert time.monotonic() - started < 3.0
    assert sum(1 for finding in findings if finding.rule == "DS100") == 250
