"""ARG and ENV variables as BuildKit scopes them: definitions, uses, and the value at each point.

The rules (BuildKit's Dockerfile frontend):

- ARGs before the first FROM form the global scope, with the automatic platform ARGs. Only FROM
  lines (the image and ``--platform``) see it. Each global ARG's default sees the ones before it.
- Inside a stage nothing global is visible until an ARG redeclares the name; an ARG without a
  default then takes the global value (or the platform's, for ``TARGETARCH`` and friends).
- A stage built on an earlier stage starts with that stage's ARGs and ENVs; one built on an image
  starts empty here (the image's own ENV is not known to the model: ``Variables.image_based``).
- An instruction's values are expanded with the variables as they were before that instruction
  (``ENV a=1 b=$a`` gives b the old a). An ENV of a name wins over an ARG of it, whatever the order.
- BuildKit substitutes variables itself in ADD, COPY, ENV, EXPOSE, FROM, LABEL, STOPSIGNAL, USER,
  VOLUME, WORKDIR, ARG defaults and flag values; in RUN the shell does (ARGs and ENVs are in its
  environment); CMD, ENTRYPOINT and HEALTHCHECK run in the container, which has the ENVs only.
- ONBUILD instructions run in another build: nothing in them defines or uses a variable here.

Pure: built from the tree and the stage model. Positions are absolute (line, code-point column).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from enum import Enum
from functools import cached_property
from typing import Protocol

import msgspec

from dockerfile_stages.model.args import platform_args
from dockerfile_stages.model.catalog import PLATFORM_ARGS, PROXY_ARGS, BuiltinArg, instruction
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction, Node, Pos, Span, logical_span


class VarKind(Enum):
    ARG = "ARG"
    ENV = "ENV"
    PLATFORM = "automatic platform ARG"
    PROXY = "predefined proxy ARG"


class UseContext(Enum):
    """Who substitutes the variable, which decides what it can see."""

    BUILD = "build"  # BuildKit, while reading the instruction
    SHELL = "shell"  # the shell of a RUN: ARGs and ENVs
    RUNTIME = "runtime"  # the container (CMD, ENTRYPOINT, HEALTHCHECK): ENVs only


class Definition(msgspec.Struct, frozen=True, eq=False):
    """A place a variable gets a value: an ARG or ENV name, or a variable BuildKit predefines.

    Compared by identity: two ``ARG X`` lines are two definitions.
    """

    name: str
    kind: VarKind
    stage: int | None  # None: the global scope (before the first FROM), or built in
    line: int  # first line of the instruction; -1 for a predefined variable
    span: Span | None  # the name as written; None for a predefined variable
    default: str | None  # the text after "=" as written; None when there is none
    value: str | None  # the value here (default expanded, or inherited); None when unknown or unset
    inherits: Definition | None = None  # what an ARG without a default takes its value from
    unresolved: tuple[str, ...] = ()  # variables in the default that had no value
    builtin: BuiltinArg | None = None

    @property
    def predefined(self) -> bool:
        return self.kind in (VarKind.PLATFORM, VarKind.PROXY)

    @property
    def overridable(self) -> bool:
        """``docker build --build-arg`` can change the value."""
        return self.kind is not VarKind.ENV

    @property
    def is_global(self) -> bool:
        return self.stage is None


class Use(msgspec.Struct, frozen=True):
    """``$NAME`` or ``${NAME...}`` somewhere in an instruction."""

    name: str
    span: Span  # the name
    whole: Span  # from "$" to the end of the reference
    stage: int | None  # None: a global ARG default or a FROM line
    line: int  # first line of the instruction holding it
    cmd: str
    context: UseContext
    modifier: str | None  # ":-", "-", ":+", "+", ":?", "?", "#", "##", "%", "%%", "/", "//"
    binding: Definition | None  # what the name resolves to there; None: undefined (or set by the image)


class _RawRef(msgspec.Struct, frozen=True):
    """A reference found in text: offsets into that text."""

    name: str
    start: int  # the "$"
    end: int
    name_start: int
    modifier: str | None


class _RawDef(msgspec.Struct, frozen=True):
    name: str
    kind: VarKind
    span: Span  # relative to the instruction's first line
    default: str | None


class _RawUse(msgspec.Struct, frozen=True):
    ref: _RawRef
    span: Span  # the name, relative
    whole: Span  # relative
    context: UseContext


_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | frozenset("0123456789")
_MODIFIERS = (":-", ":+", ":?", "##", "%%", "//", "-", "+", "?", "#", "%", "/")
_SHELL_CMDS = frozenset({"RUN"})
_RUNTIME_CMDS = frozenset({"CMD", "ENTRYPOINT", "HEALTHCHECK"})
_EXPANDED_FLAG_CMDS = frozenset({"ADD", "COPY", "FROM", "RUN"})


# -- scanning text for references ------------------------------------------------------------


class _Braces:
    """Where each ``${`` of one text is closed, found in one pass over the text for all of them.

    A scan from every ``${`` to its ``}`` would read the nested rest again at each level
    (quadratic: ``"${A:-" * 10000 + "}"`` took minutes). The scan counts every ``${`` as an opening
    and skips the character after ``escape``; quotes do not count.
    """

    __slots__ = ("_closes", "_escape", "_text")

    def __init__(self, text: str, escape: str) -> None:
        self._text = text
        self._escape = escape
        self._closes: dict[int, int] = {}  # the index after "${" -> the index of its "}"; -1: none

    def close(self, start: int) -> int:
        """The ``}`` closing the ``${`` that ends just before ``start`` (-1: none)."""
        closes = self._closes
        known = closes.get(start)
        if known is not None:
            return known
        text = self._text
        special = _special_characters(self._escape)
        open_at = [start]  # the "${" still open, innermost last
        pos = start
        while open_at and (found := special.search(text, pos)) is not None:
            pos = found.start()
            ch = text[pos]
            if ch == "}":
                closes[open_at.pop()] = pos
                pos += 1
            elif ch != "$":  # the escape character
                pos += 2
            elif text.startswith("{", pos + 1):
                inner = pos + 2
                inner_close = closes.get(inner)
                if inner_close is None:
                    open_at.append(inner)
                    pos = inner
                elif inner_close < 0:
                    break
                else:
                    pos = inner_close + 1
            else:
                pos += 1
        for unclosed in open_at:
            closes[unclosed] = -1
        return closes[start]


def _special_characters(escape: str) -> re.Pattern[str]:
    """What the brace scan stops at: "$", "}" and the escape character."""
    return _SPECIAL.get(escape) or re.compile(f"[$}}{re.escape(escape)}]")


_SPECIAL = {escape: re.compile(f"[$}}{re.escape(escape)}]") for escape in ("\\", "`")}


def _parse_ref(text: str, at: int, braces: _Braces) -> tuple[_RawRef | None, int]:
    """The reference starting at ``text[at] == "$"`` and where scanning goes on after it."""
    length = len(text)
    nxt = at + 1
    if nxt < length and text[nxt] == "{":
        start = nxt + 1
        end = start
        while end < length and text[end] in _NAME_CHARS:
            end += 1
        if end == start or text[start] not in _NAME_START:
            return None, nxt
        name = text[start:end]
        modifier = next((m for m in _MODIFIERS if text.startswith(m, end)), None)
        close = braces.close(start)
        if close < 0:
            return None, nxt
        return _RawRef(name, at, close + 1, start, modifier), end + (len(modifier) if modifier else 0)
    if nxt < length and text[nxt] in _NAME_START:
        end = nxt
        while end < length and text[end] in _NAME_CHARS:
            end += 1
        return _RawRef(text[nxt:end], at, end, nxt, None), end
    return None, nxt


def find_references(text: str, escape: str = "\\", *, reset_quotes_per_line: bool = False) -> list[_RawRef]:
    """Every variable reference in ``text``, nested ones (``${A:-$B}``) included.

    Escaped dollars and single-quoted text are literal, as in BuildKit's word expansion and the shell.
    """
    refs: list[_RawRef] = []
    if "$" not in text:
        return refs
    braces = _Braces(text, escape)
    pos = 0
    length = len(text)
    single = double = False
    while pos < length:
        ch = text[pos]
        if ch == "\n" and reset_quotes_per_line:
            single = double = False
        elif single:
            if ch == "'":
                single = False
        elif ch == escape:
            pos += 2
            continue
        elif ch == "'" and not double:
            single = True
        elif ch == '"':
            double = not double
        elif ch == "$":
            ref, pos = _parse_ref(text, pos, braces)
            if ref is not None:
                refs.append(ref)
            continue
        pos += 1
    return refs


# -- evaluating words ------------------------------------------------------------------------


class _Evaluation(msgspec.Struct):
    unresolved: list[str] = msgspec.field(default_factory=list)


class Values(Protocol):
    """Where ``evaluate`` reads variables: a dict, or a ``Scope``."""

    def get(self, name: str, /) -> str | None: ...


class _Frame(msgspec.Struct):
    """A part of the word being evaluated: the whole word, or the default of a ``${A:-...}``."""

    pos: int
    end: int
    after: int  # where the enclosing part goes on once this one is done
    out: list[str] = msgspec.field(default_factory=list)
    double: bool = False


def evaluate(word: str, values: Values, escape: str = "\\") -> tuple[str, tuple[str, ...]]:
    """A word as BuildKit's shell lexer turns it into a value: quotes removed, escapes applied,
    variables substituted. Also the names that had no value (their place is left empty).

    Nested defaults (``${A:-${B:-x}}``) are evaluated with a stack of parts, not recursion: a
    word may nest thousands deep."""
    state = _Evaluation()
    braces = _Braces(word, escape)
    frames = [_Frame(0, len(word), len(word))]
    while True:
        frame = frames[-1]
        inner = _evaluate_part(word, frame, values, escape, braces, state)
        if inner is not None:
            frames.append(inner)
            continue
        frames.pop()
        if not frames:
            return "".join(frame.out), tuple(state.unresolved)
        frames[-1].out.append("".join(frame.out))
        frames[-1].pos = frame.after


def _evaluate_part(
    word: str, frame: _Frame, values: Values, escape: str, braces: _Braces, state: _Evaluation
) -> _Frame | None:
    """Evaluate ``frame`` up to its end, or up to a nested default to evaluate first (returned)."""
    out = frame.out
    pos, length = frame.pos, frame.end
    while pos < length:
        ch = word[pos]
        if ch == escape and pos + 1 < length:
            out.append(word[pos + 1])
            pos += 2
        elif ch == "'" and not frame.double:
            close = word.find("'", pos + 1, length)
            close = length if close < 0 else close
            out.append(word[pos + 1 : close])
            pos = close + 1
        elif ch == '"':
            frame.double = not frame.double
            pos += 1
        elif ch == "$":
            ref, _ = _parse_ref(word, pos, braces)
            if ref is None or ref.end > length:
                out.append(ch)
                pos += 1
                continue
            inner = _substitute(word, ref, values, state, out)
            if inner is not None:
                frame.pos = ref.end
                return inner
            pos = ref.end
        else:
            out.append(ch)
            pos += 1
    frame.pos = pos
    return None


def _substitute(word: str, ref: _RawRef, values: Values, state: _Evaluation, out: list[str]) -> _Frame | None:
    """Append the value of ``ref`` to ``out``, or return its default (or alternative) to evaluate."""
    value = values.get(ref.name)
    modifier = ref.modifier
    if modifier is None:
        if value is None:
            state.unresolved.append(ref.name)
        out.append(value or "")
        return None
    inner = _Frame(ref.name_start + len(ref.name) + len(modifier), ref.end - 1, ref.end)
    is_set = value is not None
    is_full = bool(value)
    if modifier in (":-", "-"):
        use_default = not is_full if modifier == ":-" else not is_set
        if use_default:
            return inner
        out.append(value or "")
        return None
    if modifier in (":+", "+"):
        use_alt = is_full if modifier == ":+" else is_set
        return inner if use_alt else None
    if modifier in (":?", "?"):
        if value is None:
            state.unresolved.append(ref.name)
        out.append(value or "")
        return None
    if value is None:  # a pattern operation on an unset variable: empty, as in the shell
        state.unresolved.append(ref.name)
        return None
    out.append(word[ref.start : ref.end])  # pattern operations (#, %, /): shown as written
    return None


# -- what one instruction defines and uses ----------------------------------------------------


class _NodeVars(msgspec.Struct, frozen=True):
    cmd: str
    defs: tuple[_RawDef, ...]
    uses: tuple[_RawUse, ...]


def _context(cmd: str) -> UseContext | None:
    """Who substitutes variables in this instruction; None: nobody here (SHELL's words go to a
    shell that may not even be sh, MAINTAINER is plain text, an unknown instruction is not run)."""
    if cmd in _SHELL_CMDS:
        return UseContext.SHELL
    if cmd in _RUNTIME_CMDS:
        return UseContext.RUNTIME
    return UseContext.BUILD if expands_variables(cmd) else None


def _defs(node: Instruction) -> tuple[_RawDef, ...]:
    legacy = False
    if node.cmd == "ARG":
        items = [(item.partition("=")[0], item, "=" in item) for item in node.value]
        kind = VarKind.ARG
    elif node.cmd == "ENV" and node.value:
        value = node.value
        legacy = len(value) == 3 and value[2] == ""  # the legacy form: ENV name value
        if legacy:
            items = [(value[0], value[0], True)]
        else:
            items = [(value[i], f"{value[i]}={value[i + 1]}", True) for i in range(0, len(value) - 2, 3)]
        kind = VarKind.ENV
    else:
        return ()
    found = []
    offset = 0
    args, args_start, segments = node.args, node.args_start, node.segments
    for name, written, has_default in items:
        at = args.find(name if legacy else written, offset)
        if at < 0 or not name:
            continue
        offset = at + len(name)
        start = args_start + at
        span = logical_span(segments, start, start + len(name))
        if legacy:
            default: str | None = node.value[1]
        else:
            default = written[len(name) + 1 :] if has_default else None
        found.append(_RawDef(name, kind, span, default))
    return tuple(found)


def _uses(node: Instruction, escape: str) -> tuple[_RawUse, ...]:
    cmd = node.cmd
    context = _context(cmd)
    if context is None:
        return ()
    text_escape = escape if context is UseContext.BUILD else "\\"
    uses: list[_RawUse] = []
    if cmd in _EXPANDED_FLAG_CMDS:
        for flag in node.flags:
            if flag.value is None or flag.value_span is None or "$" not in flag.value:
                continue
            span = flag.value_span
            if span.start.line != span.end.line or span.end.col - span.start.col != len(flag.value):
                continue  # quoted or continued: the written text is not the value
            for ref in find_references(flag.value, escape):
                uses.append(_point_use(ref, span.start, UseContext.BUILD))
    if "$" in node.args:
        for ref in find_references(node.args, text_escape):
            name_start = node.args_start + ref.name_start
            uses.append(
                _RawUse(
                    ref,
                    logical_span(node.segments, name_start, name_start + len(ref.name)),
                    logical_span(node.segments, node.args_start + ref.start, node.args_start + ref.end),
                    context,
                )
            )
    for heredoc in node.heredocs:
        if "$" not in heredoc.content or (cmd != "RUN" and not heredoc.expand):
            continue
        here_context = UseContext.SHELL if cmd == "RUN" else UseContext.BUILD
        first = heredoc.span.start.line
        for index, line_text in enumerate(heredoc.content.split("\n")):
            for ref in find_references(line_text, "\\" if cmd == "RUN" else escape):
                uses.append(_point_use(ref, Pos(first + index, 0), here_context))
    return tuple(uses)


def _point_use(ref: _RawRef, origin: Pos, context: UseContext) -> _RawUse:
    """A use in text that starts at ``origin`` and stays on one line."""
    line, col = origin.line, origin.col
    return _RawUse(
        ref,
        Span(Pos(line, col + ref.name_start), Pos(line, col + ref.name_start + len(ref.name))),
        Span(Pos(line, col + ref.start), Pos(line, col + ref.end)),
        context,
    )


def node_variable_spans(node: Instruction, escape: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Relative to the instruction's first line: the names it defines, and its uses (from the "$"
    to the end of the name). For highlighting, without any scoping."""
    if node.cmd == "ONBUILD":
        return (), ()
    defs = tuple(raw.span for raw in _defs(node)) if node.cmd in ("ARG", "ENV") else ()
    uses = (
        tuple(Span(raw.whole.start, raw.span.end) for raw in _uses(node, escape))
        if "$" in node.original or node.heredocs
        else ()
    )
    return defs, uses


def _pick_definitions(node: Node) -> _NodeVars | None:
    if not isinstance(node, Instruction) or node.cmd not in ("ARG", "ENV"):
        return None
    defs = _defs(node)
    return _NodeVars(node.cmd, defs, ()) if defs else None


def _uses_picker(escape: str) -> Callable[[Node], _NodeVars | None]:
    def pick(node: Node) -> _NodeVars | None:
        if not isinstance(node, Instruction) or node.cmd == "ONBUILD":
            return None
        if "$" not in node.original and not any("$" in h.content for h in node.heredocs):
            return None
        uses = _uses(node, escape)
        return _NodeVars(node.cmd, (), uses) if uses else None

    return pick


# -- scopes ----------------------------------------------------------------------------------


class Scope(msgspec.Struct):
    """The variables visible at one point. ENV wins over ARG of the same name."""

    args: dict[str, Definition] = msgspec.field(default_factory=dict)
    env: dict[str, Definition] = msgspec.field(default_factory=dict)

    def copy(self) -> Scope:
        return Scope(dict(self.args), dict(self.env))

    def lookup(self, name: str, context: UseContext = UseContext.BUILD) -> Definition | None:
        found = self.env.get(name)
        if found is None and context is not UseContext.RUNTIME:
            found = self.args.get(name)
        return found

    def get(self, name: str, /) -> str | None:
        """The value of ``name`` as BuildKit expands it here (None: unset or unknown)."""
        found = self.lookup(name)
        return found.value if found is not None else None

    def visible(self, context: UseContext = UseContext.BUILD) -> list[Definition]:
        """Every visible definition, one per name, sorted by name."""
        names = set(self.env) if context is UseContext.RUNTIME else set(self.env) | set(self.args)
        found = [self.lookup(name, context) for name in sorted(names)]
        return [definition for definition in found if definition is not None]


class _Step(msgspec.Struct, frozen=True):
    """The definitions of one instruction, applied together."""

    line: int
    stage: int | None
    definitions: tuple[Definition, ...]


class Variables:
    """Definitions and uses of a document's variables, and the scope at any line.

    Cheap to build: nothing is read until something asks. A stage's definitions are worked out
    the first time something asks about it (with those of the stages it is built on and the ARGs
    before the first FROM), and the uses the first time ``uses`` is read. The
    document caches what each instruction defines and uses per chunk, so after an edit only the
    edited chunk is read again.
    """

    def __init__(self, document: Document, model: StageModel) -> None:
        self._document = document
        self._model = model
        self._escape = document.escape
        self.builtins: tuple[Definition, ...] = _builtins(model.platform)
        self._platform_defs = {d.name: d for d in self.builtins if d.kind is VarKind.PLATFORM}
        self._proxy_defs = {d.name: d for d in self.builtins if d.kind is VarKind.PROXY}
        self._stage_steps: dict[int, list[_Step]] = {}
        self._stage_lines: dict[int, list[int]] = {}
        self._stage_start: dict[int, Scope] = {}
        self._stage_final: dict[int, Scope] = {}
        # per instruction line, for the requests that ask again and again where the cursor moves
        self._scopes_at: dict[int, Scope] = {}
        self._uses_at: dict[int, list[Use]] = {}
        self._picker = _uses_picker(self._escape)
        self._picked: dict[int, tuple[Node, _NodeVars | None]] = {}  # id(node) -> (node, its uses)

    # -- building ------------------------------------------------------------------------------

    @cached_property
    def _definition_nodes(self) -> tuple[list[tuple[int, _NodeVars]], list[list[tuple[int, _NodeVars]]]]:
        """The ARG and ENV instructions before the first FROM, and those of each stage. Read the
        first time something asks about definitions or scopes: a file whose variables nothing
        uses (or asks about) never reads them, and one ARG may hold 100,000 names."""
        global_nodes: list[tuple[int, _NodeVars]] = []
        stage_nodes: list[list[tuple[int, _NodeVars]]] = [[] for _ in self._model.stages]
        for line, node in self._document.select("variables:definitions", _pick_definitions):
            stage = self._model.stage_at(line)
            (global_nodes if stage is None else stage_nodes[stage.index]).append((line, node))
        return global_nodes, stage_nodes

    @cached_property
    def _globals(self) -> tuple[Scope, list[_Step]]:
        """The scope after the ARGs before the first FROM (what FROM lines see), and their steps."""
        scope = Scope(args=dict(self._platform_defs))
        return scope, [self._step(node, line, None, scope) for line, node in self._definition_nodes[0]]

    @property
    def global_scope(self) -> Scope:
        """What FROM lines see: the ARGs before the first FROM and the automatic platform ARGs."""
        return self._globals[0]

    @property
    def _global_steps(self) -> list[_Step]:
        return self._globals[1]

    @cached_property
    def _global_lines(self) -> list[int]:
        return [step.line for step in self._global_steps]

    def _steps_of(self, index: int) -> list[_Step]:
        """The definitions of stage ``index`` (and of the stages it is built on, first)."""
        if index in self._stage_steps:
            return self._stage_steps[index]
        chain = []
        stages = self._model.stages
        current: int | None = index
        while current is not None and current not in self._stage_steps:
            chain.append(current)
            current = stages[current].base_stage
        for stage in reversed(chain):
            base = stages[stage].base_stage
            scope = self._stage_final[base].copy() if base is not None else Scope()
            self._stage_start[stage] = scope.copy()
            steps = [self._step(node, line, stage, scope) for line, node in self._definition_nodes[1][stage]]
            self._stage_steps[stage] = steps
            self._stage_lines[stage] = [step.line for step in steps]
            self._stage_final[stage] = scope
        return self._stage_steps[index]

    def _step(self, node: _NodeVars, line: int, stage: int | None, scope: Scope) -> _Step:
        """Define what one instruction defines, then apply it to ``scope``."""
        found: list[Definition] = []
        for raw in node.defs:
            inherits = None
            unresolved: tuple[str, ...] = ()
            if raw.default is not None:
                value, unresolved = evaluate(raw.default, scope, self._escape)
                value_or_none: str | None = value
            elif stage is None:
                inherits = self._platform_defs.get(raw.name)
                value_or_none = inherits.value if inherits else None
            else:
                inherits = scope.args.get(raw.name) or self.global_scope.args.get(raw.name)
                if inherits is None:
                    inherits = self._proxy_defs.get(raw.name)
                value_or_none = inherits.value if inherits else None
            definition = Definition(
                raw.name,
                raw.kind,
                stage,
                line,
                raw.span.shifted(line) if line else raw.span,
                raw.default,
                value_or_none,
                inherits,
                unresolved,
            )
            found.append(definition)
            if stage is None:  # global ARGs are read one after the other
                scope.args[raw.name] = definition
        for definition in found:  # in a stage, the instruction's values all saw the scope before it
            if stage is not None or definition.kind is VarKind.ENV:  # a global ARG is in already
                _apply(scope, definition)
        return _Step(line, stage, tuple(found))

    # -- scopes --------------------------------------------------------------------------------

    @property
    def definitions(self) -> list[Definition]:
        """Every ARG and ENV definition in file order (predefined ones are in ``builtins``)."""
        found = [definition for step in self._global_steps for definition in step.definitions]
        for index in range(len(self._model.stages)):
            found += [definition for step in self._steps_of(index) for definition in step.definitions]
        return found

    def image_based(self, stage: int) -> bool:
        """The stage starts from an image, whose ENV (PATH, HOME...) is not known here."""
        stages = self._model.stages
        while 0 <= stage < len(stages):
            base = stages[stage].base_stage
            if base is None:
                return not stages[stage].is_scratch
            stage = base
        return True

    def scope_at(self, line: int) -> Scope:
        """What the instruction covering ``line`` sees (FROM lines see the global scope). Not to be
        changed: it is kept for the next request on the same instruction."""
        node_line, _ = self._document.node_at(line)
        scope = self._scopes_at.get(node_line)
        if scope is None:
            scope = self._scopes_at[node_line] = self._scope_at(node_line)
        return scope

    def _scope_at(self, node_line: int) -> Scope:
        stage = self._model.stage_at(node_line)
        if stage is None:
            scope = Scope(args=dict(self._platform_defs))
            for step in self._global_steps[: bisect_left(self._global_lines, node_line)]:
                for definition in step.definitions:
                    scope.args[definition.name] = definition
            return scope
        if node_line == stage.start_line:
            return self.global_scope
        steps = self._steps_of(stage.index)
        scope = self._stage_start[stage.index].copy()
        for step in steps[: bisect_left(self._stage_lines[stage.index], node_line)]:
            for definition in step.definitions:
                _apply(scope, definition)
        return scope

    def lookup(self, name: str, line: int, context: UseContext = UseContext.BUILD) -> Definition | None:
        found = self.scope_at(line).lookup(name, context)
        if found is None and context is UseContext.SHELL and self._model.stage_at(line) is not None:
            found = self._proxy_defs.get(name)
        return found

    # -- uses ----------------------------------------------------------------------------------

    @cached_property
    def uses(self) -> list[Use]:
        """Every variable use, in file order, with what it resolves to."""
        return self._sweep_uses(self._use_nodes)

    @cached_property
    def _use_nodes(self) -> list[tuple[int, _NodeVars]]:
        return list(self._document.select(f"variables:uses:{self._escape}", self._pick_uses))

    def _pick_uses(self, node: Node) -> _NodeVars | None:
        """What ``node`` uses, read once for ``uses_in`` and the whole-file selection both (a
        10,000-reference instruction took a third of a second each time)."""
        known = self._picked.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        picked = self._picker(node)
        self._picked[id(node)] = (node, picked)
        return picked

    @cached_property
    def _use_lines(self) -> list[int]:
        return [line for line, _ in self._use_nodes]

    def _sweep_uses(self, nodes: list[tuple[int, _NodeVars]]) -> list[Use]:
        """Bind the uses of ``nodes`` (in file order; any selection of whole stages or FROM lines)."""
        found: list[Use] = []
        model = self._model
        current: int | None = -1
        scope = self.global_scope
        steps: list[_Step] = []
        step_at = 0
        for line, node in nodes:
            stage = model.stage_at(line)
            index = stage.index if stage is not None else None
            if index != current:
                current = index
                if index is None:
                    scope, steps = Scope(args=dict(self._platform_defs)), self._global_steps
                else:
                    steps = self._steps_of(index)
                    scope = self._stage_start[index].copy()
                step_at = 0
            while step_at < len(steps) and steps[step_at].line < line:
                for definition in steps[step_at].definitions:
                    _apply(scope, definition)
                step_at += 1
            bound = self._uses_at.get(line)  # bound already by ``uses_in``, with the same scope
            if bound is None:
                in_from = stage is not None and line == stage.start_line
                bound = self._bind(node, line, None if in_from else index, self.global_scope if in_from else scope)
            found += bound
        return found

    def _uses_where(self, stages: set[int], global_scope: bool) -> list[Use]:
        """The uses in ``stages`` (and, with ``global_scope``, before the first FROM and in FROM
        lines), without binding the rest of the file."""
        if "uses" in self.__dict__:  # already bound: filter
            return [u for u in self.uses if (u.stage in stages) or (global_scope and u.stage is None)]
        lines = self._use_lines
        nodes = self._use_nodes
        picked: list[tuple[int, _NodeVars]] = []
        stage_list = self._model.stages
        first_from = stage_list[0].start_line if stage_list else 1 << 30
        if global_scope:
            picked += nodes[: bisect_left(lines, first_from)]
        for stage in stage_list:
            if stage.index in stages:
                picked += nodes[bisect_left(lines, stage.start_line) : bisect_left(lines, stage.end_line + 1)]
            elif global_scope:
                at = bisect_left(lines, stage.start_line)
                if at < len(lines) and lines[at] == stage.start_line:
                    picked.append(nodes[at])
        picked.sort(key=lambda item: item[0])
        return self._sweep_uses(picked)

    def _descendants(self, stage: int) -> set[int]:
        """``stage`` and the stages built on it, directly or not."""
        return {other.index for other in self._model.stages if stage in self._lineage(other.index)}

    def _bind(self, node: _NodeVars, line: int, stage: int | None, scope: Scope) -> list[Use]:
        found = []
        in_from = node.cmd == "FROM"
        for raw in node.uses:
            context = UseContext.BUILD if in_from else raw.context
            binding = scope.lookup(raw.ref.name, context)
            if binding is None and context is UseContext.SHELL:
                binding = self._proxy_defs.get(raw.ref.name)
            found.append(
                Use(
                    raw.ref.name,
                    raw.span.shifted(line),
                    raw.whole.shifted(line),
                    stage,
                    line,
                    node.cmd,
                    context,
                    raw.ref.modifier,
                    binding,
                )
            )
        return found

    def uses_of(self, instructions: list[tuple[int, Instruction]]) -> list[Use]:
        """The uses in ``instructions`` (with their first lines, in file order, none a FROM line),
        bound in one sweep over their stages' definitions: what ``uses_in`` gives for each, without
        reading the rest of the file or working out a scope per instruction."""
        nodes: list[tuple[int, _NodeVars]] = []
        for line, node in instructions:
            picked = self._pick_uses(node)
            if picked is not None:
                nodes.append((line, picked))
        return self._sweep_uses(nodes) if nodes else []

    def uses_in(self, line: int) -> list[Use]:
        """The uses in the instruction covering ``line``, without reading the rest of the file."""
        node_line, node = self._document.node_at(line)
        found = self._uses_at.get(node_line)
        if found is not None:
            return found
        picked = self._pick_uses(node)
        if picked is None:
            return []
        stage = self._model.stage_at(node_line)
        in_from = stage is not None and node_line == stage.start_line
        index = None if stage is None or in_from else stage.index
        found = self._uses_at[node_line] = self._bind(picked, node_line, index, self.scope_at(node_line))
        return found

    def references(self, definition: Definition) -> list[Use]:
        """The uses that resolve to ``definition``."""
        if definition.stage is None:  # only the global region and FROM lines see a global ARG
            candidates = self._uses_where(set(), True)
        else:
            candidates = self._uses_where(self._descendants(definition.stage), False)
        return [use for use in candidates if use.binding is definition]

    def at(self, line: int, col: int) -> Definition | Use | None:
        """The definition name or the use under the cursor (a cursor right after it counts)."""
        pos = Pos(line, col)
        for candidate in reversed(self.uses_in(line)):
            if candidate.whole.contains(pos):
                return candidate  # the innermost: ${A:-$B} on B gives B
        node_line, _ = self._document.node_at(line)
        stage = self._model.stage_at(node_line)
        steps = self._global_steps if stage is None else self._steps_of(stage.index)
        lines = self._global_lines if stage is None else self._stage_lines[stage.index]
        at = bisect_left(lines, node_line)
        if at < len(steps) and steps[at].line == node_line:
            for definition in steps[at].definitions:
                if definition.span is not None and definition.span.contains(pos):
                    return definition
        return None

    def rename_group(self, definition: Definition) -> tuple[list[Definition], list[Use]]:
        """The definitions and uses that must change together when ``definition`` is renamed:
        those connected through redeclarations (an in-stage ARG taking a global value, a later
        definition replacing an earlier one in the same scope) and the uses resolving to them."""
        if definition.stage is None:
            pool = self.definitions  # a global ARG may be redeclared in any stage
        else:
            near = self._descendants(definition.stage) | self._lineage(definition.stage)
            pool = [d for step in self._global_steps for d in step.definitions]
            pool += [d for index in sorted(near) for step in self._steps_of(index) for d in step.definitions]
        related = [d for d in pool if d.name == definition.name]
        group: dict[int, Definition] = {}
        todo = [definition]
        while todo:
            current = todo.pop()
            if id(current) in group:
                continue
            group[id(current)] = current
            if current.inherits is not None and not current.inherits.predefined:
                todo.append(current.inherits)
            # A definition linked to the group is not looked at again: the same closure, in one pass
            # over ``related`` per member found instead of one per member (5,834 global ARGs of one
            # name on two lines, each line shadowing the other, took 6.5 s).
            linked: list[Definition] = []
            rest: list[Definition] = []
            for other in related:
                if other.inherits is current or self._shadows(other, current) or self._shadows(current, other):
                    linked.append(other)
                else:
                    rest.append(other)
            todo += linked
            related = rest
        stages: set[int] = set()  # uses bind to a global only before the first FROM and in FROM lines
        for member in group.values():
            if member.stage is not None:
                stages |= self._descendants(member.stage)
        in_global = any(member.stage is None for member in group.values())
        candidates = self._uses_where(stages, in_global)
        uses = [use for use in candidates if use.binding is not None and id(use.binding) in group]
        members = sorted(group.values(), key=lambda d: (d.line, d.span.start.col if d.span else 0))
        return members, uses

    def _shadows(self, later: Definition, earlier: Definition) -> bool:
        """``later`` replaces ``earlier`` in a scope (same stage, or a stage built on it)."""
        if later.name != earlier.name or later is earlier or later.line <= earlier.line:
            return False
        if later.kind is VarKind.ARG and earlier.kind is VarKind.ENV:
            return False  # an ENV stays in force over a later ARG
        if earlier.stage is None or later.stage is None:
            return earlier.stage is None and later.stage is None
        return earlier.stage in self._lineage(later.stage)

    def _lineage(self, stage: int) -> set[int]:
        seen: set[int] = set()
        stages = self._model.stages
        current: int | None = stage
        while current is not None and current not in seen and 0 <= current < len(stages):
            seen.add(current)
            current = stages[current].base_stage
        return seen


def _apply(scope: Scope, definition: Definition) -> None:
    (scope.env if definition.kind is VarKind.ENV else scope.args)[definition.name] = definition


def _builtins(platform: str) -> tuple[Definition, ...]:
    values = platform_args(platform)
    # Two loops, not ``arg in PLATFORM_ARGS``: that compares records field by field, 19 times a file.
    platform_defs = tuple(
        Definition(arg.name, VarKind.PLATFORM, None, -1, None, None, values.get(arg.name), builtin=arg)
        for arg in PLATFORM_ARGS
    )
    return platform_defs + tuple(
        Definition(arg.name, VarKind.PROXY, None, -1, None, None, None, builtin=arg) for arg in PROXY_ARGS
    )


def expands_variables(cmd: str) -> bool:
    """BuildKit substitutes variables in this instruction's arguments itself."""
    spec = instruction(cmd)
    return spec.expands_variables if spec else False


def build_variables(document: Document, model: StageModel) -> Variables:
    return Variables(document, model)
