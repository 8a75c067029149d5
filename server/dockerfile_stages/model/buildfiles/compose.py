"""Compose files: every service's ``build`` (context, dockerfile, target)."""

from __future__ import annotations

from pathlib import PurePosixPath

import yaml

from dockerfile_stages.model.buildfiles import yamlnodes
from dockerfile_stages.model.buildfiles.uses import Build, PathRef, Value, is_literal, is_remote


def compose_builds(text: str) -> list[Build]:
    root = yamlnodes.compose(text)
    builds = []
    for name, service in yamlnodes.items(yamlnodes.get(root, "services")):
        node = yamlnodes.get(service, "build")
        if node is not None:
            build = _build(text, name, node)
            if build is not None:
                builds.append(build)
    return builds


def _build(text: str, service: str, node: yaml.Node) -> Build | None:
    where = yamlnodes.span(node)
    if isinstance(node, yaml.ScalarNode):  # build: ./dir
        context = _path(text, node)
        return Build(context, PathRef(context.path / "Dockerfile", None), None, where, service) if context else None
    if yamlnodes.get(node, "dockerfile_inline") is not None:
        return None
    context_node = yamlnodes.get(node, "context")
    context = _path(text, context_node) if context_node is not None else PathRef(PurePosixPath("."), None)
    dockerfile_node = yamlnodes.get(node, "dockerfile")
    default = PathRef(PurePosixPath("Dockerfile"), None)
    written = _path(text, dockerfile_node) if dockerfile_node is not None else default
    if context is None or written is None:
        return None  # a variable, a Git URL or an image: nothing on disk to follow
    dockerfile = PathRef(context.path / written.path, written.written)  # relative to the context
    target_node = yamlnodes.get(node, "target")
    target = yamlnodes.value(text, target_node)
    if target_node is not None and (target is None or not is_literal(target.text)):
        return None
    return Build(context, dockerfile, target, where, service)


def _path(text: str, node: yaml.Node | None) -> PathRef | None:
    value: Value | None = yamlnodes.value(text, node)
    if value is None or not is_literal(value.text) or is_remote(value.text):
        return None
    return PathRef(PurePosixPath(value.text), value)
