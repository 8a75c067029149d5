"""Split a final stage built on a toolchain into a builder stage and a small runner stage.

The builder keeps every instruction in its original order (and text); the runner gets the
artifacts, copied to the same absolute paths so ENTRYPOINT and CMD keep working unchanged, and what
the running container needs. Only the final stage's lines change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from dockerfile_stages.model.stages import Stage, StageModel
from dockerfile_stages.model.toolchains import toolchain_of
from dockerfile_stages.refactor.profiles import BUILD_ONLY_ENV, BuildFacts, Profile, detect
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span, Trivia

RUNTIME_ONLY = {"CMD", "ENTRYPOINT", "EXPOSE", "VOLUME", "LABEL", "HEALTHCHECK", "STOPSIGNAL", "MAINTAINER"}
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class SplitPlan:
    profile: str
    runner: str
    builder: str  # the builder stage's name
    span: Span  # the final stage's lines, replaced whole
    text: str  # the new text for those lines
    uncertain: tuple[str, ...]
    base: str


@dataclass(frozen=True)
class NoSplit:
    reason: str


@dataclass(frozen=True)
class _Block:
    """An instruction with the comment lines right above it."""

    node: Instruction
    text: str  # comment lines + the instruction's lines, with line endings


def plan_split(
    document: Document, model: StageModel, runner: str | None = None, runners: dict[str, str] | None = None
) -> SplitPlan | NoSplit:
    if not model.stages:
        return NoSplit("the file has no FROM")
    final = model.stages[-1]
    root = final
    while root.base_stage is not None:
        root = model.stages[root.base_stage]
    if root.image is None:
        return NoSplit("the final stage's base is not a known image")
    blocks = _blocks(document, final)
    if not any(block.node.cmd == "RUN" for block in blocks):
        return NoSplit("nothing is built in the final stage (no RUN)")
    commands = "\n".join(
        block.node.original + "".join(doc.content for doc in block.node.heredocs) for block in blocks
    ).lower()
    if toolchain_of(root.image, commands) is None and root.image.repository.rsplit("/", 1)[-1] not in ("python",):
        return NoSplit(f"the final image ({root.image.display}) is already a runtime image")
    facts = _facts(root, blocks)
    profile = detect(facts, runner)
    if profile is None:
        return NoSplit(f"no build recognised on {root.image.display} (go, maven/gradle, npm, pip, cargo, dotnet, make)")
    if runner is None and runners and profile.name in runners:
        profile.runner = runners[profile.name]
    name = final.name or _unique(model, "builder")
    text = _render(document, final, blocks, profile, name)
    if document.line_ending(0) == "\r\n":
        text = text.replace("\n", "\r\n")
    end_line = final.end_line
    span = Span(Pos(final.start_line, 0), Pos(end_line, len(document.line(end_line))))
    return SplitPlan(profile.name, profile.runner, name, span, text, tuple(profile.uncertain), root.image.display)


def _unique(model: StageModel, base: str) -> str:
    taken = {stage.key for stage in model.stages}
    name, suffix = base, 2
    while name in taken:
        name, suffix = f"{base}-{suffix}", suffix + 1
    return name


def _blocks(document: Document, stage: Stage) -> list[_Block]:
    blocks: list[_Block] = []
    comments: list[str] = []
    line = stage.start_line
    start, node = document.node_at(line)
    line = start + node.line_count
    while line <= stage.end_line:
        start, node = document.node_at(line)
        text = "".join(document.line(i) + "\n" for i in range(start, start + node.line_count))
        if isinstance(node, Trivia):
            if node.kind == "comment":
                comments.append(text)
            else:
                comments = []
        elif isinstance(node, Instruction):
            blocks.append(_Block(node, "".join(comments) + text))
            comments = []
        line = start + node.line_count
    return blocks


def _facts(root: Stage, blocks: list[_Block]) -> BuildFacts:
    assert root.image is not None
    workdir = "/"
    runs: list[tuple[str, str]] = []
    program: str | None = None
    env: dict[str, str] = {}
    for block in blocks:
        node = block.node
        if node.cmd == "WORKDIR" and node.value:
            value = node.value[0]
            workdir = value if value.startswith("/") else f"{workdir.rstrip('/')}/{value}"
        elif node.cmd == "RUN":
            runs.append((" ".join(node.value) if node.json else node.original[len(node.keyword) :].strip(), workdir))
            for doc in node.heredocs:
                runs.append((doc.content, workdir))
        elif node.cmd == "ENV":
            values = list(node.value)
            for position in range(0, len(values) - 2, 3):
                env[values[position]] = values[position + 1].strip("\"'")
        elif node.cmd in ("ENTRYPOINT", "CMD") and node.value and (program is None or node.cmd == "ENTRYPOINT"):
            program = node.value[0] if node.json else node.value[0].split()[0]
    return BuildFacts(root.image, runs, workdir, program, env)


def _render(document: Document, final: Stage, blocks: list[_Block], profile: Profile, name: str) -> str:
    out = [_builder_from(document, final, name)]
    prefix_done = False
    runner_blocks: list[str] = []
    runner_args: list[str] = []
    workdir: str | None = None
    user: str | None = None
    runtime_env: list[str] = []
    used = {match for block in blocks if block.node.cmd in RUNTIME_ONLY for match in _VARIABLE.findall(block.text)}
    for block in blocks:
        node = block.node
        cmd = node.cmd
        if cmd == "RUN" and not prefix_done:
            out += [line + "\n" for line in profile.builder_prefix]
            prefix_done = True
        if cmd in RUNTIME_ONLY:
            runner_blocks.append(block.text)
            continue
        out.append(block.text)
        if cmd == "WORKDIR":
            workdir = block.text
        elif cmd == "USER":
            user = block.text
        elif cmd == "ENV" and not _build_only(node):
            runtime_env.append(block.text)
        elif cmd == "ARG" and any(word.text.split("=")[0] in used for word in node.words):
            runner_args.append(block.text)
    if not prefix_done:
        out += [line + "\n" for line in profile.builder_prefix]
    out += [line + "\n" for line in profile.builder_additions]
    out.append("\n")
    out.append(f"FROM {profile.runner}\n")
    out += runner_args
    if workdir:
        out.append(workdir.splitlines(keepends=True)[-1] if workdir.lstrip().startswith("#") else workdir)
    out += runtime_env
    out += [line + "\n" for line in profile.runner_env]
    for artifact in profile.artifacts:
        if artifact.check:
            out.append(f"# dockerfile-stages: {artifact.check}\n")
        out.append(f"COPY --from={name} {_copy_args(artifact.source, artifact.dest)}\n")
    for note in profile.uncertain:
        out.append(f"# dockerfile-stages: {note}\n")
    if user:
        out.append(user)
    out += runner_blocks
    text = "".join(out)
    return text[:-1] if text.endswith("\n") else text


def _builder_from(document: Document, final: Stage, name: str) -> str:
    first = final.keyword_span.start.line
    start, node = document.node_at(first)
    lines = [document.line(i) for i in range(start, start + node.line_count)]
    if final.name is None and final.base_span is not None:
        line = final.base_span.end.line
        col = final.base_span.end.col
        text = lines[line - start]
        lines[line - start] = text[:col] + f" AS {name}" + text[col:]
    return "\n".join(lines) + "\n"


def _build_only(node: Instruction) -> bool:
    values = list(node.value)
    names = [values[position] for position in range(0, len(values), 3)]
    return bool(names) and all(BUILD_ONLY_ENV.match(name) for name in names)


def _copy_args(source: str, dest: str) -> str:
    if any(ch.isspace() for ch in source + dest):
        return json.dumps([source, dest])
    return f"{source} {dest}"


def split_text(document: Document, plan: SplitPlan) -> str:
    """The whole file with the plan applied; every other byte stays as it was."""
    first, last = plan.span.start.line, plan.span.end.line
    before = "".join(document.line(i) + document.line_ending(i) for i in range(first))
    after = document.line_ending(last) + "".join(
        document.line(i) + document.line_ending(i) for i in range(last + 1, document.line_count)
    )
    return before + plan.text + after
