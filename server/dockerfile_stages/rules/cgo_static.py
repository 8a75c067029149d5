"""DS112: a Go binary built with cgo copied into an image without a C library.

Scope: whole file (the final stage, the stages it copies from and their base stages).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from functools import partial

import msgspec

from dockerfile_stages.model.stages import RefKind, Stage
from dockerfile_stages.model.toolchains import is_static_runtime
from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import lazy_pattern
from dockerfile_stages.syntax.nodes import Instruction

# The go command as a word (not the end of "cargo"), possibly by path, then build or install.
_GO_BUILD = lazy_pattern(r"(?<![^\s;&|(`'\"/=])go\s+(build|install)\b")
_CGO_INLINE = lazy_pattern(r"(?<![\w])CGO_ENABLED=[\"']?([01])\b")
_C_TOOLCHAIN_INSTALL = lazy_pattern(r"\b(gcc|build-base|musl-dev|clang|build-essential)\b")
_BIN_DIR = lazy_pattern(r"(^|/)(s?bin)/")
_COMMAND_END = lazy_pattern(r"&&|\|\||[;|\n]")


class _GoBuild(msgspec.Struct):
    """What a stage (with the stages it is based on) tells about its Go builds."""

    builds: dict[str | None, bool | None] = msgspec.field(default_factory=dict)  # output path (None: unknown) -> cgo
    cgo: bool | None = None  # CGO_ENABLED from ENV or ARG; None: cgo's default for the image
    c_toolchain: bool = False
    workdir: str = "/"


def _run_text(node: Instruction) -> str:
    return "\n".join([node.original, *(heredoc.content for heredoc in node.heredocs)])


def _read_env(node: Instruction, found: _GoBuild) -> None:
    """CGO_ENABLED in any ENV form (``ENV A=0 B=1``, ``ENV CGO_ENABLED 0``) or an ARG default."""
    if node.cmd == "ENV":
        value = node.value
        for at in range(0, len(value) - 2, 3):
            if value[at] == "CGO_ENABLED":
                found.cgo = value[at + 1].strip("\"'") != "0"
    elif node.cmd == "ARG":
        for item in node.value:
            name, eq, default = item.partition("=")
            if name == "CGO_ENABLED" and eq:
                found.cgo = default.strip("\"'") != "0"


# Text without these splits the same with str.split as with shlex.split (POSIX mode, no comments):
# no quotes or escapes, and no whitespace that str.split knows and shlex does not.
_SHELL_SPECIAL = ("'", '"', "\\", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def _shell_words(arguments: str) -> list[str]:
    """The words of a command line as the shell splits it (shlex is 20-30 us a line, most have no quotes)."""
    if arguments.isascii() and not any(special in arguments for special in _SHELL_SPECIAL):
        return arguments.split()
    import shlex  # only for a go build command line with quotes: not imported at every start

    try:
        return shlex.split(arguments)
    except ValueError:
        return arguments.split()


def _output(arguments: str) -> str | None:
    """The ``-o`` path of one go build command line."""
    words = _shell_words(arguments)
    for position, word in enumerate(words):
        if word == "-o" and position + 1 < len(words):
            return words[position + 1]
        if word.startswith("-o="):
            return word[3:]
    return None


def _read_run(node: Instruction, found: _GoBuild) -> None:
    text = _run_text(node)
    found.c_toolchain = found.c_toolchain or bool(_C_TOOLCHAIN_INSTALL.search(text))
    if "go" not in text:
        return  # most RUNs: the pattern's look-behind at every character is the rule's main cost
    for match in _GO_BUILD.finditer(text):
        inline = list(_CGO_INLINE.finditer(text, 0, match.start()))  # inline, or ``export`` earlier
        cgo = inline[-1].group(1) == "1" if inline else found.cgo
        output = _output(_COMMAND_END.split(text[match.end() :], maxsplit=1)[0]) if match.group(1) == "build" else None
        found.builds[posixpath.normpath(posixpath.join(found.workdir, output)) if output else None] = cgo


def _read_stage(context: Context, stage: Stage, found: _GoBuild) -> None:
    for _, node in context.instructions_of(stage):
        if node.cmd in ("ENV", "ARG"):
            _read_env(node, found)
        elif node.cmd == "WORKDIR" and node.value:
            found.workdir = posixpath.join(found.workdir, node.value[0])
        elif node.cmd == "RUN":
            _read_run(node, found)


def _chain(context: Context, stage: Stage) -> list[Stage]:
    """The stage and the stages it is built on."""
    chain: list[Stage] = []
    current: Stage | None = stage
    while current is not None and current not in chain:
        chain.append(current)
        current = context.model.stages[current.base_stage] if current.base_stage is not None else None
    return chain


def _go_build(context: Context, stage: Stage) -> _GoBuild:
    """Read the stage's chain from its first base stage down, so later settings win. (Kept for the
    next run while those lines are the same: not to be changed.)"""
    found = _GoBuild()
    for link in reversed(_chain(context, stage)):
        _read_stage(context, link, found)
    return found


def _cgo_default_on(context: Context, stage: Stage, found: _GoBuild) -> bool:
    """Go turns cgo off by itself where no C compiler is installed (golang's alpine images)."""
    root = stage
    seen = {root.index}
    while root.base_stage is not None and root.base_stage not in seen:
        root = context.model.stages[root.base_stage]
        seen.add(root.index)
    return "alpine" not in root.expanded_base.text.lower() or found.c_toolchain


def _copied_builds(sources: list[str], found: _GoBuild) -> list[bool | None]:
    """The cgo setting of each Go build whose binary a copy takes (by ``-o`` path, or from a bin directory)."""
    taken: list[bool | None] = []
    for source in sources:
        path = posixpath.normpath(posixpath.join(found.workdir, source))
        matched = [
            cgo
            for output, cgo in found.builds.items()
            if output is not None
            and (
                output == path
                or output.startswith(path.rstrip("/") + "/")
                or posixpath.basename(output) == posixpath.basename(path)
            )
        ]
        if not matched and (_BIN_DIR.search(path) or posixpath.basename(posixpath.dirname(path)) in ("bin", "sbin")):
            matched = list(found.builds.values())
        taken += matched
    return taken


def _copy_sources(context: Context, line: int) -> list[str]:
    _, node = context.document.node_at(line)
    if not isinstance(node, Instruction) or node.cmd not in ("COPY", "ADD"):
        return []
    return list(node.value[:-1])


def check(context: Context) -> Iterator[Finding]:
    return iter(context.stage_memo(ids.CGO_BINARY_IN_STATIC_IMAGE, None, partial(_findings, context)))


def _findings(context: Context) -> list[Finding]:
    return list(_copies_of_cgo_builds(context))


def _copies_of_cgo_builds(context: Context) -> Iterator[Finding]:
    model = context.model
    if not model.stages:
        return
    final = model.stages[-1]
    if not is_static_runtime(final.expanded_base.text):
        return
    for ref in model.refs:
        if ref.stage != final.index or ref.target is None or ref.kind is not RefKind.COPY:
            continue
        source_stage = model.stages[ref.target]
        found = context.stage_memo(
            ids.CGO_BINARY_IN_STATIC_IMAGE, _chain(context, source_stage), partial(_go_build, context, source_stage)
        )
        if not found.builds:
            continue  # no Go build there: nothing the copy takes can be one
        default_on = _cgo_default_on(context, source_stage, found)
        taken = _copied_builds(_copy_sources(context, ref.instruction_span.start.line), found)
        if not any(cgo or (cgo is None and default_on) for cgo in taken):
            continue
        named = (
            f"Stage '{source_stage.name}'" if source_stage.name else f"Stage {source_stage.index} ({source_stage.base})"
        )
        yield RULE.finding(
            f"{named} builds Go without CGO_ENABLED=0, and {final.base} has no C library: "
            "the binary will fail to start ('no such file or directory'). Set ENV CGO_ENABLED=0 in "
            "the build stage.",
            ref.span,
        )


RULE = Rule(
    id=ids.CGO_BINARY_IN_STATIC_IMAGE,
    name="cgo-binary-in-static-image",
    severity=Severity.WARNING,
    summary="A Go binary built with cgo is copied into an image without libc.",
    what="Checks stages that run `go build`/`go install` and whose binaries (a `-o` output, or a file in a "
    "`bin` directory) are copied into a `scratch` or static distroless final image, for `CGO_ENABLED=0` "
    "(ENV in either form, an ARG default, or inline before the go command). Images with no C compiler "
    "(golang's alpine variants, unless one is installed) build static binaries already.",
    why="With cgo on (the default where a C compiler exists, as in the Debian-based golang images) the "
    "binary links libc dynamically and cannot start in an image that has none.",
    example="FROM golang:1.21 AS build\nRUN go build -o /app\nFROM scratch\nCOPY --from=build /app /app   # DS112",
    use_instead="FROM golang:1.21 AS build\nENV CGO_ENABLED=0\nRUN go build -o /app\n"
    "FROM scratch\nCOPY --from=build /app /app",
    check=check,
    scope=Scope.STAGE,
)
