"""Tag completion after FROM image: (newest first)."""

from __future__ import annotations

from dockerfile_stages.ide.image_tags import tag_candidates, tag_slot
from dockerfile_stages.model.stages import build_model
from dockerfile_stages.sizes.snapshot import load_snapshot
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span

from ..conftest import cursor

TAGS = ("1.21-alpine", "latest", "1.9", "1.22", "1.22.3", "1.22-alpine", "1", "bookworm")


def tags(fixture: str, known: tuple[str, ...] = TAGS) -> list[str]:
    text, line, col = cursor(fixture)
    document = Document(text)
    slot = tag_slot(document, build_model(document), line, col)
    return [c.label for c in tag_candidates(slot, known, "test")] if slot else []


def test_newest_versions_first_then_variants_then_names() -> None:
    assert tags("FROM golang:|") == ["1", "1.22", "1.22.3", "1.9", "1.22-alpine", "1.21-alpine", "bookworm", "latest"]


def test_typed_prefix_filters_and_the_range_covers_the_tag() -> None:
    text, line, col = cursor("FROM golang:1.2|1 AS b")
    document = Document(text)
    slot = tag_slot(document, build_model(document), line, col)
    assert slot is not None and slot.replace == Span(Pos(0, 12), Pos(0, 16)) and slot.typed == "1.2"


def test_no_tag_slot_in_a_variable_or_before_the_colon() -> None:
    assert tags("FROM golang:$V|") == [] and tags("FROM golang|") == []


def test_snapshot_knows_official_image_tags() -> None:
    assert "latest" in load_snapshot().tags("alpine")
