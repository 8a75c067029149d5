"""Image references: ``[registry/]repository[:tag][@digest]`` as Docker normalises them."""

from __future__ import annotations

import msgspec

DOCKER_HUB = "docker.io"


class ImageRef(msgspec.Struct, frozen=True):
    text: str
    registry: str  # "docker.io" when none is written
    repository: str  # "library/golang" for an official image
    tag: str | None
    digest: str | None

    @property
    def short_name(self) -> str:
        """The repository as people write it: ``golang`` rather than ``library/golang``."""
        if self.registry == DOCKER_HUB and self.repository.startswith("library/"):
            return self.repository[len("library/") :]
        return self.repository if self.registry == DOCKER_HUB else f"{self.registry}/{self.repository}"

    @property
    def display(self) -> str:
        out = self.short_name
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out


def parse_image_ref(text: str) -> ImageRef | None:
    """Split an image reference; None if ``text`` cannot be one (empty, spaces, bad shape)."""
    if not text or any(ch.isspace() for ch in text) or text.startswith(("-", "/", ":", "@")):
        return None
    name, _, digest = text.partition("@")
    if "@" in digest:
        return None
    tag: str | None = None
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
        if not tag:
            return None
    if not name or name.endswith("/") or "//" in name:
        return None
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first, rest
    else:
        registry, repository = DOCKER_HUB, name
    if registry in ("index.docker.io", "registry-1.docker.io"):
        registry = DOCKER_HUB
    if registry == DOCKER_HUB and "/" not in repository:
        repository = f"library/{repository}"
    if repository != repository.lower():
        return None
    return ImageRef(text, registry, repository, tag, digest or None)


def looks_like_image(text: str) -> bool:
    """True for a ``--from`` value that names an image rather than a stage (has ``/``, ``:`` or ``@``)."""
    return "/" in text or ":" in text or "@" in text
