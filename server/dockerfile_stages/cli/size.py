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


def size_report(
    text: str, context: Path | None, service: SizeService, platform: str, dockerfile: Path | None = None
) -> dict[str, Any]:
    document = Document(text, encoding="utf-32")
    model = build_model(document, platform)

    base_size = base_size_by(service.lookup, platform)
    build_context = BuildContext(context, dockerfile=dockerfile) if context else None
    estimates = estimate_stages(document, model, base_size, build_context)
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
        "describe": estimate.describe(),
        "parts": [
            {"label": part.label, "bytes": part.size, "kind": part.kind.value, "source": part.source or None}
            for part in estimate.parts
        ],
        "unknown_parts": [part.label for part in estimate.unknown_parts],
    }


def format_text(report: dict[str, Any]) -> str:
    stages = report["stages"]
    largest = max((s["estimate"]["estimated_bytes"] or 0 for s in stages), default=0) or 1
    lines = []
    for stage in stages:
        lines.append(_stage_line(stage, largest))
        lines += [f"{'':<{INDENT}} + {line}" for line in _unknown_lines(stage["estimate"]["parts"])]
        if stage["note"] and stage["estimate"]["estimated_bytes"] is not None:
            lines.append(f"{'':<{INDENT}} note: {stage['note']}")
    lines.append("")
    lines += _role_totals(stages)
    if report["single_stage_equivalent"]:
        lines.append(report["single_stage_equivalent"]["summary"])
    lines.append("")
    lines.append("Figures: on-disk sizes ('~' estimated from the download size where only that is known).")
    return "\n".join(lines) + "\n"


def size_summary(report: dict[str, Any]) -> str:
    """One line for stderr: how many stages, and what the final image weighs."""
    count = len(report["stages"])
    final = report["final_image"]
    if final is None:
        return "no stages"
    return f"{count} stage{'s' if count != 1 else ''}; final image: {final['describe']}"


INDENT = 58
FOLD_AFTER = 3  # more unknown parts of one kind than this are folded into one line


def _stage_line(stage: dict[str, Any], largest: int) -> str:
    label = f"{stage['index']} {stage['name'] or '(unnamed)'}"
    total = stage["estimate"]["estimated_bytes"]
    bar = "#" * max(1 if total else 0, round(BAR_WIDTH * (total or 0) / largest))
    if stage["source"] == "scratch":
        figure = human(total) if total else "0 B"
        origin = "empty base image"
    else:
        figure = ("~" if stage["disk_estimated"] else "") + human(total) if total is not None else "unknown"
        origin = stage["source"] + (f" {stage['as_of']}" if stage["as_of"] else "")
        if total is None:  # the base's size is unknown: say why here rather than on lines of its own
            origin = "size of the base unknown" + (f": {stage['note']}" if stage["note"] else "")
        elif stage["compressed_bytes"]:
            origin += f", download {human(stage['compressed_bytes'])}"
    return f"{label:<18} {stage['role']:<6} {stage['base'][:32]:<32} {bar:<{BAR_WIDTH}} {figure:>9}  ({origin})"


def _unknown_lines(parts: list[dict[str, Any]]) -> list[str]:
    """One line per part whose size is unknown; more than a few of one kind become one line."""
    lines = []
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for part in parts[1:]:
        if part["bytes"] is None:
            by_kind.setdefault(part["kind"], []).append(part)
    for kind, group in by_kind.items():
        if len(group) <= FOLD_AFTER:
            lines += [f"{part['label']}: unknown until built" for part in group]
            continue
        sources = list(dict.fromkeys(part["source"] for part in group if part["source"]))
        what = FOLDED.get(kind, "{n} more parts").format(n=len(group), sources=len(sources))
        lines.append(f"{what}, unknown until built")
    return lines


FOLDED = {
    "from stage": "{n} copies of the output of {sources} stages",
    "from image": "{n} copies of files from {sources} images",
    "context": "{n} copies from the build context",
    "download": "{n} downloads",
}


def _role_totals(stages: list[dict[str, Any]]) -> list[str]:
    lines = []
    for role, title in (("final", "final image"), ("build", "build stages"), ("unused", "unused stages")):
        chosen = [s for s in stages if s["role"] == role]
        if not chosen:
            continue
        known = sum(s["estimate"]["estimated_bytes"] or 0 for s in chosen)
        unknown = any(s["estimate"]["unknown_parts"] for s in chosen)
        count = "" if role == "final" else f" ({len(chosen)})"
        shipped = "" if role == "final" else ", not shipped"
        figure = chosen[0]["estimate"]["describe"] if role == "final" else f"about {human(known)}"
        if role != "final" and unknown:
            figure += " + parts unknown until built"
        lines.append(f"{title}{count}: {figure}{shipped}")
    return lines
