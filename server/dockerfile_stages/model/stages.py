"""The stage model: what a multi-stage Dockerfile defines and how its stages refer to each other."""

from __future__ import annotations

import re
from bisect import bisect_right
from enum import Enum
from functools import cached_property

import msgspec
from msgspec.structs import replace

from dockerfile_stages.model.args import PLATFORM_ARGS, Expansion, expand, platform_args
from dockerfile_stages.model.image import ImageRef, looks_like_image, parse_image_ref
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Flag, Instruction, Node, Pos, Segments, Span, Word, logical_span

RESERVED_STAGE_NAMES = ("scratch", "context")
STAGE_NAME = re.compile(r"^[a-z][a-z0-9\-_.]*$", re.IGNORECASE)
_MODEL_KEY = "model:instructions"
_MODEL_COMMANDS = frozenset({"FROM", "ARG", "ONBUILD"})
_STAGE_FLAGS = frozenset({"from", "mount"})  # flags that can name a stage
_new = tuple.__new__  # a named tuple without its Python ``__new__`` (see ``syntax.nodes``)


class MetaArg(msgspec.Struct, frozen=True):
    """An ARG before the first FROM: usable in FROM lines."""

    name: str
    default: str | None
    line: int  # the ARG instruction's first line
    word: Word | None  # the NAME[=default] word, None when it was not written as one word
    instruction: Instruction

    @property
    def span(self) -> Span:
        """The NAME[=default] word (the whole instruction if it is not one word); computed when
        asked for, as an ARG can declare a million names."""
        return (self.word.span if self.word is not None else self.instruction.span).shifted(self.line)


class Stage(msgspec.Struct, frozen=True):
    index: int
    name: str | None  # as written
    name_span: Span | None
    as_span: Span | None  # the "AS" keyword
    keyword_span: Span  # the FROM keyword
    base: str  # as written
    base_span: Span | None
    expanded_base: Expansion
    base_stage: int | None  # index of the earlier stage this one builds on
    image: ImageRef | None  # the base image when it is one (None for a stage, scratch, unresolved)
    platform: str | None
    platform_span: Span | None
    start_line: int
    end_line: int
    extra_span: Span | None = None  # the words after the image (and name): BuildKit rejects them

    @property
    def key(self) -> str | None:
        """The name as BuildKit matches it (case-insensitively)."""
        return self.name.lower() if self.name else None

    @property
    def label(self) -> str:
        return self.name or str(self.index)

    @property
    def is_scratch(self) -> bool:
        return self.expanded_base.text.lower() == "scratch"

    @property
    def range(self) -> Span:
        return Span(self.keyword_span.start, Pos(self.end_line, 10**9))

    def platform_or(self, default: str) -> str:
        """The stage's ``--platform`` when it needs no build-time variable, else ``default``."""
        if self.platform and "$" not in self.platform:
            return self.platform
        return default


class RefKind(str, Enum):
    """Where a stage is named."""

    COPY = "copy"  # COPY/ADD --from=
    MOUNT = "mount"  # RUN --mount=...,from=
    FROM = "from"  # FROM <stage>
    ONBUILD = "onbuild"  # inside ONBUILD: resolved in the build that uses the image


class StageRef(msgspec.Struct, frozen=True):
    """A place that names a stage (or an image in a stage's place)."""

    kind: RefKind
    text: str  # as written
    span: Span  # the value's range
    stage: int  # the stage the reference appears in
    target: int | None  # the stage it names, if it names one
    instruction_span: Span

    @property
    def is_image(self) -> bool:
        return self.target is None


# A stage's index by the id of its FROM node (``StageModel.from_nodes`` holds the node, which keeps
# the id from being reused): what the next build of the model after an edit can take over (see
# ``_Builder.reused``). Indexes, not (node, stage) pairs: ints are no work for the garbage collector,
# while a pair per stage per build, surviving until the next edit, set off its full collections.
StagesByNode = dict[int, int]


class StageModel:
    """Stages (built eagerly: completion needs them on every keystroke) and references (built on
    first use). ``key`` identifies the inputs, so an edit that touches none of them reuses the model.
    ``from_nodes`` (each stage's FROM node), ``by_node`` and ``values`` (the global ARGs' values
    FROM lines expand with) let the next build take over the stages an edit did not touch."""

    def __init__(
        self,
        stages: list[Stage],
        meta_args: list[MetaArg],
        platform: str,
        key: object = None,
        ref_nodes: list[tuple[int, Instruction]] | None = None,
        by_key: dict[str, int] | None = None,
        by_node: StagesByNode | None = None,
        values: dict[str, str | None] | None = None,
        from_nodes: list[Instruction] | None = None,
    ) -> None:
        self.stages = stages
        self.meta_args = meta_args
        self.platform = platform
        self.key = key
        self._ref_nodes = ref_nodes or []
        self._by_key = by_key if by_key is not None else {}
        self._starts = [stage.start_line for stage in stages]
        self.by_node = by_node if by_node is not None else {}
        self.values = values
        self.from_nodes = from_nodes if from_nodes is not None else []

    def index_of(self, node: Instruction) -> int | None:
        """The index of the stage whose FROM is ``node`` (this very object), if there is one."""
        index = self.by_node.get(id(node))
        return index if index is not None and self.from_nodes[index] is node else None

    @cached_property
    def refs(self) -> list[StageRef]:
        """Every stage reference, in file order."""
        refs = [ref for stage in self.stages for ref in self._base_refs(stage)]
        for line, node in self._ref_nodes:
            stage = self.stage_at(line)
            if stage is None:
                continue
            if node.cmd == "ONBUILD":
                if node.sub is not None:
                    refs += _node_refs(line, node.sub, RefKind.ONBUILD, stage.index, node, self)
            else:
                kind = RefKind.MOUNT if node.cmd == "RUN" else RefKind.COPY
                refs += _node_refs(line, node, kind, stage.index, node, self)
        refs.sort(key=lambda ref: (ref.span.start.line, ref.span.start.col))
        return refs

    def _base_refs(self, stage: Stage) -> list[StageRef]:
        """``FROM <stage>`` as a reference; a later stage's name too (an error rules report)."""
        target = stage.base_stage
        if target is None and stage.base and not looks_like_image(stage.base) and "$" not in stage.base:
            later = self._by_key.get(stage.base.lower())
            target = later if later is not None and later > stage.index else None
        if target is None or stage.base_span is None:
            return []
        return [StageRef(RefKind.FROM, stage.base, stage.base_span, stage.index, target, stage.keyword_span)]

    @property
    def names(self) -> dict[str, int]:
        """Each stage name (lower-cased) to the first stage with it: what ``--from`` values resolve to."""
        return self._by_key

    def resolve(self, text: str, kind: RefKind) -> int | None:
        """The stage a ``--from`` value names, as BuildKit resolves it (name first, then index)."""
        target = self._by_key.get(text.lower())
        if target is None and text.isdigit() and kind is not RefKind.FROM and int(text) < len(self.stages):
            target = int(text)
        return target

    def stage_named(self, name: str) -> Stage | None:
        """The first stage with this name (or index, as ``--from=0`` allows)."""
        index = self._by_key.get(name.lower())
        if index is None and name.isdigit() and int(name) < len(self.stages):
            index = int(name)
        return self.stages[index] if index is not None else None

    def stage_at(self, line: int) -> Stage | None:
        """The stage whose lines include ``line`` (None before the first FROM)."""
        position = bisect_right(self._starts, line) - 1
        return self.stages[position] if position >= 0 else None

    @cached_property
    def dependencies(self) -> dict[int, set[int]]:
        """Stage index to the stages its build uses (base stage, COPY --from, RUN --mount from)."""
        deps: dict[int, set[int]] = {stage.index: set() for stage in self.stages}
        for stage in self.stages:
            if stage.base_stage is not None:
                deps[stage.index].add(stage.base_stage)
        for ref in self.refs:
            if ref.target is not None and ref.kind in (RefKind.COPY, RefKind.MOUNT):
                deps[ref.stage].add(ref.target)
        return deps

    def needed_for(self, target: int) -> set[int]:
        """Every stage a build of ``target`` needs, ``target`` included."""
        needed: set[int] = set()
        todo = [target]
        while todo:
            index = todo.pop()
            if index in needed or index not in self.dependencies:
                continue
            needed.add(index)
            todo.extend(self.dependencies[index])
        return needed

    def references_to(self, index: int) -> list[StageRef]:
        return [ref for ref in self.refs if ref.target == index]


def _instruction(node: Node) -> tuple[int, Instruction | None] | None:
    """Per instruction: how many lines it takes (where stages end) and the node if the model reads
    it; None for comments and blank lines. (Run on every node of each chunk an edit replaces.)"""
    if not isinstance(node, Instruction):
        return None
    if node.cmd in _MODEL_COMMANDS:
        return node.line_count, node
    for flag in node.flags:
        if flag.name.lower() in _STAGE_FLAGS:
            return node.line_count, node
    return node.line_count, None


def _shift(span: Span, line: int) -> Span:
    return span.shifted(line)


def _placed(segments: Segments, start: int, end: int, line: int) -> Span:
    """``logical_span(segments, start, end).shifted(line)``, made at once where the instruction is
    on one line (a FROM nearly always): half the tuples, a fifth of a stage record's cost."""
    if len(segments) != 1 or end <= start:
        return logical_span(segments, start, end).shifted(line)
    _, piece_line, col = segments[0]
    at = line + piece_line
    return _new(Span, (_new(Pos, (at, col + start)), _new(Pos, (at, col + end))))


def _word_span(word: Word, line: int) -> Span:
    return _placed(word.segments, word.start, word.end, line)


class MountField(msgspec.Struct, frozen=True):
    """One ``key=value`` field of a ``--mount`` flag."""

    key: str  # lower-cased
    value: str
    assigned: bool  # written ``key=value`` (not a bare word)
    span: Span  # the value's range in the node (the whole flag value when it spans lines)


def mount_fields(flag: Flag) -> list[MountField]:
    """The fields of a ``--mount`` value, split as BuildKit's CSV reading splits them."""
    value_span = flag.value_span
    if flag.value is None or value_span is None:
        return []
    value = flag.value
    if '"' not in value:
        fields = value.split(",")  # what BuildKit's CSV reading gives when nothing is quoted
    else:
        import csv  # rare (a quoted mount value): not imported at every start

        try:
            fields = next(csv.reader([value]))
        except (csv.Error, StopIteration):
            fields = value.split(",")
    start = value_span.start
    one_line = start.line == value_span.end.line
    found = []
    offset = 0
    for item in fields:
        at = value.find(item, offset)
        offset = at + len(item) if at >= 0 else offset
        key, eq, val = item.partition("=")
        span = value_span
        if one_line and at >= 0:
            col = start.col + at + len(key) + len(eq)
            span = _new(Span, (_new(Pos, (start.line, col)), _new(Pos, (start.line, col + len(val)))))
        found.append(MountField(key.strip().lower(), val, bool(eq), span))
    return found


def _mount_from(flag: Flag) -> tuple[str, Span] | None:
    """The ``from=`` field of a ``--mount`` flag and its range, if it has one."""
    if flag.value is None or "from" not in flag.value.lower():
        return None  # most mounts (caches, binds of the context): no need to split the fields
    for field in mount_fields(flag):
        if field.assigned and field.key == "from":
            return field.value, field.span
    return None


class _Builder:
    def __init__(self, platform: str, previous: StageModel | None = None) -> None:
        self.platform = platform
        self.stages: list[Stage] = []
        self.meta_args: list[MetaArg] = []
        self.values: dict[str, str | None] = dict(platform_args(platform))
        self.first_by_key: dict[str, int] = {}
        self.by_node: StagesByNode = {}
        self.from_nodes: list[Instruction] = []
        self._previous = previous
        self._reusable: StageModel | None = None  # known at the first FROM, once the global ARGs are read
        self._reuse_checked = False

    def arg(self, line: int, node: Instruction) -> None:
        if self.stages:
            return
        words = node.words
        for position, item in enumerate(node.value):
            name, eq, default = item.partition("=")
            default_value = _unquote(default) if eq else None
            word = words[position] if position < len(words) and words[position].text == item else None
            self.meta_args.append(MetaArg(name, default_value, line, word, node))
            if name not in PLATFORM_ARGS or eq:
                self.values[name] = default_value

    def from_(self, line: int, node: Instruction, end_line: int) -> None:
        if not self._reuse_checked:
            self._reuse_checked = True
            previous = self._previous
            same = previous is not None and previous.platform == self.platform and previous.values == self.values
            self._reusable = previous if same else None
        reusable = self._reusable
        old = reusable.index_of(node) if reusable is not None else None
        stage = self.reused(reusable.stages[old], line, end_line) if reusable is not None and old is not None else None
        if stage is None:
            stage = self._built(line, node, end_line)
        self.by_node[id(node)] = len(self.stages)
        self.stages.append(stage)
        self.from_nodes.append(node)
        if stage.key and stage.key not in self.first_by_key:
            self.first_by_key[stage.key] = stage.index

    def reused(self, old: Stage, line: int, end_line: int) -> Stage | None:
        """The record of a FROM node the edit kept (same node object, same global ARG values), as
        it is when nothing moved, or moved to its new lines and index: what ``_built`` would give,
        at the cost of a few comparisons. None when the stage's end or its base stage changed kind."""
        delta = line - old.start_line
        if end_line - old.end_line != delta:
            return None  # the instructions after the FROM changed: the end is not just moved
        base_stage = self.first_by_key.get(old.expanded_base.text.lower())
        if (base_stage is None) != (old.base_stage is None):
            return None  # a stage now named as the base (or no longer): the image changes too
        index = len(self.stages)
        if not delta and index == old.index and base_stage == old.base_stage:
            return old
        return _moved(old, index, base_stage, delta)

    def _built(self, line: int, node: Instruction, end_line: int) -> Stage:
        words = node.words
        base_word = words[0] if words else None
        name_word = words[2] if len(words) >= 3 and words[1].text.lower() == "as" else None
        base = base_word.text if base_word else ""
        expansion = expand(base, self.values)
        image = None
        key = expansion.text.lower()
        base_stage = self.first_by_key.get(key)
        if base_stage is None and expansion.complete and key != "scratch":
            image = parse_image_ref(expansion.text)
        platform_flag = node.flag("platform")
        stage = Stage(
            index=len(self.stages),
            name=name_word.text if name_word else None,
            name_span=_word_span(name_word, line) if name_word else None,
            as_span=_word_span(words[1], line) if name_word else None,
            keyword_span=_placed(node.segments, node.keyword_start, node.keyword_start + len(node.keyword), line),
            base=base,
            base_span=_word_span(base_word, line) if base_word else None,
            expanded_base=expansion,
            base_stage=base_stage,
            image=image,
            platform=platform_flag.value if platform_flag else None,
            platform_span=_shift(platform_flag.value_span, line)
            if platform_flag and platform_flag.value_span
            else None,
            start_line=line,
            end_line=end_line,
            extra_span=_extra_span(words[3 if name_word else 1 :], line),
        )
        return stage


def _moved(stage: Stage, index: int, base_stage: int | None, lines: int) -> Stage:
    """``stage`` at another index (with its base stage's new index), ``lines`` further down."""
    if not lines:
        return replace(stage, index=index, base_stage=base_stage)
    return replace(
        stage,
        index=index,
        base_stage=base_stage,
        name_span=_shift_optional(stage.name_span, lines),
        as_span=_shift_optional(stage.as_span, lines),
        keyword_span=stage.keyword_span.shifted(lines),
        base_span=_shift_optional(stage.base_span, lines),
        platform_span=_shift_optional(stage.platform_span, lines),
        start_line=stage.start_line + lines,
        end_line=stage.end_line + lines,
        extra_span=_shift_optional(stage.extra_span, lines),
    )


def _shift_optional(span: Span | None, lines: int) -> Span | None:
    return span.shifted(lines) if span is not None else None


def _extra_span(extra: tuple[Word, ...], line: int) -> Span | None:
    return Span(extra[0].span.start, extra[-1].span.end).shifted(line) if extra else None


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _node_refs(
    line: int, node: Instruction, kind: RefKind, stage: int, outer: Instruction, model: StageModel
) -> list[StageRef]:
    instruction_span: Span | None = None
    refs = []
    for flag in node.flags:
        name = flag.name.lower()
        found: tuple[str, Span] | None = None
        ref_kind = kind
        if name == "from" and flag.value is not None and flag.equals_at >= 0:
            found = flag.value, _placed(flag.segments, flag.equals_at + 1, flag.end, line)
        elif name == "mount":
            found = _mount_from(flag)
            if found is not None:
                found = found[0], found[1].shifted(line)
            ref_kind = RefKind.MOUNT if kind is not RefKind.ONBUILD else kind
        if found is None:
            continue
        text, span = found
        instruction_span = instruction_span or _shift(outer.span, line)
        refs.append(StageRef(ref_kind, text, span, stage, model.resolve(text, ref_kind), instruction_span))
    return refs


def build_model(document: Document, platform: str = "linux/amd64", previous: StageModel | None = None) -> StageModel:
    """The stage model of ``document``.

    Cheap after an edit: the document caches the relevant instructions per chunk, and when they
    and the stage boundaries are unchanged, ``previous`` is returned as it is. Otherwise each FROM
    node the edit kept takes over its stage record from ``previous`` (the same object when it did
    not move: ``rules.cache`` keeps the stage's rule results on that), and only the FROM lines the
    edit touched are read again.
    """
    # Every instruction's extent, and the node where the model reads it: that fixes the stages and
    # their ends. Unchanged chunks give the same list objects, which compare in one step; an edited
    # chunk compares item by item (a few dozen), so an edit that changes no instruction the model
    # reads and moves no instruction keeps the model, and only then are the stage ends computed.
    chunks = document.select_chunks(_MODEL_KEY, _instruction)
    key = (chunks, platform)
    if previous is not None and previous.key == key:
        return previous
    found, ends = _read(chunks)
    builder = _Builder(platform, previous)
    ref_nodes = []
    for line, node in found:
        cmd = node.cmd
        if cmd == "FROM":
            builder.from_(line, node, ends[len(builder.stages)])
        elif cmd == "ARG":
            builder.arg(line, node)
        else:
            ref_nodes.append((line, node))
    return StageModel(
        builder.stages,
        builder.meta_args,
        platform,
        key,
        ref_nodes,
        builder.first_by_key,
        builder.by_node,
        builder.values,
        builder.from_nodes,
    )


def _read(
    chunks: list[tuple[int, list[tuple[int, tuple[int, Instruction | None]]]]],
) -> tuple[list[tuple[int, Instruction]], list[int]]:
    """The instructions the model reads, with their first lines, and the last line of each stage's
    last instruction (as BuildKit reports a stage's end): one pass over the selection, which holds
    every instruction's extent."""
    found: list[tuple[int, Instruction]] = []
    ends: list[int] = []
    last = -1  # the last line of the latest instruction
    froms = 0
    for start, items in chunks:
        for offset, (line_count, node) in items:
            line = start + offset
            if node is not None:
                if node.cmd == "FROM":
                    if froms:
                        ends.append(last)  # the stage before ends with the instruction before this FROM
                    froms += 1
                found.append((line, node))
            last = line + line_count - 1
    if froms:
        ends.append(last)
    return found, ends


def stage_nodes(document: Document, stage: Stage) -> list[tuple[int, Node]]:
    """The nodes of a stage after its FROM (instructions, comments, blank lines), with their first lines."""
    nodes = document.nodes_from(stage.start_line, stage.end_line + 1)
    next(nodes, None)  # the FROM
    return list(nodes)


def stage_instructions(document: Document, stage: Stage) -> list[tuple[int, Instruction]]:
    """The instructions of a stage after its FROM, with their first lines."""
    return [(line, node) for line, node in stage_nodes(document, stage) if isinstance(node, Instruction)]


def instructions_by_stage(document: Document, model: StageModel) -> list[list[tuple[int, Instruction]]]:
    """``stage_instructions`` of every stage, in one walk over the nodes (not a lookup per stage)."""
    found: list[list[tuple[int, Instruction]]] = [[] for _ in model.stages]
    if not model.stages:
        return found
    stages = model.stages
    position = 0
    stage = stages[0]
    for line, node in document.nodes_from(stage.start_line, stages[-1].end_line + 1):
        while line > stage.end_line and position + 1 < len(stages):
            position += 1
            stage = stages[position]
        if stage.start_line < line <= stage.end_line and isinstance(node, Instruction):
            found[position].append((line, node))
    return found
