"""Rule results kept between runs over the same document, by what each result depends on (``Scope``).

- INSTRUCTION rules run chunk by chunk (see ``syntax.document.Chunk``); a chunk's findings are kept
  while the chunk is the same object, and moved when lines are inserted or removed above it.
- STAGE rules keep what they work out per stage through ``Context.stage_memo``, while the lines of
  the stages asked about hold the same nodes.
- GRAPH rules are run again only when the stage model is a different object (``build_model`` hands
  back the previous one when no FROM, ARG or stage reference changed).
- FILE rules run every time.

A ``RuleCache`` belongs to one document (the language server keeps one per open document); a run
with a fresh one computes everything, and its findings are the same as with a warm one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar, cast

import msgspec
from msgspec.structs import replace

from dockerfile_stages.model.stages import Stage, StageModel, instructions_by_stage, stage_instructions
from dockerfile_stages.rules.base import Context, Finding, NodeCheck, NodeContext, Rule, Scope, has_file_check
from dockerfile_stages.sizes.dockerignore import DockerIgnore
from dockerfile_stages.syntax.document import Chunk, Document, Snapshot, changed_lines
from dockerfile_stages.syntax.nodes import Instruction, Node

T = TypeVar("T")
_MISSING = object()
Found = tuple[Rule, Finding]


def shift_finding(finding: Finding, lines: int) -> Finding:
    """The finding moved down by ``lines`` (its range, its fixes' edits and its related ranges)."""
    return replace(
        finding,
        span=finding.span.shifted(lines),
        fixes=tuple(
            replace(fix, edits=tuple(replace(edit, span=edit.span.shifted(lines)) for edit in fix.edits))
            for fix in finding.fixes
        ),
        related=tuple((span.shifted(lines), text) for span, text in finding.related),
    )


class _ChunkFindings(msgspec.Struct, frozen=True):
    start: int  # the chunk's first line when ``found`` was last placed
    found: tuple[Found, ...]
    owners: tuple[int, ...]  # for each of ``found``, the index of its node in the chunk
    above: Node | None  # the node before the chunk (the same object while the chunk is)

    def moved_to(self, start: int) -> _ChunkFindings:
        lines = start - self.start
        found = tuple((rule, shift_finding(finding, lines)) for rule, finding in self.found)
        return _ChunkFindings(start, found, self.owners, self.above)


# A node's findings from a chunk an edit replaced: (node, the node above it, its first line, findings)
_Reusable = dict[int, tuple[Node, Node | None, int, list[Found]]]


def _reusable(dropped: list[tuple[Chunk, _ChunkFindings]]) -> _Reusable:
    """The findings of each instruction of the replaced chunks, by node, for the nodes the edit kept."""
    reusable: _Reusable = {}
    for chunk, cached in dropped:
        by_index: dict[int, list[Found]] = {}
        for owner, item in zip(cached.owners, cached.found, strict=True):
            by_index.setdefault(owner, []).append(item)
        above, line = cached.above, cached.start
        for index, node in enumerate(chunk.nodes):
            reusable[id(node)] = (node, above, line, by_index.get(index, []))
            above, line = node, line + node.line_count
    return reusable


class _Dispatch:
    """The INSTRUCTION rules to run on each instruction keyword."""

    def __init__(self, rules: list[Rule]) -> None:
        checks = [(rule, rule.check_node) for rule in rules if rule.check_node is not None]
        self.every = tuple((rule, check) for rule, check in checks if not rule.cmds)
        by_cmd: dict[str, list[tuple[Rule, NodeCheck]]] = {}
        for rule in rules:
            for cmd in rule.cmds:
                by_cmd.setdefault(cmd, [])
        for cmd, picked in by_cmd.items():
            picked += [(rule, check) for rule, check in checks if not rule.cmds or cmd in rule.cmds]
        self.by_cmd = {cmd: tuple(picked) for cmd, picked in by_cmd.items()}

    def chunk(
        self, context: NodeContext, start: int, chunk: Chunk, above: Node | None, reusable: _Reusable
    ) -> _ChunkFindings:
        """The chunk's findings; an instruction kept by the edit, under the same node as before, keeps its own."""
        found: list[Found] = []
        owners: list[int] = []
        line = start
        every, by_cmd = self.every, self.by_cmd
        previous = above
        for index, node in enumerate(chunk.nodes):
            if isinstance(node, Instruction):
                old = reusable.get(id(node))
                if old is not None and old[0] is node and old[1] is previous:
                    moved = line - old[2]
                    items = old[3] if not moved else [(rule, shift_finding(f, moved)) for rule, f in old[3]]
                else:
                    items = [
                        (rule, f) for rule, check in by_cmd.get(node.cmd, every) for f in check(context, line, node)
                    ]
                found += items
                owners += [index] * len(items)
            previous = node
            line += node.line_count
        return _ChunkFindings(start, tuple(found), tuple(owners), above)


class _SameRules:
    """Rules compared by identity, to key ``_plan_for``: the key holds them, so an equal key is the
    very same rule objects."""

    __slots__ = ("key", "rules")

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.key = tuple(map(id, rules))

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SameRules) and self.key == other.key


class _Plan:
    """A run's rules by scope, with the INSTRUCTION dispatch and the ``check`` functions that do
    something (most INSTRUCTION rules have none)."""

    def __init__(self, rules: list[Rule]) -> None:
        self.instruction = [rule for rule in rules if rule.scope is Scope.INSTRUCTION]
        self.graph = [rule for rule in rules if rule.scope is Scope.GRAPH]
        self.checks = [(rule, rule.check) for rule in rules if rule.scope is not Scope.GRAPH and has_file_check(rule)]
        self.dispatch = _Dispatch(self.instruction)


@lru_cache(maxsize=16)
def _plan_for(rules: _SameRules) -> _Plan:
    """One ``_Plan`` per set of rules: building it is 0.1 ms, a tenth of a small file's rules,
    and ``check`` starts a new ``RuleCache`` for every file."""
    return _Plan(rules.rules)


Comments = tuple[tuple[int, tuple[str, ...]], ...]


class SuppressionCache:
    """The suppression comments of each chunk, kept while the chunk is the same object."""

    def __init__(self) -> None:
        self._chunks: dict[Chunk, tuple[int, Comments]] = {}

    def comments(
        self, document: Document, read: Callable[[int, Chunk, Document], Comments]
    ) -> list[tuple[int, tuple[str, ...]]]:
        kept: dict[Chunk, tuple[int, Comments]] = {}
        found: list[tuple[int, tuple[str, ...]]] = []
        for start, chunk in document.chunks():
            cached = self._chunks.get(chunk)
            if cached is None:
                cached = (start, read(start, chunk, document))
            elif cached[0] != start:
                cached = (start, tuple((line + start - cached[0], names) for line, names in cached[1]))
            kept[chunk] = cached
            found += cached[1]
        self._chunks = kept
        return found


class _StageWork:
    """What STAGE rules worked out per stage, kept across runs and dropped for the stages an edit
    touched: those whose lines overlap the chunks that changed since the last run, and, when the
    stage model is a new object, those whose record is not the one at the same index before (equal
    records: the same index, lines, base and names; ``build_model`` hands on the record of a FROM
    that did not move). So a FROM made or unmade in the middle of thousands of stages keeps the
    work of the stages above it. Everything is dropped when the edit is above the first FROM, or
    the new model differs in what every stage may read: the global ARGs, the platform. A memo of
    no stage (``()``: the model only) or of every stage (None) goes with any new model.

    A stage worked out again after a new model is compared with what the same FROM node's stage
    had (by value): when equal, the old value is kept, so that the new one dies young, where the
    garbage collector frees it cheaply, rather than setting off its full collections (a walk over
    every object of the process) with thousands of equal lists per edit."""

    def __init__(self) -> None:
        self._model: StageModel | None = None
        self._chunks: Snapshot = ()
        self._values: dict[str, tuple[bool, list[object]]] = {}  # name -> (with bases, value per stage)
        self._memo: dict[tuple[str, tuple[int, ...] | None], object] = {}  # None: every stage
        self.stages: list[Stage] = []
        self._before: dict[str, list[object]] = {}  # the values before this run, by the old index
        self._old_index: list[int | None] = []  # per stage, the index its FROM node had in the old model

    @property
    def model(self) -> StageModel | None:
        return self._model

    def begin(self, document: Document, model: StageModel) -> bool:
        """Ready for a run over ``document``; True when most stages' work is to be done again (a
        quarter of them or more: an edit that moves the stages after it leaves them to do again)."""
        chunks = document.snapshot()
        old_model = self._model
        new_model = model is not old_model
        dirty = self._dirty(model, chunks)
        self._model, self._chunks, self.stages = model, chunks, model.stages
        self._before, self._old_index = {}, []
        if new_model and old_model is not None:
            self._old_index = [old_model.index_of(node) for node in model.from_nodes]
            self._before = {name: values for name, (_, values) in self._values.items()}
        count = len(model.stages)
        if dirty is None:
            self._values, self._memo = {}, {}
            return True
        if new_model:
            self._memo = {key: value for key, value in self._memo.items() if key[1]}
        if not dirty and all(len(values) == count for _, values in self._values.values()):
            return False
        with_bases = set(dirty)
        for stage in model.stages:  # a base stage is always an earlier one
            if stage.base_stage in with_bases:
                with_bases.add(stage.index)
        kept: dict[str, tuple[bool, list[object]]] = {}
        for name, (uses_bases, old) in self._values.items():
            values = (old + [_MISSING] * count)[:count] if len(old) != count else list(old)
            for index in with_bases if uses_bases else dirty:
                if index < count:
                    values[index] = _MISSING
            kept[name] = (uses_bases, values)
        self._values = kept
        self._memo = {
            key: value for key, value in self._memo.items() if key[1] is not None and not dirty.intersection(key[1])
        }
        return len(with_bases) * 4 >= count

    def _dirty(self, model: StageModel, chunks: Snapshot) -> set[int] | None:
        """The stages whose lines may hold other nodes than at the last run, or whose record changed
        (None: all of them)."""
        dirty: set[int] = set()
        if model is not self._model:
            changed = _changed_stages(self._model, model)
            if changed is None:
                return None
            dirty = changed
        change = changed_lines(self._chunks, chunks, by_value=True)  # stage rules read nodes, not lines
        if change is None:
            return dirty
        first, last, _ = change
        last = max(first, last)
        low, high = model.stage_at(first), model.stage_at(last)
        if low is None or high is None:
            return None  # the global ARGs and what else comes before the first FROM may have changed
        return dirty.union(range(low.index, high.index + 1))

    def values(self, name: str, compute: Callable[[Stage], T], with_bases: bool) -> list[T]:
        entry = self._values.get(name)
        if entry is None or len(entry[1]) != len(self.stages):
            entry = self._values[name] = (with_bases, [_MISSING] * len(self.stages))
        values = entry[1]
        before = self._before.get(name)
        for index, value in enumerate(values):
            if value is _MISSING:
                value = compute(self.stages[index])
                if before is not None:
                    value = _same_value(before, self._old_index[index], value)
                values[index] = value
        return cast(list[T], values)

    def memo(self, name: str, stages: Iterable[Stage] | None, compute: Callable[[], T]) -> T:
        key = (name, None if stages is None else tuple(stage.index for stage in stages))
        value = self._memo.get(key, _MISSING)
        if value is _MISSING:
            value = self._memo[key] = compute()
        return cast(T, value)


def _same_value(before: list[object], index: int | None, value: object) -> object:
    """The old value at ``index`` when it equals ``value`` (which the caller then drops), else ``value``."""
    if index is None or index >= len(before):
        return value
    old = before[index]
    return old if old is not _MISSING and type(old) is type(value) and old == value else value


def _changed_stages(old: StageModel | None, new: StageModel) -> set[int] | None:
    """The stages of ``new`` whose record is not the one ``old`` had at the same index (those
    beyond ``old``'s stages included); None when every stage may see a change (what a stage's
    rules read beyond its own lines and the records of its stage and those it is built on: the
    global ARGs, the platform). A stage's record holds its index, lines and base stage, so a
    stage that moved or whose base was renamed is among those changed."""
    if old is None or old.platform != new.platform or old.meta_args != new.meta_args:
        return None
    # Compared by value where not the same object: the parser reads the node above an edit again.
    pairs = enumerate(zip(old.stages, new.stages, strict=False))
    changed = {index for index, (was, now) in pairs if was is not now and was != now}
    return changed.union(range(len(old.stages), len(new.stages)))


class RuleCache:
    """What the rules found last time, kept while what it depends on is unchanged."""

    def __init__(self) -> None:
        self._node_key: object = None
        self._dispatch = _Dispatch([])
        self._chunks: dict[Chunk, _ChunkFindings] = {}
        self._graph_key: tuple[object, ...] | None = None
        self._graph: dict[str, list[Finding]] = {}
        self._stage_work = _StageWork()
        self._document: Document | None = None
        self.suppressions = SuppressionCache()
        self._chunk_values: dict[str, dict[Chunk, object]] = {}
        self._chunk_values_used: dict[str, dict[Chunk, object]] = {}
        self._instructions: dict[int, list[tuple[int, Instruction]]] = {}  # this run's, by stage index
        self._most_stages = False  # this run works out most stages: their instructions read in one walk

    def run(self, context: Context, rules: list[Rule]) -> list[Found]:
        """Every finding of ``rules`` (unfiltered), grouped by rule scope."""
        self._chunk_values_used, self._instructions = {}, {}
        self._document = context.document
        self._most_stages = self._stage_work.begin(context.document, context.model)
        context = replace(context, memo=self)
        plan = _plan_for(_SameRules(rules))
        found = self._instruction_findings(context, plan)
        found += self._graph_findings(context, plan.graph)
        for rule, check in plan.checks:
            for finding in check(context):
                found.append((rule, finding))
        self._chunk_values = self._chunk_values_used  # what this run used: never more than the file
        self._instructions = {}  # a list per stage: freed now, not kept alive until the next edit
        return found

    def _instruction_findings(self, context: Context, plan: _Plan) -> list[Found]:
        document = context.document
        key = (tuple(rule.id for rule in plan.instruction), document.escape, context.ignore_patterns)
        if key != self._node_key:
            self._node_key, self._dispatch, self._chunks = key, plan.dispatch, {}
        patterns = context.ignore_patterns
        node_context = NodeContext(document, DockerIgnore(list(patterns)) if patterns else None)
        chunks = list(document.chunks())
        old = self._chunks
        reusable: _Reusable = {}
        if any(chunk not in old for _, chunk in chunks):
            alive = {chunk for _, chunk in chunks}
            reusable = _reusable([(chunk, cached) for chunk, cached in old.items() if chunk not in alive])
        kept: dict[Chunk, _ChunkFindings] = {}
        found: list[Found] = []
        above: Node | None = None
        for start, chunk in chunks:
            cached = old.get(chunk)
            if cached is None:
                cached = self._dispatch.chunk(node_context, start, chunk, above, reusable)
            elif cached.start != start:
                cached = cached.moved_to(start)
            kept[chunk] = cached
            found += cached.found
            above = chunk.nodes[-1] if chunk.nodes else above
        self._chunks = kept
        return found

    def _graph_findings(self, context: Context, rules: list[Rule]) -> list[Found]:
        key = (context.model, context.targets, context.images, tuple(rule.id for rule in rules))
        if self._graph_key is None or not _same(key, self._graph_key):
            self._graph = {rule.id: list(rule.check(context)) for rule in rules}
            self._graph_key = key
        return [(rule, finding) for rule in rules for finding in self._graph[rule.id]]

    def stage_values(self, name: str, compute: Callable[[Stage], T], with_bases: bool) -> list[T]:
        return self._stage_work.values(name, compute, with_bases)

    def stage_memo(self, name: str, stages: Iterable[Stage] | None, compute: Callable[[], T]) -> T:
        return self._stage_work.memo(name, stages, compute)

    def instructions_of(self, stage: Stage) -> list[tuple[int, Instruction]]:
        found = self._instructions.get(stage.index)
        if found is None:
            document, model = self._document, self._stage_work.model
            assert document is not None and model is not None  # set by ``run``, the only caller of rules that ask
            if self._most_stages and not self._instructions:
                # One walk instead of a lookup per stage (at 6,666 stages: 3 of the rules' 80 ms)
                self._instructions = dict(enumerate(instructions_by_stage(document, model)))
                return self._instructions[stage.index]
            found = self._instructions[stage.index] = stage_instructions(document, stage)
        return found

    def chunk_memo(self, name: str, compute: Callable[[int, Chunk], T]) -> list[tuple[int, T]]:
        assert self._document is not None  # set by ``run``, the only caller of rules that ask
        old = self._chunk_values.get(name, {})
        kept = self._chunk_values_used.setdefault(name, {})
        found = []
        for start, chunk in self._document.chunks():
            value = kept.get(chunk, _MISSING)
            if value is _MISSING:
                value = old.get(chunk, _MISSING)
                if value is _MISSING:
                    value = compute(start, chunk)
                kept[chunk] = value
            found.append((start, cast(T, value)))
        return found


def _same(key: tuple[object, ...], other: tuple[object, ...]) -> bool:
    return key[0] is other[0] and key[1:] == other[1:]
