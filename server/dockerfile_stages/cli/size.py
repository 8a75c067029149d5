"""``dockerfile-stages size``: per-stage figures, a bar chart, and what multi-stage saves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dockerfile_stages.model import build_model
from dockerfile_stages.sizes.estimate import StageEstimate, base_size_by, compare, estimate_stages
from dockerfile_stages.sizes.figures import human
from dockerfile_stages.sizes.service import SizeService
from dockerfile_stages.syntax import Document
from dockerfile_stages.workspace.context import BuildContext

BAR_WIDTH = 30


def size_report(text: str, context: Path | None, service: SizeService, platform: str) -> dict[str, Any]:
    document = Document(text, encoding="utf-32")
    model = build_model(document, platform)

    base_size = base_size_by(service.lookup, platform)
    estimates = estimate_stages(document, model, base_size, BuildContext(context) if context else None)
    comparison = compare(estimates)
    final = estimates[-1] if estimates else None
    return {
        "stages": [_stage_json(estimate, platform) for estimate in estimates],
        "final_image": _estimate_json(final) if final else None,
        "single_stage_equivalent": {
            "based_on": comparison.heaviest.stage.label,
            "estimated_bytes": comparison.single_stage,
            "multi_stage_estimated_bytes": comparison.ships,
            "multi_stage_has_unknown_parts": comparison.ships_unknown_parts,
            "summary": comparison.describe(),
        }
        if comparison
        else None,
    }


def _stage_json(estimate: StageEstimate, platform: str) -> dict[str, Any]:
    stage = estimate.stage
    base = estimate.base
    return {
        "index": stage.index,
        "name": stage.name,
        "role": estimate.role.value,
        "base": stage.expanded_base.text if stage.expanded_base.complete else stage.base,
        "platform": base.platform if base else stage.platform_or(platform),
        "compressed_bytes": base.compressed_bytes if base else (0 if stage.is_scratch else None),
        "disk_bytes": base.disk_bytes if base else (0 if stage.is_scratch else None),
        "disk_estimated": base.disk_estimated if base else False,
        "source": base.source.value
        if base
        else ("scratch" if stage.is_scratch else "stage" if stage.base_stage is not None else "unknown"),
        "as_of": base.as_of if base else None,
        "digest": base.digest if base else None,
        "note": base.note if base else None,
        "estimate": _estimate_json(estimate),
    }


def _estimate_json(estimate: StageEstimate) -> dict[str, Any]:
    return {
        "stage": estimate.stage.index,
        "estimated_bytes": estimate.total,
        "parts": [{"label": part.label, "bytes": part.size} for part in estimate.parts],
        "unknown_parts": [part.label for part in estimate.unknown_parts],
    }


def format_text(report: dict[str, Any]) -> str:
    stages = report["stages"]
    largest = max((s["estimate"]["estimated_bytes"] or 0 for s in stages), default=0) or 1
    lines = []
    for stage in stages:
        label = f"{stage['index']} {stage['name'] or '(unnamed)'}"
        total = stage["estimate"]["estimated_bytes"]
        bar = "#" * max(1 if total else 0, round(BAR_WIDTH * (total or 0) / largest))
        figure = human(total) if total is not None else "unknown"
        if stage["disk_estimated"] and total is not None:
            figure = "~" + figure
        source = stage["source"] + (f" {stage['as_of']}" if stage["as_of"] else "")
        download = f", download {human(stage['compressed_bytes'])}" if stage["compressed_bytes"] else ""
        lines.append(
            f"{label:<18} {stage['role']:<6} {stage['base'][:32]:<32} {bar:<{BAR_WIDTH}} {figure:>9}"
            f"  ({source}{download})"
        )
        for unknown in stage["estimate"]["unknown_parts"]:
            why = "size unknown" if unknown.startswith("base ") else "unknown until built"
            lines.append(f"{'':<58} + {unknown}: {why}")
        if stage["note"]:
            lines.append(f"{'':<58} note: {stage['note']}")
    if report["single_stage_equivalent"]:
        lines.append("")
        lines.append(report["single_stage_equivalent"]["summary"])
    lines.append("")
    lines.append("Figures: on-disk sizes ('~' estimated from the download size where only that is known).")
    return "\n".join(lines) + "\n"
