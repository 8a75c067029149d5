"""Document links: each image reference to its registry's page, and the ``# syntax=`` frontend."""

from __future__ import annotations

import msgspec

from dockerfile_stages.model.image import DOCKER_HUB, ImageRef, looks_like_image, parse_image_ref
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Directive, Span


class Link(msgspec.Struct, frozen=True):
    span: Span
    target: str
    tooltip: str


def registry_page(image: ImageRef) -> str | None:
    """The web page of an image's repository, for the registries that have one at a known address."""
    registry, repository = image.registry, image.repository
    if registry == DOCKER_HUB:
        if repository.startswith("library/"):
            return f"https://hub.docker.com/_/{repository.removeprefix('library/')}"
        return f"https://hub.docker.com/r/{repository}"
    if registry == "ghcr.io":
        return f"https://ghcr.io/{repository}"
    if registry == "quay.io":
        return f"https://quay.io/repository/{repository}"
    if registry == "mcr.microsoft.com":
        return f"https://mcr.microsoft.com/en-us/artifact/mar/{repository}"
    if registry == "gcr.io" or registry.endswith(".gcr.io"):
        return f"https://{registry}/{repository}"
    return None


def document_links(document: Document, model: StageModel) -> list[Link]:
    links = []
    for line, node in document.nodes():
        if not isinstance(node, Directive):
            break
        if node.key == "syntax":
            image = parse_image_ref(node.value)
            page = registry_page(image) if image else None
            if page:
                links.append(Link(node.value_span.shifted(line), page, "Dockerfile frontend image"))
    for stage in model.stages:
        if stage.image is not None and stage.base_span is not None and "$" not in stage.base:
            page = registry_page(stage.image)
            if page:
                links.append(Link(stage.base_span, page, f"{stage.image.display} on its registry"))
    for ref in model.refs:
        if ref.target is None and looks_like_image(ref.text) and "$" not in ref.text:
            image = parse_image_ref(ref.text)
            page = registry_page(image) if image else None
            if page and image:
                links.append(Link(ref.span, page, f"{image.display} on its registry"))
    links.sort(key=lambda link: (link.span.start.line, link.span.start.col))
    return links
