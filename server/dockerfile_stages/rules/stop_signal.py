"""DS011: a STOPSIGNAL that is not a signal.

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction

# The Linux signal names BuildKit's signal.ParseSignal knows (without "SIG").
_NAMES = (
    "ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP SYS",
    "TERM TRAP TSTP TTIN TTOU UNUSED URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX",
)
_SIGNALS = frozenset(
    [name for group in _NAMES for name in group.split(" ")]
    + [f"RTMIN+{n}" for n in range(1, 16)]
    + [f"RTMAX-{n}" for n in range(1, 15)]
)


def is_signal(text: str) -> bool:
    if text.isdigit():
        return int(text) != 0
    name = text.upper()
    return (name[3:] if name.startswith("SIG") else name) in _SIGNALS


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if node.cmd != "STOPSIGNAL" or len(node.value) != 1 or "$" in node.value[0]:
        return
    if not is_signal(node.value[0].strip("\"'")):
        span = node.words[0].span.shifted(line) if node.words else node.span.shifted(line)
        yield RULE.finding(
            f"'{node.value[0]}' is not a signal (write e.g. SIGTERM, SIGQUIT or 15): BuildKit refuses it.", span
        )


RULE = Rule(
    id=ids.INVALID_STOP_SIGNAL,
    name="invalid-stop-signal",
    severity=Severity.ERROR,
    summary="STOPSIGNAL with something that is not a signal name or number.",
    what="Checks STOPSIGNAL against the Linux signal names (with or without `SIG`) and non-zero numbers.",
    why="BuildKit refuses the instruction; the image would not know how to stop its process.",
    example="FROM nginx\nSTOPSIGNAL SIGQUITE   # DS011",
    use_instead="FROM nginx\nSTOPSIGNAL SIGQUIT",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    cmds=("STOPSIGNAL",),
    peers=("BuildKit",),
)
