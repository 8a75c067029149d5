"""What Compose and Bake files are called: the names searched next to a Dockerfile, and the
patterns that recognise an open file as one (overrides such as ``compose.override.yaml`` too)."""

from __future__ import annotations

import re

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
BAKE_FILES = ("docker-bake.hcl", "docker-bake.json", "docker-bake.override.hcl", "docker-bake.override.json")
COMPOSE_NAME = re.compile(r"(^|/)(docker-)?compose(\.[\w-]+)?\.ya?ml$")
BAKE_NAME = re.compile(r"(^|/)docker-bake(\.[\w-]+)?\.(hcl|json)$")


def is_compose_file(path: str) -> bool:
    return bool(COMPOSE_NAME.search(path))


def is_bake_file(path: str) -> bool:
    return bool(BAKE_NAME.search(path))


def is_build_file(path: str) -> bool:
    return is_compose_file(path) or is_bake_file(path)
