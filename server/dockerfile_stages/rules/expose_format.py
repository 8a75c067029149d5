"""EXPOSE checks: DS213 (BuildKit ExposeProtoCasing) and DS214 (BuildKit ExposeInvalidFormat).

Scope: one instruction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules.base import Context, Finding, Rule, Severity
from dockerfile_stages.rules.helpers import instructions, keyword_fix
from dockerfile_stages.syntax.nodes import Instruction, Span, Word


def _ports(line: int, node: Instruction) -> Iterator[tuple[Word, Span]]:
    for word in node.words:
        if "$" not in word.text:
            yield word, word.span.shifted(line)


def check_proto_casing(context: Context) -> Iterator[Finding]:
    for line, node in instructions(context.document):
        if node.cmd != "EXPOSE":
            continue
        for word, span in _ports(line, node):
            port, slash, proto = word.text.rpartition("/")
            if slash and proto != proto.lower():
                wanted = f"{port}/{proto.lower()}"
                yield PROTO_CASING.finding(
                    f"Protocol '{proto}' in EXPOSE should be lowercase: '{wanted}'.",
                    span,
                    (keyword_fix(f"Change to '{wanted}'", span, wanted),),
                )


def check_invalid_format(context: Context) -> Iterator[Finding]:
    for line, node in instructions(context.document):
        if node.cmd != "EXPOSE":
            continue
        for word, span in _ports(line, node):
            if ":" not in word.text:
                continue
            container = word.text.rsplit(":", 1)[1]
            fixes = (keyword_fix(f"Expose only '{container}'", span, container),) if container else ()
            yield INVALID_FORMAT.finding(
                f"EXPOSE takes container ports only; '{word.text}' maps a host port or address, which only "
                f"`docker run -p` can do. BuildKit exposes '{container}' and ignores the rest.",
                span,
                fixes,
            )


PROTO_CASING = Rule(
    id="DS213",
    name="expose-proto-casing",
    severity=Severity.WARNING,
    summary="A protocol in EXPOSE written in upper case (`80/TCP`).",
    what="Flags EXPOSE ports whose protocol is not lower case; the fix lower-cases it.",
    why="Protocols are lower case in the image configuration; mixed spellings read as different ports "
    "to tools that compare them.",
    example="EXPOSE 80/TCP   # DS213",
    use_instead="EXPOSE 80/tcp",
    check=check_proto_casing,
    peers=("BuildKit ExposeProtoCasing",),
    fixable=True,
)
INVALID_FORMAT = Rule(
    id="DS214",
    name="expose-invalid-format",
    severity=Severity.WARNING,
    summary="EXPOSE with an IP address or a host port (`8080:80`).",
    what="Flags EXPOSE values containing `:`; the fix keeps only the container port.",
    why="A Dockerfile cannot publish ports on the host; BuildKit drops the address and host port, so "
    "the line does not do what it says.",
    example="EXPOSE 127.0.0.1:8080:80   # DS214",
    use_instead="EXPOSE 80",
    check=check_invalid_format,
    peers=("BuildKit ExposeInvalidFormat", "hadolint DL3011"),
)
