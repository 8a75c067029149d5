"""Size text for hovers and code lenses, from stage estimates and image figures."""

from __future__ import annotations

import msgspec

from dockerfile_stages.model.image import ImageRef, parse_image_ref
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.sizes.estimate import Comparison, Role, StageEstimate
from dockerfile_stages.sizes.figures import UNTRUSTED_NOTE, ImageSize, SizeSource, human
from dockerfile_stages.syntax.nodes import Pos, Span


class ImageAt(msgspec.Struct, frozen=True):
    image: ImageRef
    span: Span
    platform: str


def image_at(model: StageModel, line: int, col: int) -> ImageAt | None:
    """The image named at the position: a FROM base, or an image in ``--from``/``from=``."""
    pos = Pos(line, col)
    for stage in model.stages:
        if stage.base_span and stage.base_span.contains(pos) and stage.image is not None:
            return ImageAt(stage.image, stage.base_span, stage.platform_or(model.platform))
    for ref in model.refs:
        if ref.target is None and ref.span.contains(pos) and "$" not in ref.text:
            image = parse_image_ref(ref.text)
            if image is not None:
                return ImageAt(image, ref.span, model.platform)
    return None


def figure_lines(figure: ImageSize) -> list[str]:
    download = human(figure.compressed_bytes)
    disk = human(figure.disk_bytes)
    if figure.disk_estimated and figure.disk_bytes is not None:
        disk = f"~{disk} (estimated from the download size)"
    lines = [
        f"download (compressed): {download}",
        f"on disk: {disk}",
        f"platform: {figure.platform}",
        f"source: {figure.source_label()}"
        + (" (a snapshot, not live data)" if figure.source is SizeSource.SNAPSHOT else ""),
    ]
    if figure.digest:
        lines.append(f"digest: `{figure.digest}`")
    if figure.note:
        lines.append(f"note: {figure.note}")
    return lines


def image_hover(at: ImageAt, figure: ImageSize) -> str:
    return "\n\n".join([f"**image `{at.image.display}`**", *figure_lines(figure)])


def stage_estimate_lines(estimate: StageEstimate) -> list[str]:
    lines = [f"estimated size: {estimate.describe()} ({estimate.role.value} stage)"]
    for part in estimate.parts:
        lines.append(f"- {part.label}: {human(part.size) if part.size is not None else 'unknown until built'}")
    if estimate.base is not None and estimate.base.untrusted:
        lines.append(f"note: {UNTRUSTED_NOTE}")
    return lines


def lens_title(estimate: StageEstimate) -> str:
    role = {Role.FINAL: "final image", Role.BUILD: "build stage", Role.UNUSED: "unused stage"}[estimate.role]
    text = f"{role} - {estimate.describe()}"
    if estimate.role is not Role.FINAL:
        text += ", not shipped"
    if estimate.base is not None and estimate.base.untrusted:
        snapshot = f"snapshot of {estimate.base.as_of}; " if estimate.base.source is SizeSource.SNAPSHOT else ""
        text += f" ({snapshot}workspace not trusted: no network sizes)"
    elif estimate.base is not None and estimate.base.source is SizeSource.SNAPSHOT:
        text += f" (snapshot of {estimate.base.as_of})"
    elif estimate.base is not None and estimate.base.note == "looking up...":
        text += " (looking up...)"
    return text


def summary_title(comparison: Comparison) -> str:
    return comparison.describe()
