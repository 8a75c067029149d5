"""Instruction flags as BuildKit parses them: DS003 (unknown flag) and DS004 (a value of the wrong kind).

Scope: one instruction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from dockerfile_stages.model.catalog import INSTRUCTIONS_BY_NAME, FlagSpec, InstructionSpec, ValueKind, instruction
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import close_names, keyword_fix, lazy_pattern
from dockerfile_stages.rules.mount_options import mount_problems
from dockerfile_stages.syntax.nodes import Flag, Instruction

# Go's time.ParseDuration: one or more decimal numbers with a unit, or a bare 0.
_DURATION_PART = lazy_pattern(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_DURATION = lazy_pattern(r"[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|[-+]?0")
_UNIT_NS = {"ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9}
_OCTAL = lazy_pattern(r"[0-7]+")
_SYMBOLIC_MODE = lazy_pattern(r"[ugoa]*[-+=][rwxXst]*(?:,[ugoa]*[-+=][rwxXst]*)*")


@cache
def _exact_flags(spec_name: str) -> dict[str, FlagSpec]:
    """The instruction's flags by their exact name (a dict: most instructions read have flags)."""
    spec = instruction(spec_name)
    return {flag.name: flag for flag in spec.flags} if spec is not None else {}


def _flag_spec(spec: InstructionSpec, flag: Flag) -> FlagSpec | None:
    """BuildKit matches flag names exactly (``--FROM`` is unknown)."""
    return _exact_flags(spec.name).get(flag.name)


def _checked(node: Instruction) -> InstructionSpec | None:
    """The instruction's spec, if its flags are read at all."""
    if not node.flags:
        return None
    spec = INSTRUCTIONS_BY_NAME.get(node.cmd)  # ``cmd`` is upper case already
    if spec is None:
        return None
    if node.cmd == "HEALTHCHECK" and node.value[:1] and node.value[0].upper() == "NONE":
        return None  # BuildKit does not read the flags of HEALTHCHECK NONE
    return spec


def check_unknown(context: NodeContext, line: int, node: Instruction) -> Iterable[Finding]:
    spec = _checked(node)
    if spec is None:
        return ()
    exact = _exact_flags(spec.name)
    for flag in node.flags:
        if flag.name not in exact:
            return _unknown(line, node, spec)
    return ()  # the usual case: no message to build


def _unknown(line: int, node: Instruction, spec: InstructionSpec) -> Iterator[Finding]:
    names = [flag.name for flag in spec.flags]
    known = ", ".join(f"--{name}" for name in names) if names else "none"
    suggested: dict[str, list[str]] = {}  # by flag name: one search for a name written many times
    for flag in node.flags:
        if _flag_spec(spec, flag) is not None:
            continue
        span = flag.name_span.shifted(line)
        suggestions = suggested.get(flag.name)
        if suggestions is None:
            suggestions = suggested[flag.name] = close_names(flag.name, names)
        hint = f" Did you mean '--{suggestions[0]}'?" if suggestions else ""
        yield UNKNOWN.finding(
            f"{node.cmd} has no flag '--{flag.name}' (its flags: {known}).{hint}",
            span,
            tuple(keyword_fix(f"Change to '--{name}'", span, name) for name in suggestions),
        )


def _duration_problem(value: str) -> str | None:
    if not _DURATION.fullmatch(value):
        return "is not a duration (write e.g. 30s, 1m30s, 500ms)"
    nanoseconds = sum(float(number) * _UNIT_NS[unit] for number, unit in _DURATION_PART.findall(value))
    if value.startswith("-") and nanoseconds:
        nanoseconds = -nanoseconds
    if nanoseconds != 0 and nanoseconds < 1e6:
        return "cannot be less than 1ms"
    return None


def _value_problem(value: str | None, spec: FlagSpec) -> str | None:
    if value is None:
        return None if spec.kind is ValueKind.BOOL else "needs a value"
    if spec.kind is ValueKind.BOOL:
        return None if value.lower() in ("true", "false") else "takes true or false"
    if value == "":
        return "needs a value"
    if "$" in value and spec.kind is not ValueKind.DURATION:
        return None  # expanded by BuildKit before it is read
    if spec.kind is ValueKind.DURATION:
        return _duration_problem(value)
    if spec.kind is ValueKind.INTEGER:
        if not re.fullmatch(r"[-+]?\d+", value):
            return "is not a whole number"
        return "cannot be negative" if int(value) < 0 else None
    if spec.kind is ValueKind.FILE_MODE:
        octal = _OCTAL.fullmatch(value) and int(value, 8) < 1 << 32
        return None if octal or _SYMBOLIC_MODE.fullmatch(value) else "is not a file mode (octal like 0755, or u+x)"
    if spec.kind is ValueKind.ENUM and spec.values and value.lower() not in spec.values:
        return f"must be one of {', '.join(spec.values)}"
    return None


def check_values(context: NodeContext, line: int, node: Instruction) -> Iterable[Finding]:
    spec = _checked(node)
    if spec is None:
        return ()
    problems = _flag_problems(spec.name, tuple([(flag.name, flag.value) for flag in node.flags]))
    if not problems:
        return ()
    found = []
    for index, message in problems:
        flag = node.flags[index]
        found.append(VALUE.finding(message, (flag.value_span or flag.span).shifted(line)))
    return found


@lru_cache(maxsize=4096)
def _flag_problems(spec_name: str, flags: tuple[tuple[str, str | None], ...]) -> tuple[tuple[int, str], ...]:
    """``(index of the flag, message)`` for each problem of the instruction's flags, given by name
    and value. Remembered by names and values: a file repeats the same few flag lists (the same
    ``--mount`` on most RUN lines, ``--from=build`` on its COPYs), and reading them again was most
    of the instruction rules' time on a 10,000-line file."""
    exact = _exact_flags(spec_name)
    seen: set[str] = set()
    found: list[tuple[int, str]] = []
    for index, (name, value) in enumerate(flags):
        flag_spec = exact.get(name)
        if flag_spec is None:
            continue
        if name in seen and not flag_spec.repeatable:
            found.append((index, f"--{name} is given twice: BuildKit refuses a repeated flag."))
        seen.add(name)
        problem = _value_problem(value, flag_spec)
        if problem is not None:
            found.append((index, f"--{name}={value or ''} {problem}."))
        elif flag_spec.kind is ValueKind.MOUNT and value:
            found += [(index, f"--mount: {message}.") for message in mount_problems(value)]
    return tuple(found)


UNKNOWN = Rule(
    id=ids.UNKNOWN_FLAG,
    name="unknown-flag",
    severity=Severity.ERROR,
    summary="A flag the instruction does not have (`COPY --form=...`).",
    what="Checks every `--flag` against the flags BuildKit defines for the instruction (names are case "
    "sensitive). Offers the closest flag names as fixes.",
    why='BuildKit stops with "unknown flag" before building anything.',
    example="FROM alpine AS build\nFROM alpine\nCOPY --form=build /app /app   # DS003: did you mean '--from'?",
    use_instead="FROM alpine AS build\nFROM alpine\nCOPY --from=build /app /app",
    check_node=check_unknown,
    scope=Scope.INSTRUCTION,
    peers=("BuildKit",),
    fixable=True,
)
VALUE = Rule(
    id=ids.INVALID_FLAG_VALUE,
    name="invalid-flag-value",
    severity=Severity.ERROR,
    summary="A flag value BuildKit cannot read, or a flag given twice.",
    what="Checks flag values by kind: durations (`HEALTHCHECK --interval`), whole numbers (`--retries`), "
    "booleans (`--link`), file modes (`--chmod`), the `--network` and `--security` values, and each "
    "`--mount` (its type, the keys that type takes, and their values). Values with variables are left "
    "to the build.",
    why="BuildKit refuses the instruction before building anything.",
    example="FROM alpine\nHEALTHCHECK --interval=abc CMD true   # DS004",
    use_instead="FROM alpine\nHEALTHCHECK --interval=30s CMD true",
    check_node=check_values,
    scope=Scope.INSTRUCTION,
    peers=("BuildKit",),
)
