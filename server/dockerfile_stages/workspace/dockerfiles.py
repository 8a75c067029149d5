"""Finding Dockerfiles by name under directories."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"}


def is_dockerfile_name(name: str) -> bool:
    lower = name.lower()
    return (
        lower in ("dockerfile", "containerfile")
        or lower.startswith(("dockerfile.", "containerfile."))
        or lower.endswith((".dockerfile", ".containerfile"))
    )


def find_dockerfiles(paths: Sequence[str]) -> Iterator[str]:
    """Files named as arguments, and Dockerfiles found by name under directories named."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
                for name in sorted(files):
                    if is_dockerfile_name(name):
                        yield os.path.normpath(os.path.join(root, name))
        else:
            yield path
