"""Build profiles: what a toolchain stage builds, where its output lives, and what runs it."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from dockerfile_stages.model.image import ImageRef

# ENV names that only matter while building; they stay in the builder.
BUILD_ONLY_ENV = re.compile(
    r"^(CGO_ENABLED|GOOS|GOARCH|GOARM|GOFLAGS|GOPROXY|GOPRIVATE|GONOSUMDB|GO111MODULE|MAVEN_OPTS|MAVEN_CONFIG|"
    r"GRADLE_OPTS|GRADLE_USER_HOME|CARGO_\w+|RUSTFLAGS|RUSTUP_\w+|NPM_CONFIG_\w+|YARN_\w+|PIP_\w+|POETRY_\w+|"
    r"UV_\w+|DOTNET_CLI_TELEMETRY_OPTOUT|NUGET_\w+|CC|CXX|CFLAGS|CXXFLAGS|LDFLAGS|MAKEFLAGS)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Artifact:
    source: str  # absolute path in the builder (may use * wildcards)
    dest: str  # absolute path in the runner
    check: str | None = None  # what to verify, when the path is a guess


@dataclass
class Profile:
    name: str  # "go", "java", "node", "python", "rust", "dotnet", "c"
    runner: str
    artifacts: list[Artifact] = field(default_factory=list)
    builder_additions: list[str] = field(default_factory=list)  # instructions appended to the builder
    builder_prefix: list[str] = field(default_factory=list)  # instructions before the first build step
    runner_env: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BuildFacts:
    """What the stage shows: its base, commands with the WORKDIR each ran in, entrypoint, ENV."""

    image: ImageRef
    runs: list[tuple[str, str]]  # (command text, workdir)
    final_workdir: str
    program: str | None  # the executable of ENTRYPOINT/CMD, as written
    env: dict[str, str]


def _major(tag: str, default: str) -> str:
    match = re.search(r"(\d+)", tag)
    return match.group(1) if match else default


def _resolve(path: str, workdir: str) -> str:
    if path.startswith("/"):
        return path
    base = workdir.rstrip("/") or ""
    clean = path[2:] if path.startswith("./") else path
    return f"{base}/{clean}" if base else f"/{clean}"


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, comments=False)
    except ValueError:
        return command.split()


def _debian_codename(tag: str) -> str:
    for codename in ("trixie", "bookworm", "bullseye", "buster"):
        if codename in tag:
            return codename
    return "bookworm"


def detect(facts: BuildFacts, runner_override: str | None = None) -> Profile | None:
    """The profile that fits the stage, or None when nothing recognisable is built."""
    repository = facts.image.repository.rsplit("/", 1)[-1]
    if facts.image.repository.endswith("dotnet/sdk"):
        repository = "dotnet-sdk"
    tag = (facts.image.tag or "latest").lower()
    commands = " && ".join(command for command, _ in facts.runs)
    for detector in (_go, _java, _node, _python, _rust, _dotnet, _c):
        profile = detector(repository, tag, commands, facts)
        if profile is not None:
            if runner_override:
                profile.runner = runner_override
            _runtime_files(profile, commands)
            return profile
    return None


def _runtime_files(profile: Profile, commands: str) -> None:
    """CA certificates and time zones the build installed: the program may need them at run time."""
    if profile.runner.startswith("gcr.io/distroless/") or profile.name in ("java", "node", "python", "dotnet"):
        return  # these runners ship both already
    if re.search(r"\bca-certificates\b", commands):
        profile.artifacts.append(Artifact("/etc/ssl/certs/", "/etc/ssl/certs/"))
    if re.search(r"\btzdata\b", commands):
        profile.artifacts.append(Artifact("/usr/share/zoneinfo/", "/usr/share/zoneinfo/"))


def _go(repository: str, tag: str, commands: str, facts: BuildFacts) -> Profile | None:
    if repository != "golang" or not re.search(r"\bgo (build|install)\b", commands):
        return None
    needs_cgo = bool(
        re.search(r"CGO_ENABLED=1|-linkmode[= ]external|\bgcc\b|build-base|libc6?-dev|musl-dev", commands)
        or facts.env.get("CGO_ENABLED") == "1"
    )
    if needs_cgo:
        runner = f"alpine:{_alpine(tag)}" if "alpine" in tag else f"debian:{_debian_codename(tag)}-slim"
    else:
        runner = "gcr.io/distroless/static-debian12"
    profile = Profile("go", runner)
    if not needs_cgo and facts.env.get("CGO_ENABLED") != "0" and "CGO_ENABLED=0" not in commands:
        profile.builder_prefix.append("ENV CGO_ENABLED=0")
    for command, workdir in facts.runs:
        words = _words(command)
        for position, word in enumerate(words):
            if word == "-o" and position + 1 < len(words) and _is_go_build(words, position):
                target = _resolve(words[position + 1], workdir)
                profile.artifacts.append(Artifact(target, target))
            elif word.startswith("-o=") and _is_go_build(words, position):
                target = _resolve(word[3:], workdir)
                profile.artifacts.append(Artifact(target, target))
        if re.search(r"\bgo install\b", command):
            profile.artifacts.append(Artifact("/go/bin/", "/go/bin/"))
    if not profile.artifacts:
        _from_program(profile, facts, "the binary `go build` wrote (it has no -o)")
    return profile


def _is_go_build(words: list[str], position: int) -> bool:
    return any(words[i] == "go" and words[i + 1] == "build" for i in range(min(position, len(words) - 1)))


def _alpine(tag: str) -> str:
    match = re.search(r"alpine(\d+\.\d+)", tag)
    return match.group(1) if match else "3.20"


def _java(repository: str, tag: str, commands: str, facts: BuildFacts) -> Profile | None:
    maven = re.search(r"(\bmvn|mvnw)\b[^&|;]*\b(package|install|verify)\b", commands)
    gradle = re.search(r"(\bgradle|gradlew)\b[^&|;]*\b(build|bootJar|jar|assemble|installDist|shadowJar)\b", commands)
    if repository not in ("maven", "gradle", "openjdk", "eclipse-temurin", "amazoncorretto") or not (maven or gradle):
        return None
    if repository in ("maven", "gradle"):
        found = re.search(r"(jdk|temurin|corretto)-?(\d+)", tag)  # maven:3.9-eclipse-temurin-21, gradle:8-jdk17
        major = found.group(2) if found else "21"
    else:
        major = _major(tag, "21")
    profile = Profile("java", f"eclipse-temurin:{major}-jre")
    workdir = _build_workdir(facts, "mvn" if maven else "gradle")
    if maven:
        profile.artifacts.append(Artifact(f"{_resolve('target', workdir)}/*.jar", f"{_resolve('target', workdir)}/"))
    elif gradle and gradle.group(2) == "installDist":
        profile.artifacts.append(
            Artifact(_resolve("build/install", workdir) + "/", _resolve("build/install", workdir) + "/")
        )
    else:
        profile.artifacts.append(
            Artifact(f"{_resolve('build/libs', workdir)}/*.jar", f"{_resolve('build/libs', workdir)}/")
        )
    return profile


def _build_workdir(facts: BuildFacts, tool: str) -> str:
    for command, workdir in facts.runs:
        if tool in command:
            return workdir
    return facts.final_workdir


def _node(repository: str, tag: str, commands: str, facts: BuildFacts) -> Profile | None:
    if repository != "node" or not re.search(r"\b(npm (ci|install|i)\b|yarn\b|pnpm\b)", commands):
        return None
    major = _major(tag, "22")
    profile = Profile("node", f"node:{major}-slim")
    workdir = _build_workdir(facts, "npm") if "npm" in commands else facts.final_workdir
    if re.search(r"\bnpm\b", commands):
        profile.builder_additions.append("RUN npm prune --omit=dev")
    elif "yarn" in commands or "pnpm" in commands:
        profile.uncertain.append("development dependencies were not pruned (yarn/pnpm): prune them in the builder")
    app = workdir if workdir != "/" else facts.final_workdir
    profile.artifacts.append(Artifact(app.rstrip("/") + "/", app.rstrip("/") + "/"))
    return profile


def _python(repository: str, tag: str, commands: str, facts: BuildFacts) -> Profile | None:
    if repository != "python" or not re.search(r"\b(pip3? install|poetry install|uv (pip|sync))\b", commands):
        return None
    version = re.match(r"(\d+(\.\d+)?)", tag)
    profile = Profile("python", f"python:{version.group(1) if version else '3'}-slim")
    if "/opt/venv" not in commands:
        profile.builder_prefix += ["RUN python -m venv /opt/venv", 'ENV PATH="/opt/venv/bin:$PATH"']
    profile.runner_env.append('ENV PATH="/opt/venv/bin:$PATH"')
    profile.artifacts.append(Artifact("/opt/venv/", "/opt/venv/"))
    app = facts.final_workdir
    if app not in ("/", ""):
        profile.artifacts.append(Artifact(app.rstrip("/") + "/", app.rstrip("/") + "/"))
    if "poetry" in commands or "uv " in commands:
        profile.uncertain.append(
            "poetry/uv must install into /opt/venv (set POETRY_VIRTUALENVS_CREATE=false or UV_PROJECT_ENVIRONMENT)"
        )
    return profile


def _rust(repository: str, tag: str, commands: str, facts: BuildFacts) -> Profile | None:
    if repository != "rust" or not re.search(r"\bcargo (build|install)\b", commands):
        return None
    musl = "musl" in commands
    runner = "scratch" if musl else f"debian:{_debian_codename(tag)}-slim"
    profile = Profile("rust", runner)
    target_dir = "target/release" if "--release" in commands or "cargo install" in commands else "target/debug"
    triple = re.search(r"--target[= ]([\w-]+)", commands)
    if triple:
        target_dir = f"target/{triple.group(1)}/" + ("release" if "--release" in commands else "debug")
    if "cargo install" in commands:
        profile.artifacts.append(Artifact("/usr/local/cargo/bin/", "/usr/local/cargo/bin/"))
        return profile
    program = facts.program
    workdir = _build_workdir(facts, "cargo")
    binary = re.search(r"--bin[= ]([\w-]+)", commands)
    if binary:
        path = _resolve(f"{target_dir}/{binary.group(1)}", workdir)
        profile.artifacts.append(Artifact(path, path))
    elif program and target_dir in program:
        path = _resolve(program, facts.final_workdir)
        profile.artifacts.append(Artifact(path, path))
    else:
        _from_program(profile, facts, f"the binary in {target_dir}/ (named after the crate)")
    return profile


def _dotnet(repository: str, tag: str, commands: str, facts: BuildFacts) -> Profile | None:
    if repository != "dotnet-sdk" or "dotnet publish" not in commands:
        return None
    version = re.match(r"(\d+\.\d+)", tag)
    # aspnet includes the plain runtime, so it runs console apps and web apps alike
    profile = Profile("dotnet", f"mcr.microsoft.com/dotnet/aspnet:{version.group(1) if version else '8.0'}")
    for command, workdir in facts.runs:
        match = re.search(r"dotnet publish\b.*?(?:-o|--output)[= ](\S+)", command)
        if match:
            path = _resolve(match.group(1), workdir).rstrip("/") + "/"
            profile.artifacts.append(Artifact(path, path))
    if not profile.artifacts:
        _from_program(profile, facts, "the `dotnet publish` output directory (no -o given)")
    return profile


def _c(repository: str, tag: str, commands: str, facts: BuildFacts) -> Profile | None:
    if repository not in ("gcc", "buildpack-deps", "debian", "ubuntu") or not re.search(
        r"\b(make|cmake|gcc|g\+\+|cc|clang)\b", commands
    ):
        return None
    static = "-static" in commands
    profile = Profile("c", "scratch" if static else f"debian:{_debian_codename(tag)}-slim")
    for command, workdir in facts.runs:
        words = _words(command)
        for position, word in enumerate(words):
            if word == "-o" and position + 1 < len(words) and any(w in ("gcc", "g++", "cc", "clang") for w in words):
                target = _resolve(words[position + 1], workdir)
                profile.artifacts.append(Artifact(target, target))
    if not profile.artifacts:
        _from_program(profile, facts, "the program `make`/`cmake` built")
    return profile


def _from_program(profile: Profile, facts: BuildFacts, what: str) -> None:
    """Fall back to the ENTRYPOINT/CMD program: if it lives under the workdir, copy it from there."""
    program = facts.program
    if program and ("/" in program or program.startswith(".")):
        path = _resolve(program, facts.final_workdir)
        profile.artifacts.append(Artifact(path, path, f"check that {path} is {what}"))
    else:
        workdir = facts.final_workdir.rstrip("/") + "/"
        profile.artifacts.append(Artifact(workdir, workdir, f"copies the whole {workdir}: narrow it to {what}"))
