"""Recognising build toolchain images (compilers, SDKs) and what a stage builds."""

from __future__ import annotations

from dockerfile_stages.model.image import ImageRef

# Repositories whose images carry a compiler or SDK; what they ship is mostly build tooling.
TOOLCHAIN_REPOSITORIES = {
    "library/golang": "Go",
    "library/rust": "Rust",
    "library/maven": "Maven",
    "library/gradle": "Gradle",
    "library/openjdk": "a JDK",
    "library/amazoncorretto": "a JDK",
    "library/gcc": "GCC",
    "library/buildpack-deps": "build tools",
    "library/haskell": "GHC",
    "library/swift": "Swift",
    "library/elixir": "Elixir",
    "library/clojure": "Clojure",
    "dotnet/sdk": ".NET SDK",
    "library/node": "Node.js with build tools",
}
_JDK_REPOSITORIES = ("library/eclipse-temurin", "library/ibm-semeru-runtimes", "library/sapmachine")
_SLIM_MARKERS = ("slim", "alpine", "distroless")
_NODE_BUILD_WORDS = ("npm ci", "npm install", "npm run build", "yarn", "pnpm")


def toolchain_of(image: ImageRef | None, build_commands: str = "") -> str | None:
    """The toolchain an image carries (e.g. "Go"), or None for a runtime image."""
    if image is None:
        return None
    repository = image.repository
    tag = (image.tag or "").lower()
    if repository.endswith("/dotnet/sdk") or repository == "dotnet/sdk":
        return ".NET SDK"
    if repository in _JDK_REPOSITORIES:
        return "a JDK" if "jre" not in tag else None
    toolchain = TOOLCHAIN_REPOSITORIES.get(repository)
    if toolchain is None:
        return None
    if repository == "library/node":
        if any(marker in tag for marker in _SLIM_MARKERS):
            return None
        if not any(word in build_commands for word in _NODE_BUILD_WORDS):
            return None
    if repository == "library/openjdk" and "jre" in tag:
        return None
    return toolchain


def is_static_runtime(image_text: str) -> bool:
    """``scratch`` or a distroless image without libc."""
    text = image_text.lower()
    return text == "scratch" or text.startswith("gcr.io/distroless/static")
