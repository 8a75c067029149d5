"""Build profiles: what a toolchain stage builds, where its output lives, and what runs it.

A profile is chosen from the base image (golang, maven, node, ...) or, on a plain distribution image,
from the build packages the stage installs (``apt-get install golang-go``, ``apk add openjdk17``).
"""

from __future__ import annotations

import re

import msgspec

from dockerfile_stages.model.image import ImageRef
from dockerfile_stages.refactor.flow import BuildFlow, Origin
from dockerfile_stages.refactor.runners import Family, debian_codename, family_of, family_of_toolchain, slim_of

# ENV names that only matter while building; they stay in the builder.
BUILD_ONLY_ENV = re.compile(
    r"^(CGO_ENABLED|GOOS|GOARCH|GOARM|GOFLAGS|GOPROXY|GOPRIVATE|GONOSUMDB|GO111MODULE|MAVEN_OPTS|MAVEN_CONFIG|"
    r"GRADLE_OPTS|GRADLE_USER_HOME|CARGO_\w+|RUSTFLAGS|RUSTUP_\w+|NPM_CONFIG_\w+|YARN_\w+|PIP_\w+|POETRY_\w+|"
    r"UV_\w+|DOTNET_CLI_TELEMETRY_OPTOUT|NUGET_\w+|CC|CXX|CFLAGS|CXXFLAGS|LDFLAGS|MAKEFLAGS|DEBIAN_FRONTEND)$",
    re.IGNORECASE,
)

# build packages of a plain distribution image, by the profile they make
_LANGUAGE_PACKAGES: dict[str, re.Pattern[str]] = {
    "go": re.compile(r"^(golang(-[\d.]+)?(-go)?|go)$"),
    "java": re.compile(
        r"^(openjdk-\d+-jdk(-headless)?|default-jdk(-headless)?|openjdk\d+(-jdk)?|"
        r"java-[\d.]+-openjdk-devel|maven|gradle)$"
    ),
    "node": re.compile(r"^(nodejs|npm)$"),
    "python": re.compile(r"^(python3?-pip|py3-pip|python3-venv)$"),
    "rust": re.compile(r"^(cargo|rustc|rust)$"),
    "c": re.compile(r"^(build-essential|build-base|gcc|g\+\+|gcc-c\+\+|clang|make|cmake)$"),
}


class Artifact(msgspec.Struct, frozen=True):
    source: str  # absolute path in the builder (may use * wildcards)
    dest: str  # absolute path in the runner
    check: str | None = None  # what to verify, when the path is a guess


class Profile(msgspec.Struct):
    name: str  # "go", "java", "node", "python", "rust", "dotnet", "c"
    runner: str
    artifacts: list[Artifact] = msgspec.field(default_factory=list)
    builder_additions: list[str] = msgspec.field(default_factory=list)  # instructions added to the builder
    additions_after: re.Pattern[str] | None = None  # ... right after the last RUN this matches (else at the end)
    builder_prefix: list[str] = msgspec.field(default_factory=list)  # instructions before the first build step
    runner_env: list[str] = msgspec.field(default_factory=list)
    uncertain: list[str] = msgspec.field(default_factory=list)
    static: bool = False  # the program needs no libc (a static binary)
    family: Family | None = None  # the runner's distribution, when it has a package manager
    keeps_app_dir: bool = False  # the app directory is the artifact (interpreted languages)


class BuildFacts(msgspec.Struct, frozen=True):
    """What the stage shows: its base, commands with the WORKDIR each ran in, entrypoint, and its data flow."""

    image: ImageRef
    runs: list[tuple[str, str]]  # (command text, workdir)
    final_workdir: str
    program: str | None  # the executable of ENTRYPOINT/CMD, as written
    flow: BuildFlow

    @property
    def env(self) -> dict[str, str | None]:
        return self.flow.env


def _major(tag: str, default: str) -> str:
    match = re.search(r"(\d+)", tag)
    return match.group(1) if match else default


def _resolve(path: str, workdir: str) -> str:
    if path.startswith("/"):
        return path
    base = workdir.rstrip("/") or ""
    clean = path[2:] if path.startswith("./") else path
    return f"{base}/{clean}" if base else f"/{clean}"


def languages(flow: BuildFlow) -> set[str]:
    """The languages whose build packages the stage installs."""
    names = flow.package_names()
    return {language for language, pattern in _LANGUAGE_PACKAGES.items() if any(pattern.match(n) for n in names)}


def detect(facts: BuildFacts, runner_override: str | None = None) -> Profile | None:
    """The profile that fits the stage, or None when nothing recognisable is built."""
    repository = facts.image.repository.rsplit("/", 1)[-1]
    if facts.image.repository.endswith("dotnet/sdk"):
        repository = "dotnet-sdk"
    tag = (facts.image.tag or "latest").lower()
    commands = " && ".join(command for command, _ in facts.runs)
    distro = family_of(facts.image)
    installed = languages(facts.flow) if distro is not None else set()
    for name, detector in _DETECTORS:
        if distro is not None and name not in installed:
            continue
        profile = detector(repository, tag, commands, facts, distro is not None)
        if profile is not None:
            if distro is not None:
                profile.runner = slim_of(facts.image)
                profile.family = distro
            elif profile.family is None and not profile.runner.startswith(("gcr.io/distroless/", "scratch")):
                profile.family = family_of_toolchain(facts.image)
            if runner_override:
                profile.runner = runner_override
            return profile
    return None


def add_runtime_files(profile: Profile, artifacts: list[Artifact], commands: str) -> None:
    """CA certificates and time zones the build installed: a bare runner (scratch) gets them, as
    the program may need them at run time (distroless and the language runtimes ship both)."""
    if profile.runner != "scratch":
        return
    if re.search(r"\bca-certificates\b", commands):
        artifacts.append(Artifact("/etc/ssl/certs/", "/etc/ssl/certs/"))
    if re.search(r"\btzdata\b", commands):
        artifacts.append(Artifact("/usr/share/zoneinfo/", "/usr/share/zoneinfo/"))


def _go(repository: str, tag: str, commands: str, facts: BuildFacts, distro: bool) -> Profile | None:
    if (repository != "golang" and not distro) or not re.search(r"\bgo (build|install)\b", commands):
        return None
    disabled = facts.env.get("CGO_ENABLED") == "0" or re.search(r"\bCGO_ENABLED=0\b", commands) is not None
    needs_cgo = not disabled and bool(
        re.search(r"CGO_ENABLED=1|-linkmode[= ]external|\bgcc\b|build-base|libc6?-dev|musl-dev", commands)
        or facts.env.get("CGO_ENABLED") == "1"
    )
    if needs_cgo:
        runner = f"alpine:{_alpine(tag)}" if "alpine" in tag else f"debian:{debian_codename(tag)}-slim"
    else:
        runner = "gcr.io/distroless/static-debian12"
    profile = Profile("go", runner, static=not needs_cgo)
    if not needs_cgo and not disabled and not distro:
        profile.builder_prefix.append("ENV CGO_ENABLED=0")
    for written in facts.flow.written:
        if written.tool in ("go build", "go install") and not (written.tool == "go build" and written.directory):
            path = written.path.rstrip("/") + ("/" if written.directory else "")
            profile.artifacts.append(Artifact(path, path))
    if not profile.artifacts:
        _from_program(profile, facts, "the binary `go build` wrote (it has no -o)")
    return profile


def _alpine(tag: str) -> str:
    match = re.search(r"alpine(\d+\.\d+)", tag)
    return match.group(1) if match else "3.20"


def _java(repository: str, tag: str, commands: str, facts: BuildFacts, distro: bool) -> Profile | None:
    maven = re.search(r"(\bmvn|mvnw)\b[^&|;]*\b(package|install|verify)\b", commands)
    gradle = re.search(r"(\bgradle|gradlew)\b[^&|;]*\b(build|bootJar|jar|assemble|installDist|shadowJar)\b", commands)
    known = repository in ("maven", "gradle", "openjdk", "eclipse-temurin", "amazoncorretto")
    if (not known and not distro) or not (maven or gradle):
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


_NODE_INSTALL = re.compile(r"\b(npm|yarn|pnpm)\b")


def _node(repository: str, tag: str, commands: str, facts: BuildFacts, distro: bool) -> Profile | None:
    if (repository != "node" and not distro) or not re.search(r"\b(npm (ci|install|i)\b|yarn\b|pnpm\b)", commands):
        return None
    major = _major(tag, "22")
    profile = Profile("node", f"node:{major}-slim", keeps_app_dir=True)
    installs = [run for run in facts.flow.runs if run.name in ("npm", "yarn", "pnpm") and run.args[:1] != ("-g",)]
    workdir = installs[0].cwd if installs else facts.final_workdir
    pruned = _installs_without_dev(facts)
    if pruned:
        pass  # the install left development dependencies out already: nothing to prune
    elif re.search(r"\bnpm\b", commands) and not re.search(r"\b(yarn|pnpm)\b", commands):
        profile.builder_additions.append("RUN npm prune --omit=dev")
        profile.additions_after = _NODE_INSTALL
    elif re.search(r"\bpnpm\b", commands):
        profile.builder_additions.append("RUN pnpm prune --prod")
        profile.additions_after = _NODE_INSTALL
    else:
        profile.uncertain.append(
            "development dependencies were not pruned (yarn): install with --production in the builder"
        )
    app = workdir if workdir != "/" else facts.final_workdir
    profile.artifacts.append(Artifact(app.rstrip("/") + "/", app.rstrip("/") + "/"))
    for package in facts.flow.global_node_packages:
        # a tool installed globally in the builder (pnpm, a CLI) is carried with its command links
        profile.artifacts.append(
            Artifact(f"/usr/local/lib/node_modules/{package}/", f"/usr/local/lib/node_modules/{package}/")
        )
    return profile


def _installs_without_dev(facts: BuildFacts) -> bool:
    """True when every install left development dependencies out (--omit=dev, --production, NODE_ENV)."""
    installs = [
        run
        for run in facts.flow.runs
        if run.name in ("npm", "yarn", "pnpm") and run.args[:1] in (("ci",), ("install",), ("i",))
    ]
    if not installs:
        return False
    production = (facts.env.get("NODE_ENV") or "") == "production"
    flags = ("--omit=dev", "--production", "--only=production", "--only=prod", "--prod", "-P")
    return all(production or any(word in flags for word in run.args) for run in installs)


def _python(repository: str, tag: str, commands: str, facts: BuildFacts, distro: bool) -> Profile | None:
    installs = re.search(r"\b(pip3? install|poetry install|uv (pip|sync))\b", commands)
    if (repository != "python" and not distro) or not installs:
        return None
    version = re.match(r"(\d+(\.\d+)?)", tag)
    profile = Profile("python", f"python:{version.group(1) if version else '3'}-slim", keeps_app_dir=True)
    venvs = [venv for venv in facts.flow.venvs]
    app = facts.final_workdir
    if not venvs:
        python = "python3" if distro else "python"
        profile.builder_prefix += [f"RUN {python} -m venv /opt/venv", 'ENV PATH="/opt/venv/bin:$PATH"']
        profile.runner_env.append('ENV PATH="/opt/venv/bin:$PATH"')
        venvs = ["/opt/venv"]
    for venv in venvs:
        if app in ("/", "") or not venv.startswith(app.rstrip("/") + "/"):
            profile.artifacts.append(Artifact(venv.rstrip("/") + "/", venv.rstrip("/") + "/"))
    if app not in ("/", ""):
        profile.artifacts.append(Artifact(app.rstrip("/") + "/", app.rstrip("/") + "/"))
    uses_manager = re.search(r"\b(poetry|uv) (install|sync)\b", commands)
    if uses_manager and not facts.flow.venvs:
        profile.uncertain.append(
            "poetry/uv must install into /opt/venv (set POETRY_VIRTUALENVS_CREATE=false or UV_PROJECT_ENVIRONMENT)"
        )
    return profile


def _rust(repository: str, tag: str, commands: str, facts: BuildFacts, distro: bool) -> Profile | None:
    if (repository != "rust" and not distro) or not re.search(r"\bcargo (build|install)\b", commands):
        return None
    musl = re.search(r"--target[= ]\S*-musl\b", commands) is not None or "+crt-static" in (
        (facts.env.get("RUSTFLAGS") or "") + commands
    )
    runner = "gcr.io/distroless/static-debian12" if musl else f"debian:{debian_codename(tag)}-slim"
    profile = Profile("rust", runner, static=musl)
    for written in facts.flow.written:
        if written.tool == "cargo install":
            profile.artifacts.append(Artifact(written.path + "/", written.path + "/"))
    if profile.artifacts:
        return profile
    target_dir = "target/release" if "--release" in commands else "target/debug"
    triple = re.search(r"--target[= ]([\w-]+)", commands)
    if triple:
        target_dir = f"target/{triple.group(1)}/" + ("release" if "--release" in commands else "debug")
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


def _dotnet(repository: str, tag: str, commands: str, facts: BuildFacts, distro: bool) -> Profile | None:
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


def _c(repository: str, tag: str, commands: str, facts: BuildFacts, distro: bool) -> Profile | None:
    if (repository not in ("gcc", "buildpack-deps") and not distro) or not re.search(
        r"\b(make|cmake|gcc|g\+\+|cc|c\+\+|clang)\b", commands
    ):
        return None
    compilers = [run for run in facts.flow.runs if run.name in ("gcc", "g++", "cc", "c++", "clang", "clang++")]
    flags = " ".join(facts.env.get(name) or "" for name in ("LDFLAGS", "CFLAGS"))
    static = bool(compilers) and all("-static" in run.args for run in compilers if "-c" not in run.args)
    static = static or re.search(r"(^|\s)-static(\s|$)", flags) is not None
    profile = Profile("c", "gcr.io/distroless/static-debian12" if static else f"debian:{debian_codename(tag)}-slim")
    profile.static = static
    for written in facts.flow.written:
        if (
            written.origin is Origin.BUILD
            and not written.directory
            and written.tool in ("gcc", "g++", "cc", "c++", "clang", "clang++")
        ):
            profile.artifacts.append(Artifact(written.path, written.path))
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


_DETECTORS = (
    ("go", _go),
    ("java", _java),
    ("node", _node),
    ("python", _python),
    ("rust", _rust),
    ("dotnet", _dotnet),
    ("c", _c),
)
