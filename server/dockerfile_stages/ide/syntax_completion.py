"""Completion of the Dockerfile language itself: instruction snippets, flags and their values,
``--mount`` options, parser directives, variables and a few argument keywords.

``complete_syntax`` answers None where the cursor is in none of these places, so the caller goes
on to stage and image completion (``ide/completion.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

import msgspec

from dockerfile_stages.ide.completion import Candidate, CandidateKind
from dockerfile_stages.ide.docs import (
    builtin_doc,
    directive_doc,
    flag_doc,
    instruction_doc,
    mount_option_doc,
    mount_type_doc,
    value_text,
    variable_doc,
)
from dockerfile_stages.model import catalog
from dockerfile_stages.model.catalog import FlagSpec, InstructionSpec, ValueKind
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.model.variables import UseContext, Variables, VarKind
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Directive, Instruction, Node, Pos, Span, Trivia

# The order instructions are offered in: the ones most files use first.
POPULARITY = (
    "FROM",
    "RUN",
    "COPY",
    "ENV",
    "ARG",
    "WORKDIR",
    "CMD",
    "ENTRYPOINT",
    "EXPOSE",
    "USER",
    "LABEL",
    "ADD",
    "HEALTHCHECK",
    "VOLUME",
    "SHELL",
    "STOPSIGNAL",
    "ONBUILD",
    "MAINTAINER",
)
SIGNALS = ("SIGTERM", "SIGINT", "SIGQUIT", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH")
_VARIABLE_PREFIX = re.compile(r"\$(\{?)([A-Za-z_][A-Za-z0-9_]*)?\Z")
_DIRECTIVE_KEY = re.compile(r"^\s*#\s*([A-Za-z]*)\Z")
_DIRECTIVE_VALUE = re.compile(r"^\s*#\s*([A-Za-z]+)\s*=\s*(.*)\Z")
_NAME_CHARS = re.compile(r"[A-Za-z0-9_]*")
_WORD_CHARS = re.compile(r"[A-Za-z]*")


class Casing(Enum):
    UPPER = "upper"
    LOWER = "lower"

    def apply(self, keyword: str) -> str:
        return keyword.upper() if self is Casing.UPPER else keyword.lower()


def _keyword_case(node: Node) -> bool | None:
    """True for an upper-case keyword, False for a lower-case one, None for neither."""
    if not isinstance(node, Instruction):
        return None
    if node.keyword.isupper():
        return True
    return False if node.keyword.islower() else None


def keyword_casing(document: Document) -> Casing:
    """The casing most of the file's keywords use (upper case when there are none, or a tie)."""
    upper = lower = 0
    for _, is_upper in document.select("editor:keyword-case", _keyword_case):
        if is_upper:
            upper += 1
        else:
            lower += 1
    return Casing.LOWER if lower > upper else Casing.UPPER


class _Word(msgspec.Struct, frozen=True):
    """The whitespace-delimited word around the cursor on its line."""

    text: str  # the whole word
    start: int  # column
    end: int
    typed: str  # the part before the cursor


def _word_at(text: str, col: int) -> _Word:
    start = col
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = col
    while end < len(text) and not text[end].isspace():
        end += 1
    return _Word(text[start:end], start, end, text[start:col])


def complete_syntax(
    document: Document, model: StageModel, line: int, col: int, variables: Callable[[], Variables]
) -> list[Candidate] | None:
    text = document.line(line)
    col = min(col, len(text))
    before = text[:col]
    node_line, node = document.node_at(line)
    if before.lstrip().startswith("#"):
        if _in_directive_zone(document, line):
            return _directives(document, line, before, text, col)
        return None
    variable = _VARIABLE_PREFIX.search(before)
    if variable is not None and not _escaped(before, variable.start(), document.escape):
        return _variables(document, model, line, col, variable, node, node_line, variables())
    if not isinstance(node, Instruction) or (isinstance(node, Trivia) and node.kind == "blank"):
        if before.strip() == "" or _WORD_CHARS.fullmatch(before.strip()):
            return _instructions(line, text, col, keyword_casing(document), onbuild=False)
        return None
    if line == node_line and _at_keyword(node, before):
        return _instructions(line, text, col, keyword_casing(document), onbuild=False)
    return _in_instruction(document, model, node, node_line, line, col, lambda: keyword_casing(document))


def _in_directive_zone(document: Document, line: int) -> bool:
    """Parser directives are only read at the top, before any other line."""
    for index in range(line):
        _, node = document.node_at(index)
        if not isinstance(node, Directive):
            return False
    return True


def _escaped(before: str, at: int, escape: str) -> bool:
    count = 0
    while at - count - 1 >= 0 and before[at - count - 1] == escape:
        count += 1
    return count % 2 == 1


def _at_keyword(node: Instruction, before: str) -> bool:
    """The cursor is in (or right after) the instruction's keyword."""
    stripped = before.lstrip()
    return bool(_WORD_CHARS.fullmatch(stripped)) and len(before) <= node.keyword_span.end.col


def _span(line: int, start: int, end: int) -> Span:
    return Span(Pos(line, start), Pos(line, end))


# -- instructions ------------------------------------------------------------------------------


def _instructions(line: int, text: str, col: int, casing: Casing, *, onbuild: bool) -> list[Candidate]:
    start = col
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    end = col + len(_WORD_CHARS.match(text, col).group())  # type: ignore[union-attr]
    replace = _span(line, start, end)
    candidates = []
    for rank, name in enumerate(POPULARITY):
        spec = catalog.INSTRUCTIONS_BY_NAME[name]
        if onbuild and not spec.onbuild_allowed:
            continue
        candidates += _instruction_candidates(spec, casing, replace, rank)
    return candidates


def _instruction_candidates(spec: InstructionSpec, casing: Casing, replace: Span, rank: int) -> list[Candidate]:
    keyword = casing.apply(spec.name)
    doc = instruction_doc(spec)
    found = []
    for index, snippet in enumerate(spec.snippets):
        body = snippet.body.replace(" AS ", f" {casing.apply('AS')} ")
        if spec.name == "HEALTHCHECK":
            body = body.replace("CMD", casing.apply("CMD")).replace("NONE", casing.apply("NONE"))
        label = (
            keyword
            if index == 0
            else casing.apply(snippet.label.split(" ", 1)[0]) + " " + snippet.label.split(" ", 1)[1]
        )
        found.append(
            Candidate(
                label,
                snippet.label if index == 0 else spec.description.split(".")[0],
                CandidateKind.KEYWORD,
                replace,
                f"{rank:02d}-{index}",
                doc,
                insert=f"{keyword} {body}",
                snippet=True,
            )
        )
    return found


# -- inside an instruction --------------------------------------------------------------------


def _in_instruction(
    document: Document,
    model: StageModel,
    node: Instruction,
    node_line: int,
    line: int,
    col: int,
    casing: Callable[[], Casing],  # counted over the file only when keywords are offered
) -> list[Candidate] | None:
    text = document.line(line)
    word = _word_at(text, col)
    target = node
    if node.cmd == "ONBUILD":
        keyword_end = node.keyword_span.end.shifted(node_line)
        sub = node.sub
        if sub is None or (line == node_line + sub.keyword_span.start.line and col <= sub.keyword_span.end.col):
            if Pos(line, word.start) > keyword_end:
                return _instructions(line, text, col, casing(), onbuild=True)
            return None
        target = sub
    spec = catalog.instruction(target.cmd)
    if spec is None:
        return None
    if word.typed.startswith("-") and _at_flag_position(target, node_line, line, word.start):
        return _flags(spec, target, word, line, col)
    if spec.name == "HEALTHCHECK" and _first_argument(target, node_line, line, word.start):
        return _words(("CMD", "NONE"), casing(), word, line, CandidateKind.KEYWORD, "HEALTHCHECK")
    if spec.name == "STOPSIGNAL" and _first_argument(target, node_line, line, word.start):
        return _words(SIGNALS, Casing.UPPER, word, line, CandidateKind.VALUE, "signal")
    if (
        spec.name == "ARG"
        and "=" not in word.typed
        and Pos(line, word.start) > target.keyword_span.end.shifted(node_line)
    ):
        return _arg_names(model, node_line, word, line)
    if spec.name == "EXPOSE" and "/" in word.typed:
        at = word.start + word.typed.index("/") + 1
        return [
            Candidate(proto, "protocol", CandidateKind.VALUE, _span(line, at, word.end), f"0-{proto}")
            for proto in ("tcp", "udp")
            if proto.startswith(word.typed[at - word.start :])
        ]
    return None


def _at_flag_position(node: Instruction, node_line: int, line: int, start: int) -> bool:
    """Only words before the first argument are flags."""
    pos = Pos(line, start)
    if pos <= node.keyword_span.end.shifted(node_line):
        return False
    for flag in node.flags:
        if flag.span.shifted(node_line).start == pos:
            return True
    words = node.words
    return not words or words[0].span.shifted(node_line).start >= pos


def _first_argument(node: Instruction, node_line: int, line: int, start: int) -> bool:
    pos = Pos(line, start)
    if pos <= node.keyword_span.end.shifted(node_line):
        return False
    if any(flag.span.shifted(node_line).start == pos for flag in node.flags):
        return False
    words = node.words
    return not words or words[0].span.shifted(node_line).start >= pos


def _words(
    values: tuple[str, ...], casing: Casing, word: _Word, line: int, kind: CandidateKind, detail: str
) -> list[Candidate]:
    replace = _span(line, word.start, word.end)
    return [
        Candidate(casing.apply(value), detail, kind, replace, f"{rank:02d}")
        for rank, value in enumerate(values)
        if value.lower().startswith(word.typed.lower())
    ]


def _flags(spec: InstructionSpec, node: Instruction, word: _Word, line: int, col: int) -> list[Candidate] | None:
    if "=" in word.typed:
        name, _, _ = word.typed[2:].partition("=")
        flag = spec.flag(name)
        if flag is None:
            return []
        value_start = word.start + 2 + len(name) + 1
        if flag.name == "mount":
            return _mount(word, line, col, value_start)
        if flag.kind is ValueKind.SOURCE:
            return None  # stages, by the stage completion
        return _flag_values(
            flag, _span(line, value_start, word.end), word.text[value_start - word.start : col - word.start]
        )
    present = {flag.name.lower() for flag in node.flags}
    name_end = word.start + (word.text.index("=") if "=" in word.text else len(word.text))
    replace = _span(line, word.start, name_end)
    typed = word.typed[2:].lower()
    candidates = []
    for rank, flag in enumerate(spec.flags):
        if flag.name in present and not flag.repeatable and word.text[2:].split("=")[0].lower() != flag.name:
            continue
        if not flag.name.startswith(typed):
            continue
        insert = f"--{flag.name}" if flag.bare_allowed or "=" in word.text else f"--{flag.name}="
        candidates.append(
            Candidate(
                f"--{flag.name}",
                flag.syntax,
                CandidateKind.FLAG,
                replace,
                f"{rank:02d}",
                flag_doc(spec, flag),
                insert=insert,
            )
        )
    return candidates


def _flag_values(flag: FlagSpec, replace: Span, typed: str) -> list[Candidate]:
    return [
        Candidate(value, f"--{flag.name} {flag.kind.value}", CandidateKind.VALUE, replace, f"{rank:02d}")
        for rank, value in enumerate(flag.values)
        if value.lower().startswith(typed.lower())
    ]


def _mount(word: _Word, line: int, col: int, value_start: int) -> list[Candidate] | None:
    value = word.text[value_start - word.start :]
    cursor = col - value_start
    fields = value.split(",")
    present = {field.partition("=")[0].strip().lower() for field in fields}
    mount_name = next(
        (field.partition("=")[2] for field in fields if field.partition("=")[0].strip().lower() == "type"),
        catalog.DEFAULT_MOUNT_TYPE,
    )
    mount = catalog.mount_type(mount_name)
    field_start = value.rfind(",", 0, cursor) + 1
    field_end = value.find(",", cursor)
    field_end = len(value) if field_end < 0 else field_end
    field = value[field_start:field_end]
    typed = value[field_start:cursor]
    base = value_start + field_start
    if "=" not in typed:
        key_end = base + (field.index("=") if "=" in field else len(field))
        replace = _span(line, base, key_end)
        options = [catalog.MOUNT_TYPE_OPTION, *(mount.options if mount else ())]
        candidates = []
        for rank, option in enumerate(options):
            if present & set(option.names) and typed.lower() not in option.names:
                continue
            if not option.name.startswith(typed.lower()):
                continue
            insert = option.name if option.kind is ValueKind.BOOL else option.name + "="
            doc = mount_option_doc(mount, option) if mount and option is not catalog.MOUNT_TYPE_OPTION else ""
            candidates.append(
                Candidate(
                    option.name, option.kind.value, CandidateKind.FLAG, replace, f"{rank:02d}", doc, insert=insert
                )
            )
        return candidates
    key, _, partial = typed.partition("=")
    key = key.strip().lower()
    replace = _span(line, base + len(key) + 1, value_start + field_end)
    if key == "type":
        return [
            Candidate(m.name, "mount type", CandidateKind.VALUE, replace, f"{rank:02d}", mount_type_doc(m))
            for rank, m in enumerate(catalog.MOUNT_TYPES)
            if m.name.startswith(partial.lower())
        ]
    chosen = mount.option(key) if mount else None
    if chosen is None:
        return []
    if chosen.kind is ValueKind.SOURCE:
        return None  # stages, by the stage completion
    return [
        Candidate(v, f"{chosen.name} {chosen.kind.value}", CandidateKind.VALUE, replace, f"{rank:02d}")
        for rank, v in enumerate(chosen.values)
        if v.lower().startswith(partial.lower())
    ]


def _arg_names(model: StageModel, node_line: int, word: _Word, line: int) -> list[Candidate]:
    """Names worth declaring: global ARGs (to use them in this stage) and predefined ones."""
    replace = _span(line, word.start, word.end)
    in_stage = model.stage_at(node_line) is not None
    found: list[Candidate] = []
    seen: set[str] = set()
    if in_stage:
        for meta in model.meta_args:
            if meta.name not in seen and meta.name.startswith(word.typed):
                seen.add(meta.name)
                detail = f"global ARG = {meta.default}" if meta.default is not None else "global ARG"
                found.append(Candidate(meta.name, detail, CandidateKind.VARIABLE, replace, f"0-{meta.name}"))
    predefined = [*catalog.PLATFORM_ARGS, *catalog.BUILDKIT_ARGS] if in_stage else list(catalog.BUILDKIT_ARGS)
    for arg in predefined:
        if arg.name not in seen and arg.name.startswith(word.typed.upper()):
            found.append(
                Candidate(arg.name, arg.kind.value, CandidateKind.VARIABLE, replace, f"1-{arg.name}", builtin_doc(arg))
            )
    return found


# -- variables ---------------------------------------------------------------------------------


def _variables(
    document: Document,
    model: StageModel,
    line: int,
    col: int,
    match: re.Match[str],
    node: Node,
    node_line: int,
    variables: Variables,
) -> list[Candidate]:
    braced = bool(match.group(1))
    name_start = match.start(2) if match.group(2) is not None else col
    text = document.line(line)
    name_end = col + len(_NAME_CHARS.match(text, col).group())  # type: ignore[union-attr]
    closes = name_end < len(text) and text[name_end] == "}"
    replace = _span(line, name_start, name_end)
    cmd = node.cmd if isinstance(node, Instruction) else ""
    if cmd == "ONBUILD":
        return []
    context = {"RUN": UseContext.SHELL, "CMD": UseContext.RUNTIME, "ENTRYPOINT": UseContext.RUNTIME}.get(
        cmd, UseContext.RUNTIME if cmd == "HEALTHCHECK" else UseContext.BUILD
    )
    scope = variables.scope_at(line)
    stage = model.stage_at(node_line)
    in_from = stage is not None and node_line == stage.start_line
    definitions = scope.visible(UseContext.BUILD if in_from else context)
    if context is UseContext.SHELL and stage is not None and not in_from:
        declared = {d.name for d in definitions}
        definitions += [d for d in variables.builtins if d.kind is VarKind.PROXY and d.name not in declared]
    typed = match.group(2) or ""
    candidates = []
    for definition in definitions:
        if not definition.name.startswith(typed):
            continue
        suffix = "}" if braced and not closes else ""
        group = "1" if definition.predefined else "0"
        candidates.append(
            Candidate(
                definition.name,
                value_text(definition),
                CandidateKind.VARIABLE,
                replace,
                f"{group}-{definition.name}",
                variable_doc(definition),
                insert=definition.name + suffix,
            )
        )
    return candidates


# -- parser directives -------------------------------------------------------------------------


def _directives(document: Document, line: int, before: str, text: str, col: int) -> list[Candidate] | None:
    key = _DIRECTIVE_KEY.match(before)
    if key is not None:
        present = {
            node.key for index in range(line) for _, node in [document.node_at(index)] if isinstance(node, Directive)
        }
        start = key.start(1)
        end = col + len(_WORD_CHARS.match(text, col).group())  # type: ignore[union-attr]
        replace = _span(line, start, end)
        return [
            Candidate(
                f"{spec.name}=",
                spec.syntax[0],
                CandidateKind.DIRECTIVE,
                replace,
                f"{rank:02d}",
                directive_doc(spec),
                insert=spec.snippet,
                snippet=True,
            )
            for rank, spec in enumerate(catalog.DIRECTIVES)
            if spec.name not in present and spec.name.startswith(key.group(1).lower())
        ]
    value = _DIRECTIVE_VALUE.match(before)
    spec = catalog.directive(value.group(1)) if value is not None else None
    if value is None or spec is None:
        return None  # a plain comment (it may document a build command: see the stage completion)
    if spec.name == "check":
        return _check_values(line, value, text, col)
    start = value.start(2)
    end = len(text.rstrip())
    replace = _span(line, start, max(end, col))
    return [
        Candidate(v, f"# {spec.name}", CandidateKind.VALUE, replace, f"{rank:02d}", directive_doc(spec))
        for rank, v in enumerate(spec.values)
        if v.startswith(value.group(2))
    ]


def _check_values(line: int, match: re.Match[str], text: str, col: int) -> list[Candidate]:
    rest = match.group(2)
    rest_start = match.start(2)
    part_start = rest.rfind(";") + 1
    part = rest[part_start:]
    base = rest_start + part_start
    if "=" not in part:
        replace = _span(line, base + len(part) - len(part.lstrip()), col)
        return [
            Candidate(f"{option}=", "# check option", CandidateKind.VALUE, replace, f"{rank:02d}", insert=f"{option}=")
            for rank, option in enumerate(catalog.CHECK_OPTIONS)
            if option.startswith(part.strip())
        ]
    option, _, values = part.partition("=")
    value_start = base + len(option) + 1
    if option.strip() == "error":
        replace = _span(line, value_start, col)
        return [
            Candidate(v, "# check=error", CandidateKind.VALUE, replace, f"{rank:02d}")
            for rank, v in enumerate(catalog.BOOL_VALUES)
            if v.startswith(values)
        ]
    if option.strip() != "skip":
        return []
    item_start = values.rfind(",") + 1
    typed = values[item_start:]
    listed = set(values.split(","))
    end = col
    while end < len(text) and text[end] not in ",; \t":
        end += 1
    replace = _span(line, value_start + item_start, end)
    names = ("all", *catalog.BUILD_CHECKS) if item_start == 0 else catalog.BUILD_CHECKS
    return [
        Candidate(
            name, "build check", CandidateKind.VALUE, replace, f"{rank:02d}", f"[{name}]({catalog.BUILD_CHECKS_URL})"
        )
        for rank, name in enumerate(names)
        if name.lower().startswith(typed.lower()) and (name not in listed or name == typed)
    ]
