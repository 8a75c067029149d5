"""What a rule is and what it finds."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from enum import Enum, IntEnum
from typing import TYPE_CHECKING, Protocol, TypeVar

import msgspec

from dockerfile_stages.model.stages import Stage, StageModel, stage_instructions
from dockerfile_stages.sizes.dockerignore import DockerIgnore
from dockerfile_stages.syntax.document import Chunk, Document
from dockerfile_stages.syntax.nodes import Instruction, Span

if TYPE_CHECKING:
    from dockerfile_stages.model.variables import Variables


class Severity(IntEnum):
    HINT = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        aliases = {"information": "info", "warn": "warning", "style": "hint"}
        return cls[aliases.get(text.lower(), text.lower()).upper()]


class Edit(msgspec.Struct, frozen=True):
    span: Span
    text: str


class Fix(msgspec.Struct, frozen=True):
    title: str
    edits: tuple[Edit, ...]
    preferred: bool = False


class Finding(msgspec.Struct, frozen=True):
    rule: str
    severity: Severity
    message: str
    span: Span
    fixes: tuple[Fix, ...] = ()
    unnecessary: bool = False
    related: tuple[tuple[Span, str], ...] = ()


class Scope(Enum):
    """What a rule's findings depend on, which says when they must be worked out again.

    ``run_rules`` with a ``RuleCache`` keeps each scope's results until what they depend on changes:
    instruction findings per chunk of nodes, stage work per stage (``Context.stage_values``),
    graph findings while the stage model is the same object.
    """

    INSTRUCTION = "instruction"  # one instruction: its own lines and the line above it (``check_node``)
    STAGE = "stage"  # a stage's instructions, with what the stages it is built on leave behind
    GRAPH = "graph"  # the stage model alone: stages, references, ARGs before the first FROM
    FILE = "file"  # anything in the file: run every time, so it must stay cheap


T = TypeVar("T")


class Memo(Protocol):
    """Where STAGE and FILE rules keep work for the next run (``rules.cache.RuleCache``)."""

    def stage_values(self, name: str, compute: Callable[[Stage], T], with_bases: bool) -> list[T]: ...

    def stage_memo(self, name: str, stages: Iterable[Stage] | None, compute: Callable[[], T]) -> T: ...

    def instructions_of(self, stage: Stage) -> list[tuple[int, Instruction]]: ...

    def chunk_memo(self, name: str, compute: Callable[[int, Chunk], T]) -> list[tuple[int, T]]: ...


class Context(msgspec.Struct, frozen=True):
    document: Document
    model: StageModel
    targets: tuple[str, ...] = ()  # --target names used in the workspace (Compose, Bake)
    ignore_patterns: tuple[str, ...] | None = None  # the build context's .dockerignore lines (None: not known)
    images: frozenset[str] = frozenset()  # image names known to exist (``golang``, ``alpine``: not typos)
    memo: Memo | None = None  # a RuleCache, during its run
    # The caller's ``Variables`` of this document and model (the editor's), so that the rules do not
    # build the scopes a second time; None: a rule that needs them builds its own.
    variables: Callable[[], Variables] | None = None

    def stage_values(self, name: str, compute: Callable[[Stage], T], *, with_bases: bool = False) -> list[T]:
        """``compute(stage)`` for every stage, in order; each kept for later runs while the stage's lines
        (``with_bases``: and those of the stages it is built on) hold the same nodes and the stage model
        is the same object. For STAGE rules: ``compute`` reads only those lines, the lines before the
        first FROM and the model, and what it gives is not to be changed."""
        if self.memo is None:
            return [compute(stage) for stage in self.model.stages]
        return self.memo.stage_values(name, compute, with_bases)

    def instructions_of(self, stage: Stage) -> list[tuple[int, Instruction]]:
        """``stage_instructions`` of the stage, read once a run for every rule that asks."""
        return stage_instructions(self.document, stage) if self.memo is None else self.memo.instructions_of(stage)

    def stage_memo(self, name: str, stages: Iterable[Stage] | None, compute: Callable[[], T]) -> T:
        """``compute()``, kept for later runs while the lines of ``stages`` (None: of every stage) hold
        the same nodes and the stage model is the same object (no stages: while the model is).
        ``compute`` reads only those lines, the lines before the first FROM and the model; what it
        gives is not to be changed."""
        return compute() if self.memo is None else self.memo.stage_memo(name, stages, compute)

    def chunk_memo(self, name: str, compute: Callable[[int, Chunk], T]) -> list[tuple[int, T]]:
        """``(first line, compute(first line, chunk))`` for every chunk of the document, each kept while
        the chunk is the same object. ``compute`` reads only the chunk's nodes and gives positions
        relative to its first line (the chunk may move). For FILE rules that add up something per node."""
        if self.memo is None:
            return [(start, compute(start, chunk)) for start, chunk in self.document.chunks()]
        return self.memo.chunk_memo(name, compute)


class NodeContext(msgspec.Struct, frozen=True):
    """What an INSTRUCTION rule's ``check_node`` may read besides its node: the node's own lines and
    the node above it (``document.line``, ``document.node_at``), the escape character, the build
    context's .dockerignore. Nothing else: its findings are kept while the node (and the one above
    it) stays the same."""

    document: Document
    dockerignore: DockerIgnore | None = None  # the build context's, when its patterns are known


NodeCheck = Callable[[NodeContext, int, Instruction], Iterable[Finding]]


def _no_file_check(context: Context) -> Iterator[Finding]:
    return iter(())


def has_file_check(rule: Rule) -> bool:
    """Whether the rule's ``check`` does anything (most INSTRUCTION rules have only ``check_node``)."""
    return rule.check is not _no_file_check


class Rule(msgspec.Struct, frozen=True):
    id: str
    name: str
    severity: Severity
    summary: str
    what: str
    why: str
    example: str
    check: Callable[[Context], Iterator[Finding]] = _no_file_check
    # INSTRUCTION rules: the findings of one instruction starting at ``line`` (absolute positions);
    # ``check`` then adds only what is not about one instruction (nothing, for most).
    check_node: NodeCheck | None = None
    scope: Scope = Scope.FILE
    cmds: tuple[str, ...] = ()  # INSTRUCTION rules: the instructions ``check_node`` looks at (none: all)
    peers: tuple[str, ...] = ()  # the matching hadolint / BuildKit check names
    use_instead: str = ""  # the corrected example
    experimental: bool = False  # as in BuildKit: off unless selected by name
    certain_fix: bool = False  # its preferred fix is safe to apply unattended (check --fix)
    fixable: bool = False

    def finding(
        self,
        message: str,
        span: Span,
        fixes: tuple[Fix, ...] = (),
        *,
        severity: Severity | None = None,
        unnecessary: bool = False,
        related: tuple[tuple[Span, str], ...] = (),
    ) -> Finding:
        return Finding(self.id, severity or self.severity, message, span, fixes, unnecessary, related)

    def explain(self) -> str:
        peers = f"\nSame as: {', '.join(self.peers)}" if self.peers else ""
        fix = ("\nQuick fix: yes" if self.fixable else "") + (
            "\nExperimental: runs only when selected" if self.experimental else ""
        )
        return (
            f"{self.id} {self.name} ({self.severity.label}){peers}{fix}\n\n{self.summary}\n\n"
            f"What it does\n  {self.what}\n\nWhy it matters\n  {self.why}\n\nExample\n"
            + "\n".join("  " + line for line in self.example.strip().splitlines())
            + "\n"
            + (
                "\nUse instead\n" + "\n".join("  " + line for line in self.use_instead.strip().splitlines()) + "\n"
                if self.use_instead
                else ""
            )
        )
