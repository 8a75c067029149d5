"""What the split knows about runtime images: shell, PATH, distribution, and how to install into them."""

from __future__ import annotations

import re
from enum import Enum

import msgspec

from dockerfile_stages.model.image import ImageRef, parse_image_ref
from dockerfile_stages.refactor.flow import DEFAULT_PATH, Package


class Family(Enum):
    DEBIAN = "debian"  # debian, ubuntu: apt
    ALPINE = "alpine"  # apk
    FEDORA = "fedora"  # fedora, rhel-likes: dnf / microdnf


class RunnerFacts(msgspec.Struct, frozen=True):
    has_shell: bool
    path: str  # the PATH the image sets (or the engine's default)
    has_libc: bool


# extra PATH entries of runtime images (from their image configuration)
_RUNNER_PATH = {
    "library/eclipse-temurin": "/opt/java/openjdk/bin:" + DEFAULT_PATH,
}
_DISTRO_REPOSITORIES = {
    "library/debian": Family.DEBIAN,
    "library/ubuntu": Family.DEBIAN,
    "library/buildpack-deps": Family.DEBIAN,
    "library/alpine": Family.ALPINE,
    "library/fedora": Family.FEDORA,
    "library/rockylinux": Family.FEDORA,
    "library/almalinux": Family.FEDORA,
    "library/centos": Family.FEDORA,
    "library/amazonlinux": Family.FEDORA,
    "fedora/fedora": Family.FEDORA,
    "ubi8/ubi": Family.FEDORA,
    "ubi9/ubi": Family.FEDORA,
}


def runner_facts(runner: str) -> RunnerFacts:
    text = runner.lower()
    if text == "scratch":
        return RunnerFacts(False, DEFAULT_PATH, False)
    if text.startswith("gcr.io/distroless/"):
        debug = ":debug" in text
        return RunnerFacts(debug, DEFAULT_PATH, not text.startswith("gcr.io/distroless/static"))
    image = parse_image_ref(runner)
    path = _RUNNER_PATH.get(image.repository, DEFAULT_PATH) if image else DEFAULT_PATH
    return RunnerFacts(True, path, True)


def family_of(image: ImageRef) -> Family | None:
    """The distribution family of a plain distribution image (None for anything else)."""
    for repository, family in _DISTRO_REPOSITORIES.items():
        if image.repository == repository or image.repository.endswith("/" + repository):
            return family
    return None


def family_of_toolchain(image: ImageRef) -> Family:
    """Toolchain images are Debian-based unless their tag says Alpine."""
    return Family.ALPINE if "alpine" in (image.tag or "") else Family.DEBIAN


def slim_of(image: ImageRef) -> str:
    """The same distribution's small image: debian:bookworm -> debian:bookworm-slim."""
    name = image.short_name
    tag = image.tag or "latest"
    family = family_of(image)
    if image.repository.endswith("library/debian") or image.repository.endswith("library/buildpack-deps"):
        if image.repository.endswith("buildpack-deps"):
            tag = _codename(tag)
            return f"debian:{tag}-slim"
        if "slim" in tag:
            return image.display
        return f"debian:{'stable' if tag == 'latest' else tag}-slim"
    if family is Family.FEDORA:
        if image.repository.endswith("library/fedora") or image.repository.endswith("fedora/fedora"):
            return f"registry.fedoraproject.org/fedora-minimal:{tag}"
        if image.repository.endswith(("library/rockylinux", "library/almalinux")):
            return f"{name}:{tag}-minimal" if "minimal" not in tag else image.display
        if "/ubi" in image.repository:
            return f"{image.registry}/{image.repository}-minimal:{tag}"
    return image.display  # ubuntu, alpine, amazonlinux, centos: already the small one


def _codename(tag: str) -> str:
    for codename in ("trixie", "bookworm", "bullseye", "buster"):
        if codename in tag:
            return codename
    return "bookworm"


def debian_codename(tag: str) -> str:
    return _codename(tag)


def install_line(family: Family, runner: str, packages: list[str]) -> str:
    names = " ".join(packages)
    if family is Family.DEBIAN:
        # Debian's JRE packages fail to configure on slim images without this directory
        java = any(package.startswith(("openjdk-", "default-jre")) for package in packages)
        man = "mkdir -p /usr/share/man/man1 && " if java else ""
        return (
            f"RUN {man}apt-get update && apt-get install -y --no-install-recommends {names}"
            " && rm -rf /var/lib/apt/lists/*"
        )
    if family is Family.ALPINE:
        return f"RUN apk add --no-cache {names}"
    tool = "microdnf" if "minimal" in runner else "dnf"
    return f"RUN {tool} install -y {names} && {tool} clean all"


# Build-only packages: compilers, build tools, SDKs, fetch tools. Matched on the name.
_BUILD_ONLY = re.compile(
    r"^(build-essential|build-base|gcc|gcc-c\+\+|g\+\+|cpp|clang|llvm|lld|make|cmake|ninja(-build)?|meson|"
    r"autoconf|automake|libtool|pkg-?config|pkgconf|bison|flex|git|curl|wget|unzip|xz(-utils)?|gnupg2?|patch|"
    r"golang(-[\d.]+)?(-go)?|go|cargo|rustc|rust|maven|gradle|ant|npm|yarn(pkg)?|musl-dev|musl-tools|libc6?-dev|"
    r"linux-headers|openjdk-\d+-jdk(-headless)?|default-jdk(-headless)?|openjdk\d+(-jdk)?|java-[\d.]+-openjdk-devel|"
    r"python3?-pip|py3-pip|python3?-dev|python3?-devel|python3-venv|python3-setuptools|python3-wheel|"
    r"software-properties-common|apt-transport-https|lsb-release|dpkg-dev|binutils|file|sudo)$"
)
# A JDK build package's runtime counterpart; -dev libraries' runtime packages where the name differs.
_RUNTIME_OF: list[tuple[Family, re.Pattern[str], str]] = [
    (Family.DEBIAN, re.compile(r"^openjdk-(\d+)-jdk(-headless)?$"), r"openjdk-\1-jre-headless"),
    (Family.DEBIAN, re.compile(r"^default-jdk(-headless)?$"), "default-jre-headless"),
    (Family.DEBIAN, re.compile(r"^python3?-(pip|venv|dev)$"), "python3"),
    (Family.DEBIAN, re.compile(r"^libssl-dev$"), "libssl3"),
    (Family.DEBIAN, re.compile(r"^libsqlite3-dev$"), "libsqlite3-0"),
    (Family.DEBIAN, re.compile(r"^zlib1g-dev$"), "zlib1g"),
    (Family.DEBIAN, re.compile(r"^libpq-dev$"), "libpq5"),
    (Family.DEBIAN, re.compile(r"^libcurl4-(openssl|gnutls)-dev$"), r"libcurl4"),
    (Family.DEBIAN, re.compile(r"^libffi-dev$"), "libffi8"),
    (Family.DEBIAN, re.compile(r"^libyaml-dev$"), "libyaml-0-2"),
    (Family.ALPINE, re.compile(r"^openjdk(\d+)(-jdk)?$"), r"openjdk\1-jre-headless"),
    (Family.ALPINE, re.compile(r"^(g\+\+|build-base)$"), "libstdc++"),
    (Family.ALPINE, re.compile(r"^py3-pip|python3-dev$"), "python3"),
    (Family.ALPINE, re.compile(r"^(\w[\w.+-]*)-dev$"), r"\1"),
    (Family.FEDORA, re.compile(r"^java-([\d.]+)-openjdk-devel$"), r"java-\1-openjdk-headless"),
    (Family.FEDORA, re.compile(r"^gcc-c\+\+$"), "libstdc++"),
    (Family.FEDORA, re.compile(r"^python3-(pip|devel)$"), "python3"),
    (Family.FEDORA, re.compile(r"^(\w[\w.+-]*)-devel$"), r"\1"),
]


class RuntimePackages(msgspec.Struct, frozen=True):
    install: list[str]  # what the runner installs
    unsure: list[str]  # -dev packages whose runtime library is not known


def runtime_packages(family: Family, packages: list[Package], runtime_text: str) -> RuntimePackages:
    """What the runner must install: the build's packages minus build tools, -dev mapped to runtime
    libraries; a fetch tool (curl, wget) stays when a runtime instruction (HEALTHCHECK) uses it."""
    install: list[str] = []
    unsure: list[str] = []
    for package in packages:
        name = package.name
        mapped = _mapped(family, name)
        if mapped is not None:
            install.append(mapped)
        elif _BUILD_ONLY.match(name):
            if name in ("curl", "wget") and re.search(rf"\b{name}\b", runtime_text):
                install.append(name)
        elif family is Family.DEBIAN and name.endswith("-dev"):
            unsure.append(name)
        else:
            install.append(name)
    return RuntimePackages(list(dict.fromkeys(install)), unsure)


def _mapped(family: Family, name: str) -> str | None:
    for rule_family, pattern, replacement in _RUNTIME_OF:
        if rule_family is family and pattern.match(name):
            return pattern.sub(replacement, name)
    return None
