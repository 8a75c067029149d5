"""What each stage weighs, as far as can be known without building, and what the final image ships.

Pure: the figures for base images come in through ``base_size``, and what COPY/ADD send from the
build context through a ``ContextSizer`` (``workspace.context.BuildContext`` measures the disk).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Protocol

import msgspec

from dockerfile_stages.model.image import ImageRef
from dockerfile_stages.model.stages import RefKind, Stage, StageModel, instructions_by_stage, stage_instructions
from dockerfile_stages.sizes.figures import ImageSize, human
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction


class Role(str, Enum):
    """What a stage is for, seen from the final stage."""

    FINAL = "final"  # what ``docker build`` ships
    BUILD = "build"  # needed to build the final stage
    UNUSED = "unused"  # built by neither


class PartKind(Enum):
    """What a part of a stage's estimate is, so comparisons need not read the labels."""

    BASE = "base"  # a base image, a base stage, or scratch
    FROM_STAGE = "from stage"  # COPY --from=<stage>: build output
    FROM_IMAGE = "from image"  # COPY --from=<image>
    HEREDOC = "heredoc"
    CONTEXT = "context"  # COPY/ADD from the build context
    DOWNLOAD = "download"  # ADD <url>


class ContextSizer(Protocol):
    def size(self, source: str) -> int | None:
        """Bytes a COPY/ADD source (a path or glob, relative to the context) sends; None: not known yet."""
        ...


def base_size_by(lookup: Callable[[ImageRef, str], ImageSize], platform: str) -> Callable[[Stage], ImageSize | None]:
    """A stage's base-image figure from ``lookup``, on the stage's own platform when it names one.
    Each image is looked up once per function made here (one estimate of a file): thousands of
    stages on one base asked the size service thousands of times."""
    found: dict[tuple[ImageRef, str], ImageSize] = {}

    def base_size(stage: Stage) -> ImageSize | None:
        if stage.image is None:
            return None
        key = (stage.image, stage.platform_or(platform))
        figure = found.get(key)
        if figure is None:
            figure = found[key] = lookup(*key)
        return figure

    return base_size


class Part(msgspec.Struct, frozen=True):
    label: str
    size: int | None  # None: cannot be known without building
    kind: PartKind = PartKind.BASE
    source: str = ""  # the stage or image a COPY --from takes from


def pending_text(parts: list[Part]) -> str:
    """What of ``parts`` is unknown until built, folded ("output of builder", "output of 12 stages")."""
    unknown = [part for part in parts if part.size is None and part.kind is not PartKind.BASE]
    stages = list(dict.fromkeys(part.source for part in unknown if part.kind is PartKind.FROM_STAGE))
    images = list(dict.fromkeys(part.source for part in unknown if part.kind is PartKind.FROM_IMAGE))
    pieces = []
    if stages:
        pieces.append(f"output of {stages[0]}" if len(stages) == 1 else f"output of {len(stages)} stages")
    if images:
        pieces.append(f"files from {images[0]}" if len(images) == 1 else f"files from {len(images)} images")
    if any(part.kind is PartKind.CONTEXT for part in unknown):
        pieces.append("build-context files")
    if any(part.kind is PartKind.DOWNLOAD for part in unknown):
        pieces.append("downloads")
    return ", ".join(pieces) + " unknown until built" if pieces else ""


class StageEstimate(msgspec.Struct):
    stage: Stage
    role: Role
    base: ImageSize | None  # None for scratch or a stage base
    parts: list[Part] = msgspec.field(default_factory=list)

    @property
    def total(self) -> int | None:
        """Known parts added up; None when the base itself is unknown."""
        if self.parts and self.parts[0].size is None:
            return None
        return sum(part.size or 0 for part in self.parts)

    @property
    def unknown_parts(self) -> list[Part]:
        return [part for part in self.parts if part.size is None]

    def describe(self) -> str:
        """The one wording of a stage's weight, for the lens, the hover and ``size``."""
        total = self.total
        if total is None:
            return "unknown size"
        pending = pending_text(self.parts)
        if not self.stage.is_scratch:
            return f"about {human(total)}" + (f" + {pending}" if pending else "")
        text = "empty base image (0 B)"
        if total:
            text += f" + {human(total)} of copied files"
        if pending:
            text += f" + copied files ({pending})" if not total else f" + {pending}"
        return text


class Comparison(msgspec.Struct, frozen=True):
    ships: int  # the final image's estimate
    single_stage: int  # the heaviest build stage plus what the final stage adds
    heaviest: StageEstimate

    @property
    def saving_percent(self) -> int:
        return round(100 * (1 - self.ships / self.single_stage)) if self.single_stage else 0

    @property
    def ships_unknown_parts(self) -> bool:
        return False

    def describe(self) -> str:
        return (
            f"multi-stage ships about {human(self.ships)} instead of about {human(self.single_stage)} "
            f"({self.saving_percent}% smaller)"
        )


class PartialComparison(Comparison, frozen=True):
    """The final image copies build output whose size is only known after building."""

    @property
    def ships_unknown_parts(self) -> bool:
        return True

    def describe(self) -> str:
        if self.ships == 0:
            return (
                f"multi-stage ships only the copied build output, instead of about {human(self.single_stage)} "
                "in a single stage"
            )
        return (
            f"multi-stage ships about {human(self.ships)} plus the copied build output, instead of about "
            f"{human(self.single_stage)} in a single stage"
        )


def roles(model: StageModel) -> dict[int, Role]:
    if not model.stages:
        return {}
    final = len(model.stages) - 1
    needed = model.needed_for(final)
    return {s.index: _role(s.index, final, needed) for s in model.stages}


def _role(index: int, final: int, needed: set[int]) -> Role:
    return Role.FINAL if index == final else Role.BUILD if index in needed else Role.UNUSED


def estimate_stages(
    document: Document,
    model: StageModel,
    base_size: Callable[[Stage], ImageSize | None],
    context: ContextSizer | None = None,
) -> list[StageEstimate]:
    stage_roles = roles(model)
    estimates: list[StageEstimate] = []
    for stage, instructions in zip(model.stages, instructions_by_stage(document, model), strict=True):
        below = estimates[stage.base_stage] if stage.base_stage is not None else None
        role = stage_roles[stage.index]
        estimates.append(_estimate(model, stage, role, below, base_size, context, instructions))
    return estimates


def estimate_stage(
    document: Document,
    model: StageModel,
    index: int,
    base_size: Callable[[Stage], ImageSize | None],
    context: ContextSizer | None = None,
) -> StageEstimate:
    """``estimate_stages(...)[index]``, working out only the stage and those it is built on (a hover
    asks for one stage: a file of thousands of stages need not be read whole at every keystroke)."""
    chain = []
    current: int | None = index
    while current is not None:  # a base stage is always an earlier one
        chain.append(model.stages[current])
        current = model.stages[current].base_stage
    final = len(model.stages) - 1
    needed = model.needed_for(final)
    below: StageEstimate | None = None
    for stage in reversed(chain):
        role = _role(stage.index, final, needed)
        below = _estimate(model, stage, role, below, base_size, context, stage_instructions(document, stage))
    assert below is not None
    return below


def _estimate(
    model: StageModel,
    stage: Stage,
    role: Role,
    below: StageEstimate | None,
    base_size: Callable[[Stage], ImageSize | None],
    context: ContextSizer | None,
    instructions: list[tuple[int, Instruction]],
) -> StageEstimate:
    """One stage's estimate; ``below``: that of its base stage, if it is built on one."""
    estimate = StageEstimate(stage, role, None)
    if below is not None:
        estimate.parts.append(Part(f"stage {below.stage.label}", below.total))
    elif stage.is_scratch:
        estimate.parts.append(Part("empty base image (scratch)", 0))
    else:
        figure = base_size(stage)
        estimate.base = figure
        size = figure.best_bytes if figure else None
        estimate.parts.append(Part(f"base {stage.expanded_base.text}", size))
    for _, node in instructions:
        estimate.parts += _added_by(node, model, context)
    return estimate


def compare(estimates: list[StageEstimate]) -> Comparison | None:
    """Final image against a single-stage build on the heaviest builder (None if not multi-stage)."""
    if len(estimates) < 2:
        return None
    final = estimates[-1]
    builders = [e for e in estimates[:-1] if e.role is Role.BUILD and e.total is not None]
    if final.total is None or not builders:
        return None
    heaviest = max(builders, key=lambda e: e.total or 0)
    added = sum(part.size or 0 for part in final.parts[1:] if part.kind is not PartKind.FROM_STAGE)
    single = (heaviest.total or 0) + added
    if single <= final.total:
        return None
    if final.unknown_parts:
        return PartialComparison(final.total, single, heaviest)
    return Comparison(final.total, single, heaviest)


def _added_by(node: Instruction, model: StageModel, context: ContextSizer | None) -> list[Part]:
    if node.cmd not in ("COPY", "ADD"):
        return []
    source_flag = node.flag("from")
    if source_flag is not None and source_flag.value is not None:
        target = model.resolve(source_flag.value, RefKind.COPY)
        copied = " ".join(node.value[:-1])
        if target is not None:
            label = model.stages[target].label
            return [Part(f"from stage {label}: {copied}", None, PartKind.FROM_STAGE, label)]
        return [Part(f"from image {source_flag.value}: {copied}", None, PartKind.FROM_IMAGE, source_flag.value)]
    if node.heredocs:
        # surrogatepass: an editor may send a lone surrogate, which strict UTF-8 refuses
        return [
            Part(f"heredoc {doc.name}", len(doc.content.encode("utf-8", "surrogatepass")), PartKind.HEREDOC)
            for doc in node.heredocs
        ]
    sources = list(node.value[:-1])
    label = f"{node.cmd} {' '.join(sources)} from the build context"
    if context is None or not sources:
        return [Part(label, None, PartKind.CONTEXT)]
    if node.cmd == "ADD" and any("://" in source for source in sources):
        return [Part(f"ADD {' '.join(sources)} (downloaded)", None, PartKind.DOWNLOAD)]
    measured = [context.size(source) for source in sources]
    total = None if None in measured else sum(size or 0 for size in measured)
    return [Part(label, total, PartKind.CONTEXT)]
