"""EXPOSE checks: DS008 (what BuildKit refuses), DS213 (ExposeProtoCasing), DS214 (ExposeInvalidFormat).

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import keyword_fix, lazy_pattern
from dockerfile_stages.syntax.nodes import Instruction, Word


def _ports(node: Instruction) -> Iterator[Word]:
    """The values without variables (a word's range is worked out only for a finding)."""
    for word in node.words:
        if "$" not in word.text:
            yield word


_PROTOCOLS = ("tcp", "udp", "sctp")
_PORT_RANGE = lazy_pattern(r"(\d{1,5})(?:-(\d{1,5}))?")


def port_problem(text: str) -> str | None:
    """What BuildKit refuses in one EXPOSE value (``80``, ``80/udp``, ``8000-8010``), if anything."""
    port, slash, proto = text.rpartition("/") if "/" in text else (text, "", "")
    if slash and proto.lower() not in _PROTOCOLS:
        return f"'{proto}' is not a protocol (tcp, udp or sctp)"
    container = port.rsplit(":", 1)[-1]
    match = _PORT_RANGE.fullmatch(container)
    if match is None:
        return f"'{container}' is not a port or port range"
    low, high = int(match.group(1)), int(match.group(2) or match.group(1))
    if high > 65535 or low > high:
        return f"'{container}' is not a port range from 0 to 65535"
    return None


def check_syntax(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if node.cmd == "EXPOSE":
        for word in _ports(node):
            problem = port_problem(word.text)
            if problem:
                yield SYNTAX.finding(f"EXPOSE {word.text}: {problem}. BuildKit refuses it.", word.span.shifted(line))


def check_proto_casing(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if node.cmd == "EXPOSE":
        for word in _ports(node):
            port, slash, proto = word.text.rpartition("/")
            if slash and proto != proto.lower():
                span = word.span.shifted(line)
                wanted = f"{port}/{proto.lower()}"
                yield PROTO_CASING.finding(
                    f"Protocol '{proto}' in EXPOSE should be lowercase: '{wanted}'.",
                    span,
                    (keyword_fix(f"Change to '{wanted}'", span, wanted),),
                )


def check_invalid_format(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    if node.cmd == "EXPOSE":
        for word in _ports(node):
            if ":" not in word.text:
                continue
            span = word.span.shifted(line)
            container = word.text.rsplit(":", 1)[1]
            fixes = (keyword_fix(f"Expose only '{container}'", span, container),) if container else ()
            yield INVALID_FORMAT.finding(
                f"EXPOSE takes container ports only; '{word.text}' maps a host port or address, which only "
                f"`docker run -p` can do. BuildKit exposes '{container}' and ignores the rest.",
                span,
                fixes,
            )


SYNTAX = Rule(
    id=ids.INVALID_EXPOSE,
    name="invalid-expose",
    severity=Severity.ERROR,
    summary="An EXPOSE value that is not a port, port range or known protocol.",
    what="Checks each EXPOSE value: a port or range from 0 to 65535, optionally `/tcp`, `/udp` or "
    "`/sctp`. Values with variables are left to the build.",
    why="BuildKit refuses the instruction (invalid containerPort, invalid proto).",
    example="FROM nginx\nEXPOSE 80/http   # DS008",
    use_instead="FROM nginx\nEXPOSE 80/tcp",
    check_node=check_syntax,
    scope=Scope.INSTRUCTION,
    cmds=("EXPOSE",),
    peers=("BuildKit",),
)
PROTO_CASING = Rule(
    id=ids.EXPOSE_PROTO_CASING,
    name="expose-proto-casing",
    severity=Severity.WARNING,
    summary="A protocol in EXPOSE written in upper case (`80/TCP`).",
    what="Flags EXPOSE ports whose protocol is not lower case; the fix lower-cases it.",
    why="Protocols are lower case in the image configuration; mixed spellings read as different ports "
    "to tools that compare them.",
    example="EXPOSE 80/TCP   # DS213",
    use_instead="EXPOSE 80/tcp",
    check_node=check_proto_casing,
    scope=Scope.INSTRUCTION,
    cmds=("EXPOSE",),
    peers=("BuildKit ExposeProtoCasing",),
    fixable=True,
    certain_fix=True,
)
INVALID_FORMAT = Rule(
    id=ids.EXPOSE_INVALID_FORMAT,
    name="expose-invalid-format",
    severity=Severity.WARNING,
    summary="EXPOSE with an IP address or a host port (`8080:80`).",
    what="Flags EXPOSE values containing `:`; the fix keeps only the container port.",
    why="A Dockerfile cannot publish ports on the host; BuildKit drops the address and host port, so "
    "the line does not do what it says.",
    example="EXPOSE 127.0.0.1:8080:80   # DS214",
    use_instead="EXPOSE 80",
    check_node=check_invalid_format,
    scope=Scope.INSTRUCTION,
    cmds=("EXPOSE",),
    peers=("BuildKit ExposeInvalidFormat", "hadolint DL3011"),
    fixable=True,
    certain_fix=True,
)
