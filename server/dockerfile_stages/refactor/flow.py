"""The data flow of a stage's build: what each instruction and shell command writes, where, as whom.

Walks the stage in order with the state BuildKit would have (ENV and ARG values, WORKDIR, USER)
and reads every RUN with a shell parser, so that the split can tell which paths the build made
(compiler outputs, files moved with cp/mv/install/ln, package-manager installs), which users it
created and which system packages it installed.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterator
from enum import Enum

import msgspec

from dockerfile_stages.refactor.shell import Command, commands, resolve
from dockerfile_stages.syntax.nodes import Instruction


class Origin(Enum):
    """What wrote a path."""

    BUILD = "build tool"  # a compiler or build tool's output
    MOVED = "moved"  # cp, mv, install, ln
    CONTEXT = "build context"  # COPY/ADD
    INSTALL_DIR = "install directory"  # a directory programs are installed into by unknown names


class Written(msgspec.Struct, frozen=True):
    path: str  # absolute; may hold a glob
    origin: Origin
    tool: str  # the command that wrote it ("go build", "cp", "COPY")
    directory: bool = False  # a directory (names inside it unknown)
    source_name: str | None = None  # for a copy into what may be a directory: the file's name


class CreatedUser(msgspec.Struct, frozen=True):
    name: str
    uid: str | None
    home: str | None  # the home directory the command created, if it created one
    system: bool


class Package(msgspec.Struct, frozen=True):
    manager: str  # "apt", "apk", "dnf"
    name: str


class BuildFlow(msgspec.Struct):
    env: dict[str, str | None]  # ENV and ARG values at the end of the stage
    env_order: list[str] = msgspec.field(default_factory=list)  # names as ENV set them, first time first
    workdir: str = "/"
    user: str | None = None
    written: list[Written] = msgspec.field(default_factory=list)
    users: list[CreatedUser] = msgspec.field(default_factory=list)
    groups: list[str] = msgspec.field(default_factory=list)
    packages: list[Package] = msgspec.field(default_factory=list)
    venvs: list[str] = msgspec.field(default_factory=list)
    runs: list[Command] = msgspec.field(default_factory=list)
    global_node_packages: list[str] = msgspec.field(default_factory=list)
    node_modules_as: list[tuple[str, str | None]] = msgspec.field(default_factory=list)  # (dir, user) of npm installs
    declared_path_dirs: set[str] = msgspec.field(default_factory=set)  # PATH entries the stage's ENV lines add
    arg_only: set[str] = msgspec.field(default_factory=set)  # names only ARG set: not in the container's environment

    def runtime_env(self) -> dict[str, str | None]:
        """The environment the container starts with (ENV and image defaults, not ARG)."""
        return {name: value for name, value in self.env.items() if name not in self.arg_only}

    def runtime_path_dirs(self) -> list[str]:
        value = self.runtime_env().get("PATH") or ""
        return [item for item in value.split(":") if item.startswith("/")]

    def command_text(self) -> str:
        return " && ".join(" ".join(word or "?" for word in run.words) for run in self.runs)

    def writes(self, path: str) -> Written | None:
        """What wrote ``path`` (exactly, into a directory it names, or by a glob that matches it)."""
        for written in reversed(self.written):
            if _covers(written, path):
                return written
        return None

    def path_dirs(self) -> list[str]:
        value = self.env.get("PATH") or ""
        return [item for item in value.split(":") if item.startswith("/")]

    def package_names(self) -> set[str]:
        return {package.name for package in self.packages}


# programs of the toolchains themselves: an install directory holding programs by unknown names
# (cargo's bin, /usr/local/bin) is not taken to have made these
TOOLCHAIN_PROGRAMS = frozenset(
    [
        "cargo",
        "rustc",
        "rustup",
        "rustdoc",
        "rustfmt",
        "go",
        "gofmt",
        "node",
        "nodejs",
        "npm",
        "npx",
        "yarn",
        "yarnpkg",
        "pnpm",
        "corepack",
        "python",
        "python3",
        "pip",
        "pip3",
        "java",
        "javac",
        "jar",
        "mvn",
        "gradle",
        "dotnet",
        "sh",
        "bash",
        "make",
        "gcc",
        "cc",
    ]
)


def _covers(written: Written, path: str) -> bool:
    target = written.path.rstrip("/") or "/"
    if posixpath.normpath(path) == target or fnmatch.fnmatchcase(path, target):
        return True
    if written.directory and path.startswith(target.rstrip("/") + "/"):
        inside = path[len(target.rstrip("/")) + 1 :]
        return written.origin is not Origin.INSTALL_DIR or inside not in TOOLCHAIN_PROGRAMS
    return written.source_name is not None and path == f"{target.rstrip('/')}/{written.source_name}"


# what a base image sets that the Dockerfile does not show (official images' defaults)
IMAGE_ENV: dict[str, dict[str, str]] = {
    "golang": {
        "GOPATH": "/go",
        "PATH": "/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    },
    "rust": {
        "CARGO_HOME": "/usr/local/cargo",
        "RUSTUP_HOME": "/usr/local/rustup",
        "PATH": "/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    },
}
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def follow(instructions: list[Instruction], image: str) -> BuildFlow:
    """The flow of a stage's instructions (after its FROM) on base image repository ``image``."""
    env: dict[str, str | None] = {"PATH": DEFAULT_PATH, "HOME": "/root"}
    env.update(IMAGE_ENV.get(image, {}))
    flow = BuildFlow(env)
    for node in instructions:
        _instruction(flow, node)
    return flow


def _instruction(flow: BuildFlow, node: Instruction) -> None:
    cmd = node.cmd
    if cmd == "ENV":
        values = list(node.value)
        for position in range(0, len(values) - 1, 3):
            name = values[position]
            before = set((flow.env.get("PATH") or "").split(":"))
            flow.env[name] = expand_text(values[position + 1], flow.env)
            if name == "PATH":
                flow.declared_path_dirs |= set((flow.env.get("PATH") or "").split(":")) - before
            flow.arg_only.discard(name)
            if name not in flow.env_order:
                flow.env_order.append(name)
    elif cmd == "ARG":
        for item in node.value:
            name, eq, default = item.partition("=")
            if name not in flow.env:
                flow.env[name] = expand_text(default.strip("\"'"), flow.env) if eq else None
                flow.arg_only.add(name)
    elif cmd == "WORKDIR" and node.value:
        value = expand_text(node.value[0], flow.env)
        if value is not None:
            flow.workdir = resolve(value, flow.workdir)
    elif cmd == "USER" and node.value:
        flow.user = expand_text(node.value[0], flow.env)
    elif cmd in ("COPY", "ADD") and len(node.value) >= 2:
        _copy_instruction(flow, node)
    elif cmd == "RUN":
        _run(flow, node)


def expand_text(text: str, env: dict[str, str | None]) -> str | None:
    """A Dockerfile word (ENV value, WORKDIR, COPY destination) as BuildKit reads it: quotes
    removed, ``$VAR``/``${VAR}`` replaced (None if one is unknown)."""
    found = [] if re.search(r"[;&|<>()`~]", text) else commands(f"_ {text}", env, "/")
    if len(found) == 1 and len(found[0].words) >= 2 and all(word is not None for word in found[0].words):
        return " ".join(word for word in found[0].words[1:] if word is not None)
    quoted = commands(f"_ {_quote_for_expansion(text)}", env, "/")
    return quoted[0].words[1] if quoted and len(quoted[0].words) == 2 else None


def _quote_for_expansion(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'


def _copy_instruction(flow: BuildFlow, node: Instruction) -> None:
    if node.flag("from") is not None:
        return
    destination = expand_text(node.value[-1], flow.env)
    if destination is None:
        return
    path = resolve(destination, flow.workdir)
    sources = node.value[:-1]
    directory = destination.endswith("/") or len(sources) > 1 or any(s.rstrip("/") in (".", "") for s in sources)
    name = posixpath.basename(sources[0].rstrip("/")) if len(sources) == 1 else None
    flow.written.append(Written(path, Origin.CONTEXT, node.cmd, directory, None if directory else name))


def _run(flow: BuildFlow, node: Instruction) -> None:
    scripts = [content.content for content in node.heredocs] if node.heredocs else []
    if node.json:
        found = [Command(tuple(node.value), flow.workdir)]
    else:
        found = []
        for script in [node.args, *scripts]:
            found += commands(script, flow.env, flow.workdir)
    for command in found:
        flow.runs.append(command)
        _interpret(flow, command)


def _interpret(flow: BuildFlow, command: Command) -> None:
    name = command.name
    if name is None:
        return
    words = [word for word in command.args]
    env = {**flow.env, **dict(command.assignments)}
    handler = _HANDLERS.get(name)
    if handler is not None:
        handler(flow, words, command.cwd, env)
    elif name in ("sh", "bash") and len(words) >= 2 and words[0] == "-c" and words[1]:
        for inner in commands(words[1], env, command.cwd):
            flow.runs.append(inner)
            _interpret(flow, inner)


def _operands(words: list[str | None], valued: tuple[str, ...] = ()) -> Iterator[str | None]:
    """The non-option words, skipping the values of options in ``valued``."""
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word is not None and word.startswith("-") and word != "-":
            skip = word in valued
            continue
        yield word


def _option(words: list[str | None], *names: str) -> str | None:
    for position, word in enumerate(words):
        if word is None:
            continue
        for name in names:
            if word == name and position + 1 < len(words):
                return words[position + 1]
            if name.startswith("--") and word.startswith(name + "="):
                return word[len(name) + 1 :]
            if not name.startswith("--") and word.startswith(name) and len(word) > len(name) and name == "-o":
                return word[len(name) :].lstrip("=")
    return None


Handler = Callable[["BuildFlow", list[str | None], str, dict[str, str | None]], None]


def _copy_like(tool: str, valued: tuple[str, ...]) -> Handler:
    def handle(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
        target_dir = _option(words, "-t", "--target-directory")
        operands = list(_operands(words, valued))
        if any(word is None for word in operands):
            return
        known = [word for word in operands if word is not None]
        if target_dir is not None:
            for source in known:
                flow.written.append(
                    Written(resolve(target_dir, cwd), Origin.MOVED, tool, source_name=posixpath.basename(source))
                )
            return
        if len(known) < 2:
            return
        *sources, destination = known
        path = resolve(destination, cwd)
        if tool == "ln":
            flow.written.append(Written(path, Origin.MOVED, tool, source_name=posixpath.basename(sources[0])))
            return
        directory = destination.endswith("/") or len(sources) > 1
        for source in sources:
            name = posixpath.basename(source.rstrip("/"))
            if directory:
                flow.written.append(Written(f"{path.rstrip('/')}/{name}", Origin.MOVED, tool))
            else:
                # "cp x /usr/local/bin" copies into the directory when it exists: either may be meant
                flow.written.append(Written(path, Origin.MOVED, tool, source_name=name))
            if source.endswith("/") or tool == "mv" or (tool == "cp" and _recursive(words)):
                flow.written.append(Written(path, Origin.MOVED, tool, directory=True))

    return handle


def _recursive(words: list[str | None]) -> bool:
    short = "".join(w[1:] for w in words if w and w.startswith("-") and not w.startswith("--"))
    return any(letter in short for letter in "rRa") or any(w in ("--recursive", "--archive") for w in words)


def _go(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    if not words:
        return
    sub = words[0]
    if sub == "build":
        output = _option(words, "-o")
        if output is not None:
            flow.written.append(Written(resolve(output, cwd), Origin.BUILD, "go build", output.endswith("/")))
        else:
            flow.written.append(Written(cwd, Origin.BUILD, "go build", directory=True))
    elif sub == "install":
        gobin = env.get("GOBIN") or f"{(env.get('GOPATH') or (env.get('HOME') or '/root') + '/go').split(':')[0]}/bin"
        flow.written.append(Written(gobin, Origin.INSTALL_DIR, "go install", directory=True))


def _c_compiler(tool: str) -> Handler:
    def handle(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
        output = _option(words, "-o")
        if output is not None and "-c" not in words:
            flow.written.append(Written(resolve(output, cwd), Origin.BUILD, tool))
        elif "-c" not in words:
            flow.written.append(Written(resolve("a.out", cwd), Origin.BUILD, tool))

    return handle


def _make(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    directory = _option(words, "-C")
    where = resolve(directory, cwd) if directory else cwd
    flow.written.append(Written(where, Origin.BUILD, "make", directory=True))
    if "install" in words:
        prefix = next((w[len("PREFIX=") :] for w in words if w and w.startswith("PREFIX=")), "/usr/local")
        flow.written.append(Written(f"{prefix}/bin", Origin.INSTALL_DIR, "make install", directory=True))


def _cmake(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    build = _option(words, "--build", "-B")
    if build is not None:
        flow.written.append(Written(resolve(build, cwd), Origin.BUILD, "cmake", directory=True))
    if "--install" in words:
        prefix = _option(words, "--prefix") or "/usr/local"
        flow.written.append(
            Written(f"{resolve(prefix, cwd)}/bin", Origin.INSTALL_DIR, "cmake --install", directory=True)
        )


def _cargo(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    if not words:
        return
    if words[0] == "build":
        target_dir = env.get("CARGO_TARGET_DIR") or _option(words, "--target-dir") or "target"
        triple = _option(words, "--target")
        profile = "release" if "--release" in words or "-r" in words else "debug"
        out = f"{resolve(target_dir, cwd)}/{triple + '/' if triple else ''}{profile}"
        flow.written.append(Written(out, Origin.BUILD, "cargo build", directory=True))
    elif words[0] == "install":
        root = _option(words, "--root") or env.get("CARGO_INSTALL_ROOT") or env.get("CARGO_HOME")
        root = root or f"{env.get('HOME') or '/root'}/.cargo"
        flow.written.append(Written(f"{resolve(root, cwd)}/bin", Origin.INSTALL_DIR, "cargo install", directory=True))


def _maven(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    if any(goal in words for goal in ("package", "install", "verify")):
        project = _option(words, "-f", "--file")
        base = posixpath.dirname(resolve(project, cwd)) if project and project.endswith(".xml") else cwd
        if project and not project.endswith(".xml"):
            base = resolve(project, cwd)
        flow.written.append(Written(f"{base}/target", Origin.BUILD, "mvn", directory=True))


def _gradle(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    if "installDist" in words:
        flow.written.append(Written(f"{cwd}/build/install", Origin.BUILD, "gradle installDist", directory=True))
    if any(task in words for task in ("build", "jar", "bootJar", "assemble", "shadowJar")):
        flow.written.append(Written(f"{cwd}/build/libs", Origin.BUILD, "gradle", directory=True))


def _node_tool(tool: str) -> Handler:
    def handle(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
        if not words:
            return
        sub = words[0]
        global_install = any(w in ("-g", "--global") for w in words) or (tool == "yarn" and sub == "global")
        if global_install:
            packages = [w for w in _operands(words[1:]) if w is not None and w != "add"]
            for package in packages:
                name = _package_name(package)
                flow.global_node_packages.append(name)
                # the command link is named after the package (pnpm, typescript's tsc aside)
                flow.written.append(
                    Written(f"/usr/local/bin/{name.rsplit('/', 1)[-1]}", Origin.INSTALL_DIR, f"{tool} -g")
                )
            return
        if sub in ("ci", "install", "i", "add") or (tool in ("yarn",) and sub not in ("run", "build", "test")):
            flow.node_modules_as.append((cwd, flow.user))
            flow.written.append(Written(f"{cwd}/node_modules", Origin.BUILD, f"{tool} install", directory=True))

    return handle


def _package_name(spec: str) -> str:
    """``pnpm@9`` -> ``pnpm``; ``@scope/pkg@1`` -> ``@scope/pkg``."""
    head, at, _ = spec[1:].partition("@")
    return spec[0] + head if at or spec.startswith("@") else spec.partition("@")[0]


def _python(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    if len(words) >= 3 and words[0] == "-m" and words[1] in ("venv", "virtualenv"):
        target = next(_operands(words[2:]), None)
        if target is not None:
            _venv(flow, resolve(target, cwd))
    elif len(words) >= 3 and words[0] == "-m" and words[1] == "pip":
        _pip(flow, words[2:], cwd, env)


def _venv(flow: BuildFlow, path: str) -> None:
    if path not in flow.venvs:
        flow.venvs.append(path)
    flow.written.append(Written(path, Origin.BUILD, "venv", directory=True))


def _virtualenv(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    target = next(_operands(words), None)
    if target is not None:
        _venv(flow, resolve(target, cwd))


def _pip(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    if not words or words[0] != "install":
        return
    active = env.get("VIRTUAL_ENV")
    bin_dirs = [d for d in (env.get("PATH") or "").split(":") if d.endswith("/bin") and d[: -len("/bin")] in flow.venvs]
    target = f"{active}/bin" if active else (bin_dirs[0] if bin_dirs else "/usr/local/bin")
    flow.written.append(Written(target, Origin.INSTALL_DIR, "pip install", directory=True))


def _poetry(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    if words[:1] == ["config"] and len(words) >= 3 and words[1] == "virtualenvs.in-project":
        flow.env["POETRY_VIRTUALENVS_IN_PROJECT"] = words[2]
    elif words[:1] == ["install"]:
        in_project = env.get("POETRY_VIRTUALENVS_IN_PROJECT") or flow.env.get("POETRY_VIRTUALENVS_IN_PROJECT") or ""
        create = (env.get("POETRY_VIRTUALENVS_CREATE") or "true").lower()
        if create in ("false", "0"):
            _pip(flow, ["install"], cwd, env)
        elif in_project.lower() in ("true", "1"):
            _venv(flow, f"{cwd}/.venv")


def _uv(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    if words[:1] == ["venv"]:
        target = next(_operands(words[1:]), None) or ".venv"
        _venv(flow, resolve(target, cwd))
    elif words[:1] == ["sync"]:
        _venv(flow, resolve(env.get("UV_PROJECT_ENVIRONMENT") or ".venv", cwd))
    elif words[:2] == ["pip", "install"]:
        _pip(flow, words[1:], cwd, env)


def _user_maker(makes_home: bool) -> Handler:
    """useradd (home only with -m) or adduser (Debian's and busybox's make it unless -H)."""
    valued = (
        "-u",
        "--uid",
        "-g",
        "--gid",
        "-G",
        "--groups",
        "-d",
        "--home-dir",
        "--home",
        "-s",
        "--shell",
        "-c",
        "--comment",
        "--gecos",
        "-h",
        "-k",
        "-K",
        "-e",
        "-f",
        "-p",
        "--ingroup",
        "--group",
    )

    def handle(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
        operands = [w for w in _operands(words, valued)]
        if not operands or operands[0] is None:
            return
        name = operands[0]
        home = _option(words, "-d", "--home-dir", "--home", "-h")
        if makes_home:
            creates = not any(w in ("-H", "--no-create-home") for w in words)
        else:
            creates = any(w in ("-m", "--create-home") for w in words)
        system = any(w in ("-r", "--system", "-S") for w in words)
        uid = _option(words, "-u", "--uid")
        flow.users.append(CreatedUser(name, uid, (home or f"/home/{name}") if creates else None, system))

    return handle


def _groupadd(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
    name = next(_operands(words, ("-g", "--gid", "-K")), None)
    if name is not None:
        flow.groups.append(name)


def _packages(manager: str, verbs: tuple[str, ...], valued: tuple[str, ...] = ()) -> Handler:
    def handle(flow: BuildFlow, words: list[str | None], cwd: str, env: dict[str, str | None]) -> None:
        operands = list(_operands(words, valued))
        if not operands or operands[0] not in verbs:
            return
        for word in operands[1:]:
            if word is not None:
                flow.packages.append(Package(manager, word.split("=")[0]))

    return handle


_HANDLERS: dict[str, Handler] = {
    "cp": _copy_like("cp", ("-t", "--target-directory")),
    "mv": _copy_like("mv", ("-t", "--target-directory")),
    "install": _copy_like("install", ("-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory")),
    "ln": _copy_like("ln", ("-t",)),
    "go": _go,
    "gcc": _c_compiler("gcc"),
    "g++": _c_compiler("g++"),
    "cc": _c_compiler("cc"),
    "c++": _c_compiler("c++"),
    "clang": _c_compiler("clang"),
    "clang++": _c_compiler("clang++"),
    "make": _make,
    "cmake": _cmake,
    "cargo": _cargo,
    "mvn": _maven,
    "mvnw": _maven,
    "gradle": _gradle,
    "gradlew": _gradle,
    "npm": _node_tool("npm"),
    "yarn": _node_tool("yarn"),
    "pnpm": _node_tool("pnpm"),
    "python": _python,
    "python3": _python,
    "virtualenv": _virtualenv,
    "pip": _pip,
    "pip3": _pip,
    "poetry": _poetry,
    "uv": _uv,
    "useradd": _user_maker(makes_home=False),
    "adduser": _user_maker(makes_home=True),
    "groupadd": _groupadd,
    "addgroup": _groupadd,
    "apt-get": _packages("apt", ("install",), ("-o", "-t", "-c")),
    "apt": _packages("apt", ("install",), ("-o", "-t", "-c")),
    "apk": _packages("apk", ("add",), ("-X", "--repository", "-t", "--virtual")),
    "dnf": _packages("dnf", ("install",), ("--setopt",)),
    "microdnf": _packages("dnf", ("install",), ("--setopt",)),
    "yum": _packages("dnf", ("install",), ("--setopt",)),
}
