"""Fixture helpers for tests at the ``ide`` boundary: a Dockerfile with a ``|`` cursor."""

from __future__ import annotations

from dockerfile_stages.ide.analysis import Analysis, Services
from dockerfile_stages.ide.completion import Candidate

from ..conftest import cursor


def completions(fixture: str, images: tuple[str, ...] = ()) -> list[Candidate]:
    """What completion offers at the cursor, syntax first, then stages and images (as the server)."""
    text, line, col = cursor(fixture)
    found = Analysis.of_text(text, services=Services(images=images)).completion(line, col)
    return sorted(found, key=lambda c: c.sort_key)


def labels(fixture: str, images: tuple[str, ...] = ()) -> list[str]:
    return [candidate.label for candidate in completions(fixture, images)]
