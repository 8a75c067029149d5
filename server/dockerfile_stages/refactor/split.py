"""Split a final stage built on a toolchain into a builder stage and a small runner stage.

The builder keeps every instruction in its original order (and text); the runner gets what the
program is started from (followed through the build's data flow: outputs, moves, ENV paths), copied
to the same absolute paths, plus what the running container needs: the users the build created,
runtime packages, PATH entries, and ENV/WORKDIR in their original order. Only the final stage's
lines change.
"""

from __future__ import annotations

import json
import posixpath
import re

import msgspec

from dockerfile_stages.model.stages import Stage, StageModel, stage_nodes
from dockerfile_stages.model.toolchains import toolchain_of
from dockerfile_stages.refactor.flow import BuildFlow, Origin, follow
from dockerfile_stages.refactor.profiles import (
    BUILD_ONLY_ENV,
    Artifact,
    BuildFacts,
    Profile,
    add_runtime_files,
    detect,
    languages,
)
from dockerfile_stages.refactor.program import Needed, exec_form, needed_paths, shell_form_needs_shell
from dockerfile_stages.refactor.runners import (
    debian_codename,
    family_of,
    install_line,
    runner_facts,
    runtime_packages,
)
from dockerfile_stages.refactor.shell import is_glob
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span, Trivia

RUNTIME_ONLY = {"CMD", "ENTRYPOINT", "EXPOSE", "VOLUME", "LABEL", "HEALTHCHECK", "STOPSIGNAL", "MAINTAINER"}
_PROGRAM_INSTRUCTIONS = ("ENTRYPOINT", "CMD", "HEALTHCHECK")
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
# packages a profile's build needs that its runtime does not: node-gyp's toolchain, Debian's
# packaged Maven plugins and build libraries (the jar carries what the program uses)
_PROFILE_BUILD_ONLY = {
    "node": re.compile(r"^(python3(-minimal)?|python-is-python3)$"),
    "java": re.compile(r"^(lib[\w.+-]*-java|ant|junit\d?)$"),
}


class SplitPlan(msgspec.Struct, frozen=True):
    profile: str
    runner: str
    builder: str  # the builder stage's name
    span: Span  # the final stage's lines, replaced whole
    text: str  # the new text for those lines
    uncertain: tuple[str, ...]
    base: str


class NoSplit(msgspec.Struct, frozen=True):
    reason: str


class _Block(msgspec.Struct, frozen=True):
    """An instruction with the comment lines right above it."""

    node: Instruction
    text: str  # comment lines + the instruction's lines, with line endings
    instruction: str  # the instruction's lines only


class _Runner(msgspec.Struct):
    """What the runner stage is made of, decided before it is written."""

    image: str
    setup: list[str]  # RUN lines (as root, first)
    env: list[str]  # ENV lines the split adds (PATH)
    users: list[str]  # COPY lines for passwd/group and the home
    artifacts: list[Artifact]
    notes: list[str]
    rewritten: dict[int, str]  # block index -> new instruction text


def plan_split(
    document: Document, model: StageModel, runner: str | None = None, runners: dict[str, str] | None = None
) -> SplitPlan | NoSplit:
    if not model.stages:
        return NoSplit("the file has no FROM")
    final = model.stages[-1]
    root = final
    while root.base_stage is not None:
        root = model.stages[root.base_stage]
    if root.is_scratch:
        return NoSplit("the final stage is built on scratch: it has no toolchain to leave behind")
    if root.image is None:
        return NoSplit(f"the final stage's base ({root.base}) is not a known image (an ARG without a default?)")
    blocks = _blocks(document, final)
    if not any(block.node.cmd == "RUN" for block in blocks):
        return NoSplit("nothing is built in the final stage (no RUN)")
    flow = follow([block.node for block in blocks], root.image.repository.rsplit("/", 1)[-1])
    commands = "\n".join(
        block.node.original + "".join(doc.content for doc in block.node.heredocs) for block in blocks
    ).lower()
    is_python = root.image.repository.rsplit("/", 1)[-1] == "python"
    distro_build = family_of(root.image) is not None and bool(languages(flow))
    if toolchain_of(root.image, commands) is None and not is_python and not distro_build:
        return NoSplit(f"the final image ({root.image.display}) is already a runtime image")
    facts = _facts(root, blocks, flow)
    profile = detect(facts, runner)
    if profile is None:
        return NoSplit(f"no build recognised on {root.image.display} (go, maven/gradle, npm, pip, cargo, dotnet, make)")
    if runner is None and runners and profile.name in runners:
        profile.runner = runners[profile.name]
    name = final.name or _unique(model, "builder")
    plan = _runner(profile, blocks, flow, facts, overridden=runner is not None or profile.name in (runners or {}))
    text = _render(document, final, blocks, profile, plan, name)
    if document.line_ending(0) == "\r\n":
        text = text.replace("\n", "\r\n")
    end_line = final.end_line
    span = Span(Pos(final.start_line, 0), Pos(end_line, len(document.line(end_line))))
    uncertain = tuple(profile.uncertain + plan.notes + [a.check for a in plan.artifacts if a.check])
    return SplitPlan(profile.name, plan.image, name, span, text, uncertain, root.image.display)


def _unique(model: StageModel, base: str) -> str:
    taken = {stage.key for stage in model.stages}
    name, suffix = base, 2
    while name in taken:
        name, suffix = f"{base}-{suffix}", suffix + 1
    return name


def _blocks(document: Document, stage: Stage) -> list[_Block]:
    blocks: list[_Block] = []
    comments: list[str] = []
    for start, node in stage_nodes(document, stage):
        text = "".join(document.line(i) + "\n" for i in range(start, start + node.line_count))
        if isinstance(node, Trivia):
            if node.kind == "comment":
                comments.append(text)
            else:
                comments = []
        elif isinstance(node, Instruction):
            blocks.append(_Block(node, "".join(comments) + text, text))
            comments = []
    return blocks


def _facts(root: Stage, blocks: list[_Block], flow: BuildFlow) -> BuildFacts:
    assert root.image is not None
    workdir = "/"
    runs: list[tuple[str, str]] = []
    program: str | None = None
    for block in blocks:
        node = block.node
        if node.cmd == "WORKDIR" and node.value:
            value = node.value[0]
            workdir = value if value.startswith("/") else f"{workdir.rstrip('/')}/{value}"
        elif node.cmd == "RUN":
            runs.append((" ".join(node.value) if node.json else node.args.strip(), workdir))
            for doc in node.heredocs:
                runs.append((doc.content, workdir))
        elif node.cmd in ("ENTRYPOINT", "CMD") and node.value and (program is None or node.cmd == "ENTRYPOINT"):
            program = node.value[0] if node.json else node.value[0].split()[0]
    return BuildFacts(root.image, runs, flow.workdir, program, flow)


def _runtime_nodes(blocks: list[_Block]) -> list[Instruction]:
    """The last ENTRYPOINT, CMD and HEALTHCHECK: the ones the image keeps."""
    last: dict[str, Instruction] = {}
    for block in blocks:
        if block.node.cmd in _PROGRAM_INSTRUCTIONS:
            last[block.node.cmd] = block.node
    return list(last.values())


def _runner(profile: Profile, blocks: list[_Block], flow: BuildFlow, facts: BuildFacts, overridden: bool) -> _Runner:
    runtime = _runtime_nodes(blocks)
    needed = needed_paths(runtime, flow)
    plan = _Runner(profile.runner, [], [], [], _artifacts(profile, needed), [], {})
    add_runtime_files(profile, plan.artifacts, " && ".join(command for command, _ in facts.runs))
    _shell(plan, profile, blocks, needed, facts, overridden)
    facts_of_runner = runner_facts(plan.image)
    if not facts_of_runner.has_libc and not profile.static:
        plan.notes.append(
            f"the program is not known to be linked statically, and {plan.image} has no C library:"
            " link it statically (-static, CGO_ENABLED=0, a musl target) or use a runner with glibc"
        )
    _packages(plan, profile, blocks, flow)
    _path(plan, flow, needed)
    _users(plan, flow)
    return plan


def _artifacts(profile: Profile, needed: list[Needed]) -> list[Artifact]:
    """What the runner copies: the paths the program is started from when the build wrote them,
    else the profile's idea of the build output; for interpreted languages the app and its deps too."""
    if profile.name == "python" and profile.builder_prefix:
        # pip installs into the venv the split adds, not where the original's pip wrote
        needed = [item for item in needed if item.tool != "pip install"]
    built = [item for item in needed if item.origin is not Origin.CONTEXT]
    artifacts = list(profile.artifacts)
    if built and not profile.keeps_app_dir:
        artifacts = [_artifact(item.path) for item in needed]
    elif needed:
        artifacts += [_artifact(item.path) for item in needed]
    return _without_nested(artifacts)


def _artifact(path: str) -> Artifact:
    if is_glob(path):
        directory = posixpath.dirname(path).rstrip("/") + "/"
        return Artifact(path, directory)
    return Artifact(path, path)


def _without_nested(artifacts: list[Artifact]) -> list[Artifact]:
    """Drop an artifact a copied directory already contains, and repeats."""
    kept: list[Artifact] = []
    for artifact in artifacts:
        inside = any(
            other is not artifact
            and other.source.endswith("/")
            and not is_glob(other.source)
            and artifact.source.startswith(other.source)
            and artifact.source != other.source
            for other in artifacts
        )
        if not inside and all(artifact.source != other.source for other in kept):
            kept.append(artifact)
    return kept


def _shell(
    plan: _Runner, profile: Profile, blocks: list[_Block], needed: list[Needed], facts: BuildFacts, overridden: bool
) -> None:
    """On a runner without a shell, a shell-form command becomes the exec form (with the program's
    absolute path) when it uses no shell feature; one that needs a shell keeps a runner that has one."""
    if runner_facts(plan.image).has_shell:
        return
    program = next((item for item in needed if item.program), None)
    needs_shell: list[str] = []
    for index, block in enumerate(blocks):
        node = block.node
        if node.cmd not in _PROGRAM_INSTRUCTIONS or node.json:
            continue
        if not shell_form_needs_shell(node) and node.cmd != "HEALTHCHECK":
            converted = exec_form(node, program.path if program else None)
            if converted is not None:
                plan.rewritten[index] = converted + "\n"
                continue
        needs_shell.append(node.cmd)
    if not needs_shell:
        return
    if overridden:
        plan.notes.append(
            f"{' and '.join(needs_shell)} need a shell, which {plan.image} does not have: use a runner with /bin/sh"
        )
        return
    plan.image = _runner_with_shell(profile, facts.image.tag or "")
    plan.rewritten.clear()


def _runner_with_shell(profile: Profile, tag: str) -> str:
    """The smallest runner with /bin/sh for the program: busybox (or the builder's Alpine) for a
    static binary, the builder's Debian release otherwise."""
    if "alpine" in tag:
        match = re.search(r"alpine(\d+\.\d+)", tag)
        return f"alpine:{match.group(1) if match else '3.20'}"
    return "busybox:stable" if profile.static else f"debian:{debian_codename(tag)}-slim"


def _packages(plan: _Runner, profile: Profile, blocks: list[_Block], flow: BuildFlow) -> None:
    """System packages the build installed that the program needs at run time."""
    if profile.family is None or not flow.packages or not runner_facts(plan.image).has_shell:
        return
    if plan.image.startswith(("gcr.io/distroless/", "scratch")):
        return
    runtime_text = " ".join(block.node.original for block in blocks if block.node.cmd in RUNTIME_ONLY)
    skip = _PROFILE_BUILD_ONLY.get(profile.name)
    packages = [package for package in flow.packages if skip is None or not skip.match(package.name)]
    found = runtime_packages(profile.family, packages, runtime_text)
    if found.install:
        plan.setup.append(install_line(profile.family, plan.image, found.install))
    for name in found.unsure:
        plan.notes.append(
            f"the build installed {name}: install its runtime library in the runner if the program links it"
        )


def _path(plan: _Runner, flow: BuildFlow, needed: list[Needed]) -> None:
    """A bare program name the builder found through a PATH entry the runner lacks (one the base
    image set, not a carried ENV line): carry the entry."""
    runner_path = runner_facts(plan.image).path.split(":")
    missing = [
        item.path_dir
        for item in needed
        if item.path_dir is not None
        and item.path_dir not in runner_path
        and item.path_dir not in flow.declared_path_dirs
    ]
    if missing:
        plan.env.append(f"ENV PATH={':'.join(dict.fromkeys(missing))}:{':'.join(runner_path)}")


def _users(plan: _Runner, flow: BuildFlow) -> None:
    """Users and groups the build created: the runner gets the builder's passwd and group (so USER
    resolves the same, with or without a shell), and the running user's home."""
    if not flow.users and not flow.groups:
        return
    plan.users.append("COPY --from={builder} /etc/passwd /etc/group /etc/")
    user = (flow.user or "").split(":")[0]
    for created in flow.users:
        if created.home and user in (created.name, created.uid):
            covered = any(
                created.home.startswith(a.source.rstrip("/") + "/") or created.home == a.source.rstrip("/")
                for a in plan.artifacts
            )
            if not covered:
                plan.users.append(f"COPY --from={{builder}} {created.home} {created.home}")


def _render(document: Document, final: Stage, blocks: list[_Block], profile: Profile, plan: _Runner, name: str) -> str:
    out = [_builder_from(document, final, name)]
    prefix_done = False
    runner_blocks: list[str] = []
    ordered: list[str] = []  # runtime ENV and WORKDIR, in their order
    user: str | None = None
    insert_after = _additions_index(blocks, profile)
    carried_text: list[str] = []
    for index, block in enumerate(blocks):
        node = block.node
        cmd = node.cmd
        if cmd == "RUN" and not prefix_done:
            out += [line + "\n" for line in profile.builder_prefix]
            prefix_done = True
        if cmd in RUNTIME_ONLY:
            text = block.text
            if index in plan.rewritten:
                text = block.text[: len(block.text) - len(block.instruction)] + plan.rewritten[index]
            runner_blocks.append(text)
            carried_text.append(text)
            continue
        out.append(block.text)
        if index == insert_after:
            out += [line + "\n" for line in profile.builder_additions]
        if cmd == "WORKDIR":
            ordered.append(block.instruction)
            carried_text.append(block.instruction)
        elif cmd == "USER":
            user = block.text
            carried_text.append(block.text)
        elif cmd == "ENV" and not _build_only(node):
            ordered.append(block.text)
            carried_text.append(block.text)
    if not prefix_done:
        out += [line + "\n" for line in profile.builder_prefix]
    if insert_after is None:
        out += [line + "\n" for line in profile.builder_additions]
    used = {match for text in carried_text for match in _VARIABLE.findall(text)}
    runner_args = [
        block.text
        for block in blocks
        if block.node.cmd == "ARG" and any(word.text.split("=")[0] in used for word in block.node.words)
    ]
    out.append("\n")
    out.append(f"FROM {plan.image}\n")
    out += runner_args
    out += [line + "\n" for line in plan.setup]
    out += [line + "\n" for line in plan.env]
    out += ordered
    out += [line + "\n" for line in profile.runner_env]
    out += [line.format(builder=name) + "\n" for line in plan.users]
    for artifact in plan.artifacts:
        if artifact.check:
            out.append(f"# dockerfile-stages: {artifact.check}\n")
        out.append(f"COPY --from={name} {_copy_args(artifact.source, artifact.dest)}\n")
    for note in profile.uncertain + plan.notes:
        out.append(f"# dockerfile-stages: {note}\n")
    if user:
        out.append(user)
    out += runner_blocks
    text = "".join(out)
    return text[:-1] if text.endswith("\n") else text


def _additions_index(blocks: list[_Block], profile: Profile) -> int | None:
    """Where the builder's added steps go: right after the last RUN of the tool they continue (so
    they run as the same user, on the files it wrote), or at the end."""
    if not profile.builder_additions or profile.additions_after is None:
        return None
    matching = [
        index
        for index, block in enumerate(blocks)
        if block.node.cmd == "RUN" and profile.additions_after.search(block.node.original)
    ]
    return matching[-1] if matching else None


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
