"""What ENTRYPOINT and CMD run: their words, and the paths of the build they need at run time."""

from __future__ import annotations

import json
import re

import msgspec

from dockerfile_stages.refactor.flow import BuildFlow, Origin
from dockerfile_stages.refactor.shell import commands, plain_words, resolve
from dockerfile_stages.syntax.nodes import Instruction

_FILE_LIKE = re.compile(r"\.(jar|war|js|mjs|cjs|py|pyz|dll|sh|rb|pl|php|wasm)$")
_SHELLS = ("sh", "bash", "ash", "dash")


class Needed(msgspec.Struct, frozen=True):
    """A path the program needs from the build."""

    path: str  # absolute; may hold a glob
    origin: Origin
    path_dir: str | None = None  # the PATH directory a bare program name was found in
    program: bool = False  # the program itself (not an argument)
    tool: str = ""  # what wrote it


def runtime_words(node: Instruction, flow: BuildFlow) -> list[list[str | None]]:
    """The simple commands an ENTRYPOINT/CMD/HEALTHCHECK runs (exec form: one, taken literally)."""
    if node.cmd == "HEALTHCHECK":
        text = node.args.strip()
        if not re.match(r"(?i)^cmd\b", text):
            return []
        rest = text[3:].strip()
        if rest.startswith("["):
            try:
                return [[str(word) for word in json.loads(rest)]]
            except ValueError:
                return []
        return [list(command.words) for command in commands(rest, flow.runtime_env(), flow.workdir)]
    if node.json:
        words: list[str | None] = list(node.value)
        if len(words) >= 3 and words[0] is not None and words[0].rsplit("/", 1)[-1] in _SHELLS and words[1] == "-c":
            script = words[2] or ""
            return [list(command.words) for command in commands(script, flow.runtime_env(), flow.workdir)]
        return [words]
    return [list(command.words) for command in commands(node.args, flow.runtime_env(), flow.workdir)]


def needed_paths(nodes: list[Instruction], flow: BuildFlow) -> list[Needed]:
    """The paths the runtime instructions use that the build wrote, in the order they are named.

    An exec-form ENTRYPOINT takes CMD as its arguments; a shell-form one ignores CMD."""
    by_kind = {node.cmd: node for node in nodes}
    entrypoint, cmd = by_kind.get("ENTRYPOINT"), by_kind.get("CMD")
    groups: list[list[str | None]] = []
    if entrypoint is not None:
        entry_words = runtime_words(entrypoint, flow)
        if entrypoint.json and cmd is not None and len(entry_words) == 1:
            extra: list[str | None] = list(cmd.value) if cmd.json else [None]
            entry_words = [entry_words[0] + extra]
        groups += entry_words
    elif cmd is not None:
        groups += runtime_words(cmd, flow)
    if "HEALTHCHECK" in by_kind:
        groups += runtime_words(by_kind["HEALTHCHECK"], flow)
    found: list[Needed] = []
    seen: set[str] = set()
    for words in groups:
        for item in _needed_in(words, flow):
            if item.path not in seen:
                seen.add(item.path)
                found.append(item)
    return found


def _needed_in(words: list[str | None], flow: BuildFlow) -> list[Needed]:
    if not words or words[0] is None:
        return []
    out: list[Needed] = []
    program = _program(words[0], flow)
    if program is not None:
        out.append(program)
    for word in words[1:]:
        if word is None:
            continue
        candidate = word.partition("=")[2] if word.startswith("-") else word
        if not candidate or not ("/" in candidate or _FILE_LIKE.search(candidate)):
            continue
        for piece in candidate.split(":") if not candidate.startswith("-") else []:
            path = resolve(piece, flow.workdir)
            written = flow.writes(path)
            if written is not None:
                out.append(Needed(path, written.origin, tool=written.tool))
    return out


def _program(name: str, flow: BuildFlow) -> Needed | None:
    if "/" in name:
        path = resolve(name, flow.workdir)
        written = flow.writes(path)
        return Needed(path, written.origin, program=True, tool=written.tool) if written is not None else None
    for directory in flow.runtime_path_dirs():
        path = f"{directory.rstrip('/')}/{name}"
        written = flow.writes(path)
        if written is not None:
            return Needed(path, written.origin, directory, program=True, tool=written.tool)
    return None


def exec_form(node: Instruction, program: str | None) -> str | None:
    """The exec (JSON) form of a shell-form ENTRYPOINT/CMD that uses no shell feature, with the
    program's absolute path when it is known; None when the command needs a shell."""
    if node.json:
        return None
    words = plain_words(node.args)
    if words is None:
        return None
    if program is not None:
        words[0] = program
    return f"{node.keyword} {json.dumps(words)}"


def shell_form_needs_shell(node: Instruction) -> bool:
    """A shell-form instruction that only a shell can run (variables, operators, redirections)."""
    if node.cmd == "HEALTHCHECK":
        text = node.args.strip()
        rest = text[3:].strip() if re.match(r"(?i)^cmd\b", text) else ""
        return bool(rest) and not rest.startswith("[")
    return not node.json and plain_words(node.args) is None
