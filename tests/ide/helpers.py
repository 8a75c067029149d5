"""Fixture helpers for tests at the ``ide`` boundary: a Dockerfile with a ``|`` cursor."""

from __future__ import annotations

from dockerfile_stages.ide.completion import Candidate, complete
from dockerfile_stages.ide.syntax_completion import complete_syntax
from dockerfile_stages.model.stages import build_model
from dockerfile_stages.model.variables import Variables
from dockerfile_stages.syntax.document import Document

from ..conftest import cursor


def completions(fixture: str, images: tuple[str, ...] = ()) -> list[Candidate]:
    """What completion offers at the cursor, syntax first, then stages and images (as the server)."""
    text, line, col = cursor(fixture)
    document = Document(text)
    model = build_model(document)
    found = complete_syntax(document, model, line, col, lambda: Variables(document, model))
    if found is None:
        found = complete(document, model, line, col, images)
    return sorted(found, key=lambda c: c.sort_key)


def labels(fixture: str, images: tuple[str, ...] = ()) -> list[str]:
    return [candidate.label for candidate in completions(fixture, images)]
