"""Completion of an image's tag after ``FROM image:``, newest versions first."""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from dockerfile_stages.ide.completion import Candidate, CandidateKind
from dockerfile_stages.model.image import ImageRef, parse_image_ref
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span

_VERSION = re.compile(r"v?(\d+(?:\.\d+)*)(.*)\Z")


class TagSlot(msgspec.Struct, frozen=True):
    image: ImageRef  # the image without a tag
    typed: str
    replace: Span  # the tag (after ":", up to "@" or the word's end)


def tag_slot(document: Document, model: StageModel, line: int, col: int) -> TagSlot | None:
    start, node = document.node_at(line)
    if not isinstance(node, Instruction) or node.cmd != "FROM":
        return None
    words = node.words
    if not words:
        return None
    word = words[0].span.shifted(start)
    if word.start.line != line or not word.start.col < col <= word.end.col:
        return None
    text = document.line(line)[word.start.col : word.end.col]
    before = text[: col - word.start.col]
    colon = before.rfind(":")
    if colon < 0 or "/" in before[colon:] or "$" in before or "@" in before:
        return None
    image = parse_image_ref(before[:colon])
    if image is None:
        return None
    end = text.find("@", colon)
    end = len(text) if end < 0 else end
    replace = Span(Pos(line, word.start.col + colon + 1), Pos(line, word.start.col + end))
    return TagSlot(image, before[colon + 1 :], replace)


def version_key(tag: str) -> tuple[int, tuple[int, ...], str]:
    """Sorts newest first: plain versions by number (a floating 1.22 before 1.22.3, both before
    1.9), then variants (1.22-alpine) the same way, then named tags (bookworm, latest)."""
    match = _VERSION.match(tag)
    if match is None:
        return (2, (), tag)
    numbers = [-int(part) for part in match.group(1).split(".")][:4]
    padded = tuple(numbers + [-(10**9)] * (4 - len(numbers)))
    suffix = match.group(2)
    return (1 if suffix else 0, padded, suffix)


def tag_candidates(slot: TagSlot, tags: Iterable[str], source: str, group: int = 0) -> list[Candidate]:
    """``group`` orders sources: the registry's list (0) before the snapshot's (1)."""
    ranked = sorted({tag for tag in tags if tag.startswith(slot.typed)}, key=version_key)
    return [
        Candidate(
            tag, f"{slot.image.short_name}:{tag} ({source})", CandidateKind.TAG, slot.replace, f"{group}-{rank:05d}"
        )
        for rank, tag in enumerate(ranked)
    ]
