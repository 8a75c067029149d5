"""``--target`` stages named by Compose and Bake files next to a Dockerfile.

A stage that only a ``docker compose`` service or a ``docker buildx bake`` target builds is used,
not dead: the unused-stage rule counts these. Files that cannot be read or parsed are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dockerfile_stages.model.build_files import BAKE_FILES, COMPOSE_FILES

SEARCH_DEPTH = 3  # the Dockerfile's directory and this many parents


def find_targets(dockerfile: Path) -> tuple[str, ...]:
    """Targets that Compose services or Bake targets build from ``dockerfile``."""
    wanted = _resolve(dockerfile)
    found: list[str] = []
    directory = wanted.parent
    for _ in range(SEARCH_DEPTH + 1):
        for name in COMPOSE_FILES:
            found += _matching(directory, _compose_builds(directory / name), wanted)
        for name in BAKE_FILES:
            found += _matching(directory, _bake_builds(directory / name), wanted)
        if directory.parent == directory:
            break
        directory = directory.parent
    return tuple(dict.fromkeys(found))


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _matching(base: Path, builds: Iterator[tuple[str, str, str]], wanted: Path) -> list[str]:
    targets = []
    for context, dockerfile, target in builds:
        path = Path(dockerfile)
        if not path.is_absolute():
            path = base / context / dockerfile
        if _resolve(path) == wanted:
            targets.append(target)
    return targets


def _compose_builds(path: Path) -> Iterator[tuple[str, str, str]]:
    """(context, dockerfile, target) of every service that builds with a target."""
    if not path.is_file():
        return
    try:
        import yaml

        data = yaml.safe_load(path.read_text(errors="replace"))
    except Exception:  # a broken compose file is the user's to fix; skip it here
        return
    services = data.get("services") if isinstance(data, dict) else None
    for service in (services or {}).values() if isinstance(services, dict) else []:
        build = service.get("build") if isinstance(service, dict) else None
        if isinstance(build, dict) and isinstance(build.get("target"), str):
            context = _text(build.get("context")) or "."
            dockerfile = _text(build.get("dockerfile")) or "Dockerfile"
            yield context, dockerfile, str(build["target"])


def _bake_builds(path: Path) -> Iterator[tuple[str, str, str]]:
    if not path.is_file():
        return
    try:
        if path.suffix == ".json":
            data = json.loads(path.read_text(errors="replace"))
            blocks = list((data.get("target") or {}).values()) if isinstance(data, dict) else []
        else:
            import hcl2

            data = hcl2.loads(path.read_text(errors="replace"))
            blocks = [body for entry in data.get("target", []) for body in entry.values()]
    except Exception:  # unparsable Bake file: skip it
        return
    for block in blocks:
        if not isinstance(block, dict):
            continue
        target = _text(block.get("target"))
        if target:
            yield _text(block.get("context")) or ".", _text(block.get("dockerfile")) or "Dockerfile", target


def _text(value: Any) -> str | None:
    """A string from JSON, or from python-hcl2 (which keeps the quotes)."""
    if not isinstance(value, str):
        return None
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value
