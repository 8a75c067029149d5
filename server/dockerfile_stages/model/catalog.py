"""What BuildKit's Dockerfile frontend accepts: instructions, their flags, ``--mount`` options,
parser directives and the build arguments it predefines, as one typed table.

The facts follow BuildKit's Dockerfile reference (https://docs.docker.com/reference/dockerfile/);
the descriptions are ours. Completion, hover, signature help and the flag checks all read this
table, so a new BuildKit flag is one entry here.
"""

from __future__ import annotations

from enum import Enum

import msgspec

REFERENCE_URL = "https://docs.docker.com/reference/dockerfile/"
BUILD_CHECKS_URL = "https://docs.docker.com/reference/build-checks/"


class ValueKind(Enum):
    """What a flag or ``--mount`` option takes as its value."""

    STRING = "string"
    BOOL = "boolean"  # true/false; may be written bare (``--link``)
    DURATION = "duration"  # Go duration: 30s, 1m30s, 500ms
    INTEGER = "integer"
    OCTAL = "octal file mode"  # 0755
    FILE_MODE = "file mode"  # octal (755) or symbolic (u=rwX,go=rX)
    ENUM = "one of a set"
    PLATFORM = "platform"  # os/arch[/variant]
    SOURCE = "stage, image or context"
    OWNER = "user[:group]"
    CHECKSUM = "checksum"  # sha256:<hex> for HTTP, a commit prefix for Git
    MOUNT = "mount"  # comma-separated key=value options, see MOUNT_TYPES
    DEVICE = "device"  # a CDI device name, optionally ",required"
    PATH = "path"
    PATTERN = "path pattern"
    SIZE = "size"  # bytes, or with a unit: 64m
    ID = "numeric id"


class Form(Enum):
    """How an instruction's arguments are written (what signature help and the formatter see)."""

    IMAGE = "image"  # FROM
    COMMAND = "command"  # shell form or JSON exec form (RUN, CMD, ENTRYPOINT)
    JSON_ONLY = "json"  # SHELL
    PATHS = "paths"  # sources and a destination, or JSON (ADD, COPY)
    KEY_VALUES = "key-values"  # ENV, LABEL
    NAMES = "names"  # ARG: name[=default] ...
    PORTS = "ports"  # EXPOSE
    USER = "user"
    SIGNAL = "signal"
    PATH = "path"  # WORKDIR
    VOLUMES = "volumes"
    HEALTH = "health"  # HEALTHCHECK NONE | CMD ...
    INSTRUCTION = "instruction"  # ONBUILD
    TEXT = "text"  # MAINTAINER


class Param(msgspec.Struct, frozen=True):
    """One positional part of a syntax line, for signature help."""

    label: str  # as it appears in the syntax line, e.g. "<image>"
    doc: str


class Syntax(msgspec.Struct, frozen=True):
    line: str  # e.g. "FROM [--platform=<platform>] <image> [AS <name>]"
    params: tuple[Param, ...] = ()


class Snippet(msgspec.Struct, frozen=True):
    label: str  # shown in the completion list, e.g. "FROM image AS name"
    body: str  # LSP snippet text after the keyword, e.g. "${1:image} AS ${2:name}"


class FlagSpec(msgspec.Struct, frozen=True):
    name: str  # without "--"
    kind: ValueKind
    description: str
    syntax: str
    anchor: str
    values: tuple[str, ...] = ()  # the complete set for ENUM; suggestions for other kinds
    default: str | None = None
    repeatable: bool = False
    since: str | None = None  # the Dockerfile syntax version that added it

    @property
    def bare_allowed(self) -> bool:
        """``--link`` alone means ``--link=true``."""
        return self.kind is ValueKind.BOOL

    @property
    def closed_set(self) -> bool:
        """Only the listed values are valid."""
        return self.kind in (ValueKind.ENUM, ValueKind.BOOL)

    @property
    def url(self) -> str:
        return REFERENCE_URL + "#" + self.anchor


class InstructionSpec(msgspec.Struct, frozen=True):
    name: str  # upper case
    description: str
    anchor: str
    forms: tuple[Form, ...]
    syntax: tuple[Syntax, ...]
    snippets: tuple[Snippet, ...]
    flags: tuple[FlagSpec, ...] = ()
    onbuild_allowed: bool = True
    expands_variables: bool = False  # BuildKit substitutes $VAR itself (not the shell)
    deprecated: bool = False

    def flag(self, name: str) -> FlagSpec | None:
        lowered = name.lower()
        return next((flag for flag in self.flags if flag.name == lowered), None)

    @property
    def url(self) -> str:
        return REFERENCE_URL + "#" + self.anchor


class MountOption(msgspec.Struct, frozen=True):
    name: str
    kind: ValueKind
    description: str
    aliases: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    default: str | None = None
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class MountType(msgspec.Struct, frozen=True):
    name: str
    description: str
    anchor: str
    options: tuple[MountOption, ...]

    def option(self, key: str) -> MountOption | None:
        lowered = key.lower()
        return next((option for option in self.options if lowered in option.names), None)

    @property
    def url(self) -> str:
        return REFERENCE_URL + "#" + self.anchor


class DirectiveSpec(msgspec.Struct, frozen=True):
    name: str
    description: str
    syntax: tuple[str, ...]
    anchor: str
    values: tuple[str, ...]  # suggestions after "="
    snippet: str  # full line body after "# ", e.g. "syntax=${1:docker/dockerfile:1}"

    @property
    def url(self) -> str:
        return REFERENCE_URL + "#" + self.anchor


class BuiltinKind(Enum):
    PLATFORM = "automatic platform ARG"
    PROXY = "predefined proxy ARG"
    BUILDKIT = "BuildKit built-in build argument"


class BuiltinArg(msgspec.Struct, frozen=True):
    name: str
    kind: BuiltinKind
    description: str
    anchor: str

    @property
    def url(self) -> str:
        return REFERENCE_URL + "#" + self.anchor


# -- flags ------------------------------------------------------------------------------------

COMMON_PLATFORMS = (
    "linux/amd64",
    "linux/arm64",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/386",
    "linux/ppc64le",
    "linux/s390x",
    "linux/riscv64",
    "windows/amd64",
    "$BUILDPLATFORM",
    "$TARGETPLATFORM",
)
BOOL_VALUES = ("true", "false")

_PLATFORM = FlagSpec(
    "platform",
    ValueKind.PLATFORM,
    "Pick which platform variant of a multi-platform base image this stage starts from. Without it the "
    "build's target platform is used; `$BUILDPLATFORM` makes a stage run natively so it can cross-compile.",
    "--platform=<os>/<arch>[/<variant>]",
    "from",
    COMMON_PLATFORMS,
)
_MOUNT = FlagSpec(
    "mount",
    ValueKind.MOUNT,
    "Give this command a filesystem mount that is not part of the resulting layer: a bind of the context "
    "or another stage, a cache kept between builds, a tmpfs, a secret or an SSH agent socket.",
    "--mount=[type=<bind|cache|tmpfs|secret|ssh>][,<option>=<value>...]",
    "run---mount",
    ("type=bind", "type=cache", "type=tmpfs", "type=secret", "type=ssh"),
    repeatable=True,
    since="1.2",
)
_NETWORK = FlagSpec(
    "network",
    ValueKind.ENUM,
    "Choose the network the command runs in: the build's usual one, no network at all (only loopback), "
    "or the host's (needs the network.host entitlement).",
    "--network=<default|none|host>",
    "run---network",
    ("default", "none", "host"),
    default="default",
    since="1.3",
)
_SECURITY = FlagSpec(
    "security",
    ValueKind.ENUM,
    "Run the command outside the sandbox with elevated privileges, like `docker run --privileged` "
    "(needs the security.insecure entitlement). `sandbox` is the default and changes nothing.",
    "--security=<sandbox|insecure>",
    "run---security",
    ("sandbox", "insecure"),
    default="sandbox",
    since="1.20",
)
_DEVICE = FlagSpec(
    "device",
    ValueKind.DEVICE,
    "Make a CDI device (a GPU, for instance) available to the command; add `,required` to fail when the "
    "builder does not have it (needs the device entitlement).",
    "--device=<name>[,required]",
    "run---device",
    ("nvidia.com/gpu=all",),
    repeatable=True,
)
_FROM = FlagSpec(
    "from",
    ValueKind.SOURCE,
    "Copy from an earlier build stage, an image or a named build context instead of the build context. "
    "Source paths are then taken from that filesystem's root.",
    "--from=<stage|image|context>",
    "copy---from",
)
_CHOWN = FlagSpec(
    "chown",
    ValueKind.OWNER,
    "Give the copied files this owner (and group) instead of root. Names are looked up in the stage's "
    "/etc/passwd and /etc/group; with --link only numeric ids work.",
    "--chown=<user>[:<group>]",
    "copy---chown",
)
_CHMOD = FlagSpec(
    "chmod",
    ValueKind.FILE_MODE,
    "Set the permissions of the copied files, in octal (755) or, since syntax 1.14, symbolic notation "
    "(u=rwX,go=rX). Not supported for Windows containers.",
    "--chmod=<perms>",
    "copy---chmod",
    ("755", "644", "0755", "0644", "+x"),
    since="1.2",
)
_LINK = FlagSpec(
    "link",
    ValueKind.BOOL,
    "Put the copied files in a layer of their own that does not depend on the layers before it, so it "
    "stays cached (and can be rebased) when earlier instructions change.",
    "--link[=<boolean>]",
    "copy---link",
    BOOL_VALUES,
    default="false",
    since="1.4",
)
_PARENTS = FlagSpec(
    "parents",
    ValueKind.BOOL,
    "Keep the directories leading to each source under the destination (like `cp --parents`); a `./` in "
    "a source path marks where the kept part starts.",
    "--parents[=<boolean>]",
    "copy---parents",
    BOOL_VALUES,
    default="false",
    since="1.20",
)
_EXCLUDE = FlagSpec(
    "exclude",
    ValueKind.PATTERN,
    "Leave out the files matching this pattern (same wildcards as the sources); may be given several times.",
    "--exclude=<pattern>",
    "copy---exclude",
    repeatable=True,
    since="1.19",
)
_KEEP_GIT_DIR = FlagSpec(
    "keep-git-dir",
    ValueKind.BOOL,
    "When the source is a Git repository, keep its `.git` directory (left out by default).",
    "--keep-git-dir[=<boolean>]",
    "add---keep-git-dir",
    BOOL_VALUES,
    default="false",
    since="1.1",
)
_CHECKSUM = FlagSpec(
    "checksum",
    ValueKind.CHECKSUM,
    "Fail the build unless the remote source matches: `sha256:<digest>` for an HTTP download, a commit "
    "(or commit prefix) for a Git source.",
    "--checksum=<sha256:hex|commit>",
    "add---checksum",
    ("sha256:",),
    since="1.6",
)
_UNPACK = FlagSpec(
    "unpack",
    ValueKind.BOOL,
    "Whether a tar archive (gzip, bzip2, xz or zstd too) is extracted at the destination. Local archives "
    "are extracted by default, downloaded ones are not.",
    "--unpack[=<boolean>]",
    "add---unpack",
    BOOL_VALUES,
    since="1.17",
)


def _duration(name: str, default: str, what: str) -> FlagSpec:
    return FlagSpec(
        name, ValueKind.DURATION, what, f"--{name}=<duration>", "healthcheck", ("5s", "10s", "30s", "1m"), default
    )


_HEALTH_FLAGS = (
    _duration("interval", "30s", "Time between two checks, and before the first one after the container starts."),
    _duration("timeout", "30s", "A check that runs longer than this is killed and counts as a failure."),
    _duration(
        "start-period",
        "0s",
        "Time the container gets to start up: failures in it do not count against the retries.",
    ),
    _duration("start-interval", "5s", "Time between checks during the start period (Docker Engine 25 or later)."),
    FlagSpec(
        "retries",
        ValueKind.INTEGER,
        "How many failures in a row make the container unhealthy.",
        "--retries=<n>",
        "healthcheck",
        ("3", "5"),
        "3",
    ),
)

# -- instructions -----------------------------------------------------------------------------

_COMMAND_PARAMS = (Param("<command>", "A command line run by the shell (`/bin/sh -c` unless SHELL says otherwise)."),)
_EXEC_PARAMS = (
    Param('"<executable>"', "The program to run, as a JSON string: no shell is started."),
    Param('"<param>"', "Its arguments, each its own JSON string."),
)
_PATHS_PARAMS = (
    Param("<src>", "What to copy: paths in the source (wildcards allowed)."),
    Param("<dest>", "Where to put it in the image; relative paths start at WORKDIR. End it with / for a directory."),
)

INSTRUCTIONS: tuple[InstructionSpec, ...] = (
    InstructionSpec(
        "FROM",
        "Start a build stage from a base image (or an earlier stage, or `scratch`). `AS <name>` names the "
        "stage for `COPY --from`, `RUN --mount=from=` and later FROM lines.",
        "from",
        (Form.IMAGE,),
        (
            Syntax(
                "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
                (
                    Param("[--platform=<platform>]", "The platform variant of the base image to use."),
                    Param("<image>[:<tag>|@<digest>]", "The base image, an earlier stage's name, or scratch."),
                    Param("[AS", "Name this stage."),
                    Param("<name>]", "The stage name other instructions refer to."),
                ),
            ),
        ),
        (Snippet("FROM image AS name", "${1:image} AS ${2:name}"), Snippet("FROM image", "${1:image}")),
        (_PLATFORM,),
        onbuild_allowed=False,
        expands_variables=True,
    ),
    InstructionSpec(
        "RUN",
        "Run a command at build time and keep the files it changes as a new layer.",
        "run",
        (Form.COMMAND,),
        (
            Syntax("RUN [OPTIONS] <command>", _COMMAND_PARAMS),
            Syntax('RUN [OPTIONS] ["<executable>", "<param>", ...]', _EXEC_PARAMS),
        ),
        (Snippet("RUN command", "${1:command}"),),
        (_MOUNT, _NETWORK, _SECURITY, _DEVICE),
    ),
    InstructionSpec(
        "CMD",
        "Set what a container runs when none is given to `docker run`, or the default arguments of the "
        "ENTRYPOINT. Only the last CMD of a stage counts.",
        "cmd",
        (Form.COMMAND,),
        (
            Syntax('CMD ["<executable>", "<param>", ...]', _EXEC_PARAMS),
            Syntax('CMD ["<param>", ...]', (Param('"<param>"', "Default arguments given to the ENTRYPOINT."),)),
            Syntax("CMD <command>", _COMMAND_PARAMS),
        ),
        (Snippet('CMD ["executable"]', '["${1:executable}"]'),),
    ),
    InstructionSpec(
        "LABEL",
        "Attach key=value metadata to the image (shown by `docker image inspect`).",
        "label",
        (Form.KEY_VALUES,),
        (
            Syntax(
                "LABEL <key>=<value> [<key>=<value>...]",
                (
                    Param("<key>", "The label name, e.g. org.opencontainers.image.source."),
                    Param("<value>", "Its value; quote it if it has spaces."),
                ),
            ),
        ),
        (Snippet("LABEL key=value", '${1:key}="${2:value}"'),),
        expands_variables=True,
    ),
    InstructionSpec(
        "MAINTAINER",
        "Deprecated: sets the image's author field. Use `LABEL org.opencontainers.image.authors=...` instead.",
        "maintainer-deprecated",
        (Form.TEXT,),
        (Syntax("MAINTAINER <name>", (Param("<name>", "The author."),)),),
        (Snippet("MAINTAINER name", "${1:name}"),),
        onbuild_allowed=False,
        deprecated=True,
    ),
    InstructionSpec(
        "EXPOSE",
        "Document the ports the container listens on (TCP unless `/udp` is given). It publishes nothing; "
        "`docker run -p` or `-P` does.",
        "expose",
        (Form.PORTS,),
        (
            Syntax(
                "EXPOSE <port>[/<protocol>] ...",
                (
                    Param("<port>", "A port number or range, e.g. 80 or 8000-8010."),
                    Param("[/<protocol>]", "tcp (the default) or udp."),
                ),
            ),
        ),
        (Snippet("EXPOSE port", "${1:80}"),),
        expands_variables=True,
    ),
    InstructionSpec(
        "ENV",
        "Set environment variables for the rest of the stage, for stages built on it, and in containers "
        "run from the image.",
        "env",
        (Form.KEY_VALUES,),
        (
            Syntax(
                "ENV <key>=<value> [<key>=<value>...]",
                (Param("<key>", "The variable's name."), Param("<value>", "Its value; $VAR forms are expanded.")),
            ),
        ),
        (Snippet("ENV key=value", "${1:key}=${2:value}"),),
        expands_variables=True,
    ),
    InstructionSpec(
        "ADD",
        "Copy files into the image like COPY, and also fetch URLs and Git repositories and extract local "
        "tar archives. Prefer COPY for plain local files.",
        "add",
        (Form.PATHS,),
        (
            Syntax("ADD [OPTIONS] <src> ... <dest>", _PATHS_PARAMS),
            Syntax('ADD [OPTIONS] ["<src>", ... "<dest>"]', _PATHS_PARAMS),
        ),
        (Snippet("ADD src dest", "${1:src} ${2:dest}"),),
        (_KEEP_GIT_DIR, _CHECKSUM, _CHMOD, _CHOWN, _LINK, _UNPACK, _EXCLUDE),
        expands_variables=True,
    ),
    InstructionSpec(
        "COPY",
        "Copy files from the build context, an earlier stage, an image or a named context into the image.",
        "copy",
        (Form.PATHS,),
        (
            Syntax("COPY [OPTIONS] <src> ... <dest>", _PATHS_PARAMS),
            Syntax('COPY [OPTIONS] ["<src>", ... "<dest>"]', _PATHS_PARAMS),
        ),
        (
            Snippet("COPY src dest", "${1:src} ${2:dest}"),
            Snippet("COPY --from=stage src dest", "--from=${1:stage} ${2:src} ${3:dest}"),
        ),
        (_FROM, _CHMOD, _CHOWN, _LINK, _PARENTS, _EXCLUDE),
        expands_variables=True,
    ),
    InstructionSpec(
        "ENTRYPOINT",
        "Make the container run as this executable; CMD and `docker run` arguments are appended to the exec "
        "form. The shell form ignores them and does not pass signals on.",
        "entrypoint",
        (Form.COMMAND,),
        (
            Syntax('ENTRYPOINT ["<executable>", "<param>", ...]', _EXEC_PARAMS),
            Syntax("ENTRYPOINT <command>", _COMMAND_PARAMS),
        ),
        (Snippet('ENTRYPOINT ["executable"]', '["${1:executable}"]'),),
    ),
    InstructionSpec(
        "VOLUME",
        "Declare mount points that hold data from outside the container; `docker run` creates a volume there.",
        "volume",
        (Form.VOLUMES,),
        (
            Syntax('VOLUME ["<path>", ...]', (Param('"<path>"', "A path in the container."),)),
            Syntax("VOLUME <path> ...", (Param("<path>", "A path in the container."),)),
        ),
        (Snippet("VOLUME path", '["${1:/data}"]'),),
        expands_variables=True,
    ),
    InstructionSpec(
        "USER",
        "Set the user (and group) that runs the rest of the stage's RUN instructions and the container's command.",
        "user",
        (Form.USER,),
        (
            Syntax(
                "USER <user>[:<group>]",
                (
                    Param("<user>", "A user name or UID."),
                    Param("[:<group>]", "A group name or GID; the user then has only this group."),
                ),
            ),
        ),
        (Snippet("USER user", "${1:user}"),),
        expands_variables=True,
    ),
    InstructionSpec(
        "WORKDIR",
        "Set (and create) the directory the following RUN, CMD, ENTRYPOINT, COPY and ADD work in; a "
        "relative path is taken from the previous WORKDIR.",
        "workdir",
        (Form.PATH,),
        (Syntax("WORKDIR <path>", (Param("<path>", "The working directory."),)),),
        (Snippet("WORKDIR path", "${1:/app}"),),
        expands_variables=True,
    ),
    InstructionSpec(
        "ARG",
        "Declare a build argument, settable with `docker build --build-arg`. Before the first FROM it is "
        "usable in FROM lines only; inside a stage from this line on (and in stages built on this one).",
        "arg",
        (Form.NAMES,),
        (
            Syntax(
                "ARG <name>[=<default value>] [<name>[=<default value>]...]",
                (
                    Param("<name>", "The argument's name."),
                    Param("[=<default value>]", "Its value when no --build-arg gives one."),
                ),
            ),
        ),
        (Snippet("ARG name", "${1:name}"), Snippet("ARG name=default", "${1:name}=${2:default}")),
        expands_variables=True,
    ),
    InstructionSpec(
        "ONBUILD",
        "Record an instruction in the image that runs later, in any build that uses this image as its base, "
        "right after that build's FROM.",
        "onbuild",
        (Form.INSTRUCTION,),
        (
            Syntax(
                "ONBUILD <INSTRUCTION>", (Param("<INSTRUCTION>", "Any instruction but ONBUILD, FROM and MAINTAINER."),)
            ),
        ),
        (Snippet("ONBUILD instruction", "${1:RUN command}"),),
        onbuild_allowed=False,
    ),
    InstructionSpec(
        "STOPSIGNAL",
        "Set the signal `docker stop` sends to the container (SIGTERM by default).",
        "stopsignal",
        (Form.SIGNAL,),
        (Syntax("STOPSIGNAL <signal>", (Param("<signal>", "A name such as SIGINT, or a number such as 9."),)),),
        (Snippet("STOPSIGNAL signal", "${1:SIGTERM}"),),
        expands_variables=True,
    ),
    InstructionSpec(
        "HEALTHCHECK",
        "Tell Docker how to check that a running container still works (exit status 0 healthy, 1 unhealthy), "
        "or turn off a check inherited from the base image with NONE.",
        "healthcheck",
        (Form.HEALTH,),
        (
            Syntax(
                "HEALTHCHECK [OPTIONS] CMD <command>",
                (
                    Param("[OPTIONS]", "--interval, --timeout, --start-period, --start-interval, --retries."),
                    Param("CMD", "The check follows."),
                    Param("<command>", "Shell form or JSON exec form."),
                ),
            ),
            Syntax("HEALTHCHECK NONE", (Param("NONE", "Disable the base image's health check."),)),
        ),
        (
            Snippet("HEALTHCHECK CMD command", "--interval=${1:30s} --timeout=${2:3s} CMD ${3:command}"),
            Snippet("HEALTHCHECK NONE", "NONE"),
        ),
        _HEALTH_FLAGS,
    ),
    InstructionSpec(
        "SHELL",
        "Replace the shell that runs the shell form of RUN, CMD and ENTRYPOINT (`/bin/sh -c` on Linux, "
        "`cmd /S /C` on Windows). Must be JSON.",
        "shell",
        (Form.JSON_ONLY,),
        (Syntax('SHELL ["<executable>", "<param>", ...]', _EXEC_PARAMS),),
        (Snippet('SHELL ["executable", "param"]', '["${1:/bin/bash}", "${2:-c}"]'),),
    ),
)

INSTRUCTIONS_BY_NAME: dict[str, InstructionSpec] = {spec.name: spec for spec in INSTRUCTIONS}


def instruction(name: str) -> InstructionSpec | None:
    """The instruction named ``name`` (any case)."""
    return INSTRUCTIONS_BY_NAME.get(name.upper())


def flag(instruction_name: str, flag_name: str) -> FlagSpec | None:
    spec = instruction(instruction_name)
    return spec.flag(flag_name) if spec else None


# -- --mount types ----------------------------------------------------------------------------

_TARGET = MountOption(
    "target", ValueKind.PATH, "Where the mount appears in the build container.", ("dst", "destination")
)
_TARGET_REQUIRED = MountOption(
    "target",
    ValueKind.PATH,
    "Where the mount appears in the build container (required).",
    ("dst", "destination"),
    required=True,
)


def _ids(what: str, mode: str) -> tuple[MountOption, ...]:
    return (
        MountOption("mode", ValueKind.OCTAL, f"File mode of the {what}, in octal.", values=(mode,), default=mode),
        MountOption("uid", ValueKind.ID, f"User id owning the {what}.", default="0"),
        MountOption("gid", ValueKind.ID, f"Group id owning the {what}.", default="0"),
    )


MOUNT_TYPES: tuple[MountType, ...] = (
    MountType(
        "bind",
        "Bind a directory of the build context, a stage, an image or a named context into the container; "
        "read-only unless rw is set. The default type.",
        "run---mounttypebind",
        (
            _TARGET_REQUIRED,
            MountOption("source", ValueKind.PATH, "Path inside `from` to mount; its root by default.", ("src",)),
            MountOption(
                "from", ValueKind.SOURCE, "Stage, image or named context to mount from; the build context by default."
            ),
            MountOption(
                "readwrite",
                ValueKind.BOOL,
                "Allow writes; they are thrown away when the RUN ends.",
                ("rw",),
                BOOL_VALUES,
                "false",
            ),
            MountOption(
                "readonly", ValueKind.BOOL, "Mount read-only (the default for bind).", ("ro",), BOOL_VALUES, "true"
            ),
        ),
    ),
    MountType(
        "cache",
        "A directory kept between builds for compilers and package managers; the instruction cache does "
        "not depend on it, so the build must work with any content in it.",
        "run---mounttypecache",
        (
            MountOption(
                "id", ValueKind.STRING, "Names the cache, so different targets can share one; the target by default."
            ),
            _TARGET_REQUIRED,
            MountOption("readonly", ValueKind.BOOL, "Mount the cache read-only.", ("ro",), BOOL_VALUES, "false"),
            MountOption(
                "readwrite", ValueKind.BOOL, "Mount the cache writable (the default).", ("rw",), BOOL_VALUES, "true"
            ),
            MountOption(
                "sharing",
                ValueKind.ENUM,
                "What concurrent builds using the same cache do: `shared` write together, `private` get "
                "their own copy, `locked` wait for each other.",
                values=("shared", "private", "locked"),
                default="shared",
            ),
            MountOption(
                "from", ValueKind.SOURCE, "Stage, image or context whose files seed a new cache; empty by default."
            ),
            MountOption("source", ValueKind.PATH, "Path inside `from` to seed the cache with.", ("src",)),
            *_ids("new cache directory", "0755"),
        ),
    ),
    MountType(
        "tmpfs",
        "A memory-backed filesystem that lives for this RUN only.",
        "run---mounttypetmpfs",
        (
            _TARGET_REQUIRED,
            MountOption("size", ValueKind.SIZE, "Upper limit of the filesystem's size.", values=("64m",)),
        ),
    ),
    MountType(
        "secret",
        "Make a build secret (`docker build --secret`) readable by this RUN, as a file or an environment "
        "variable, without it ending up in the image or its cache.",
        "run---mounttypesecret",
        (
            MountOption("id", ValueKind.STRING, "The secret's id; the target's base name by default."),
            MountOption(
                "target",
                ValueKind.PATH,
                "File path of the secret; /run/secrets/<id> by default.",
                ("dst", "destination"),
            ),
            MountOption("env", ValueKind.STRING, "Expose the secret as this environment variable (syntax 1.10+)."),
            MountOption(
                "required", ValueKind.BOOL, "Fail when the secret is not given.", values=BOOL_VALUES, default="false"
            ),
            *_ids("secret file", "0400"),
        ),
    ),
    MountType(
        "ssh",
        "Give this RUN access to an SSH agent or keys from `docker build --ssh`, e.g. to clone private repositories.",
        "run---mounttypessh",
        (
            MountOption("id", ValueKind.STRING, "The SSH agent socket or key id; `default` by default."),
            MountOption(
                "target", ValueKind.PATH, "Socket path; /run/buildkit/ssh_agent.<N> by default.", ("dst", "destination")
            ),
            MountOption(
                "required", ValueKind.BOOL, "Fail when the key is not given.", values=BOOL_VALUES, default="false"
            ),
            *_ids("socket", "0600"),
        ),
    ),
)
MOUNT_TYPES_BY_NAME: dict[str, MountType] = {mount.name: mount for mount in MOUNT_TYPES}
DEFAULT_MOUNT_TYPE = "bind"
MOUNT_TYPE_OPTION = MountOption(
    "type", ValueKind.ENUM, "The kind of mount; bind by default.", values=tuple(MOUNT_TYPES_BY_NAME), default="bind"
)


def mount_type(name: str) -> MountType | None:
    return MOUNT_TYPES_BY_NAME.get(name.lower())


# -- parser directives ------------------------------------------------------------------------

BUILD_CHECKS: tuple[str, ...] = (
    "ConsistentInstructionCasing",
    "CopyIgnoredFile",
    "DuplicateStageName",
    "ExposeInvalidFormat",
    "ExposeProtoCasing",
    "FromAsCasing",
    "FromPlatformFlagConstDisallowed",
    "InvalidBaseImagePlatform",
    "InvalidDefaultArgInFrom",
    "InvalidDefinitionDescription",
    "JSONArgsRecommended",
    "LegacyKeyValueFormat",
    "MaintainerDeprecated",
    "MultipleInstructionsDisallowed",
    "NoEmptyContinuation",
    "RedundantTargetPlatform",
    "ReservedStageName",
    "SecretsUsedInArgOrEnv",
    "StageNameCasing",
    "UndefinedArgInFrom",
    "UndefinedVar",
    "WorkdirRelativePath",
)
"""BuildKit's build check names, as ``# check=skip=`` takes them (case matters)."""

DIRECTIVES: tuple[DirectiveSpec, ...] = (
    DirectiveSpec(
        "syntax",
        "Choose the Dockerfile frontend image that builds this file, so new syntax works without upgrading "
        "BuildKit or Docker. `docker/dockerfile:1` follows the latest stable 1.x.",
        ("# syntax=<frontend image>",),
        "syntax",
        ("docker/dockerfile:1", "docker/dockerfile:1-labs", "docker/dockerfile-upstream:master"),
        "syntax=${1:docker/dockerfile:1}",
    ),
    DirectiveSpec(
        "escape",
        "Choose the character that escapes characters and continues lines: `\\` (the default) or a "
        "backtick, handy on Windows where `\\` separates paths.",
        ("# escape=\\", "# escape=`"),
        "escape",
        ("\\", "`"),
        "escape=${1:`}",
    ),
    DirectiveSpec(
        "check",
        "Configure build checks: skip some (comma-separated names, or `all`) and/or make any failing check "
        "fail the build; join both parts with `;`.",
        ("# check=skip=<checks|all>", "# check=error=<boolean>", "# check=skip=<checks>;error=<boolean>"),
        "check",
        ("skip=", "error=true", "skip=all"),
        "check=${1:skip=JSONArgsRecommended}",
    ),
)
DIRECTIVES_BY_NAME: dict[str, DirectiveSpec] = {spec.name: spec for spec in DIRECTIVES}
CHECK_OPTIONS = ("skip", "error")


def directive(name: str) -> DirectiveSpec | None:
    return DIRECTIVES_BY_NAME.get(name.lower())


# -- predefined build arguments ---------------------------------------------------------------

_PLATFORM_ANCHOR = "automatic-platform-args-in-the-global-scope"
_PROXY_ANCHOR = "predefined-args"
_BUILTIN_ANCHOR = "buildkit-built-in-build-args"


def _platform(name: str, what: str) -> BuiltinArg:
    return BuiltinArg(name, BuiltinKind.PLATFORM, what, _PLATFORM_ANCHOR)


PLATFORM_ARGS: tuple[BuiltinArg, ...] = (
    _platform("TARGETPLATFORM", "The platform the build produces, e.g. linux/amd64 or linux/arm/v7."),
    _platform("TARGETOS", "The OS part of TARGETPLATFORM."),
    _platform("TARGETARCH", "The architecture part of TARGETPLATFORM."),
    _platform("TARGETVARIANT", "The variant part of TARGETPLATFORM (e.g. v7), often empty."),
    _platform("BUILDPLATFORM", "The platform of the machine running the build."),
    _platform("BUILDOS", "The OS part of BUILDPLATFORM."),
    _platform("BUILDARCH", "The architecture part of BUILDPLATFORM."),
    _platform("BUILDVARIANT", "The variant part of BUILDPLATFORM, often empty."),
)
PROXY_ARGS: tuple[BuiltinArg, ...] = tuple(
    BuiltinArg(
        name,
        BuiltinKind.PROXY,
        "Proxy setting passed with --build-arg without declaring it; kept out of `docker history` and the "
        "cache key unless an ARG declares it.",
        _PROXY_ANCHOR,
    )
    for base in ("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")
    for name in (base, base.lower())
)
BUILDKIT_ARGS: tuple[BuiltinArg, ...] = tuple(
    BuiltinArg(name, BuiltinKind.BUILDKIT, what, _BUILTIN_ANCHOR)
    for name, what in (
        ("BUILDKIT_BUILD_NAME", "Overrides the build's name in build history."),
        ("BUILDKIT_CACHE_MOUNT_NS", "A namespace for cache mount ids."),
        ("BUILDKIT_CONTEXT_KEEP_GIT_DIR", "Keep the .git directory of a Git build context."),
        ("BUILDKIT_INLINE_CACHE", "Write cache metadata into the image config."),
        ("BUILDKIT_MULTI_PLATFORM", "Produce the same output form whether one or several platforms are built."),
        ("BUILDKIT_SANDBOX_HOSTNAME", "The hostname RUN sees (buildkitsandbox by default)."),
        ("BUILDKIT_SYNTAX", "The frontend image; `dockerfile.v0` ignores the # syntax= directive."),
        ("SOURCE_DATE_EPOCH", "A Unix time used as the creation time of the image and its layers."),
    )
)
BUILTIN_ARGS_BY_NAME: dict[str, BuiltinArg] = {arg.name: arg for arg in (*PLATFORM_ARGS, *PROXY_ARGS, *BUILDKIT_ARGS)}


def builtin_arg(name: str) -> BuiltinArg | None:
    return BUILTIN_ARGS_BY_NAME.get(name)
