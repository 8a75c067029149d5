"""Small helpers shared by rules."""

from __future__ import annotations

from dockerfile_stages.model.stages import Stage, StageModel, stage_instructions
from dockerfile_stages.syntax.document import Document


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def close_names(name: str, candidates: list[str], limit: int = 3) -> list[str]:
    """Names within a small edit distance of ``name`` (the closest first)."""
    budget = 1 if len(name) <= 4 else 2
    scored = sorted((edit_distance(name.lower(), c.lower()), c) for c in candidates)
    return [c for distance, c in scored if 0 < distance <= budget][:limit]


def stage_text(document: Document, model: StageModel, stage: Stage) -> str:
    """All of a stage's instructions as one lower-cased string, for keyword searches."""
    return "\n".join(node.original for _, node in stage_instructions(document, stage)).lower()
