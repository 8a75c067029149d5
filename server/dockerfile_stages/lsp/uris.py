"""Document URIs to paths, and which URIs are build files (Compose, Bake, CI, Makefiles, scripts)
rather than Dockerfiles. Without lsprotocol: the bootstrap asks this before the server is loaded."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pygls.uris import from_fs_path, to_fs_path  # a small module: it does not import lsprotocol

from dockerfile_stages.model.build_files import kind_of


@lru_cache(maxsize=64)  # asked for several times a request, with the same few URIs
def path_of(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(os.path.normpath(path)) if path else None


def is_build_uri(uri: str) -> bool:
    path = path_of(uri)
    return path is not None and kind_of(path.as_posix()) is not None


def uri_of(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()
