"""Registry answers kept on disk between runs, keyed by reference and platform, with a time to live.

The file is ours but may be damaged or replaced: it is read only if it is a regular file of
reasonable size, and an entry is used only if its figures are plausible. Lookups run on several
threads at once, so the entries are guarded by a lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import msgspec
from msgspec.structs import replace

from dockerfile_stages.sizes.figures import ImageSize, SizeSource
from dockerfile_stages.sizes.validation import InvalidValue, checked_size

MAX_CACHE_BYTES = 16 * 1024 * 1024  # thousands of entries; a larger file is not ours: start again


class SizeCache:
    def __init__(self, path: Path, ttl_s: float) -> None:
        self.path = path
        self.ttl_s = ttl_s
        self._entries: dict[str, dict[str, Any]] | None = None
        self._lock = threading.Lock()  # the entries
        self._write_lock = threading.Lock()  # the file: snapshots written one at a time, the newest last
        self._snapshots = 0  # entries serialised so far
        self._written = 0  # the newest snapshot on disk

    @staticmethod
    def key(reference: str, platform: str) -> str:
        return f"{reference}|{platform}"

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = _read_entries(self.path)
        return self._entries

    def get(self, reference: str, platform: str) -> ImageSize | None:
        with self._lock:
            entry = self._load().get(self.key(reference, platform))
        if not isinstance(entry, dict):
            return None
        stored_at = entry.get("stored_at")
        if not isinstance(stored_at, (int, float)) or not 0 <= time.time() - stored_at <= self.ttl_s:
            return None
        figure = _figure(entry.get("size"))
        if figure is None or (figure.reference, figure.platform) != (reference, platform):
            return None
        return replace(figure, source=SizeSource.CACHE, note=None)

    def put(self, figure: ImageSize) -> None:
        with self._lock:
            entries = self._load()
            entries[self.key(figure.reference, figure.platform)] = {
                "stored_at": time.time(),
                "size": msgspec.to_builtins(figure),
            }
            text = json.dumps(entries)
            self._snapshots += 1
            snapshot = self._snapshots
        with self._write_lock:
            # Without it, two lookups finishing together could rename their files in the other order,
            # leaving the older snapshot on disk (the newer entry lost).
            if snapshot < self._written:
                return  # a newer snapshot, with this entry, is on disk already
            self._write(text)
            self._written = snapshot

    def _write(self, text: str) -> None:
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".sizes-")
            with os.fdopen(handle, "w") as out:
                out.write(text)
            os.replace(temporary, self.path)
        except OSError:
            if temporary is not None:  # a cache that cannot be written only costs a lookup next time
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _read_entries(path: Path) -> dict[str, dict[str, Any]]:
    """The cache file's entries; none when it is missing, corrupt, not a regular file or too large."""
    try:
        if not path.is_file():
            return {}
        with path.open("rb") as handle:
            raw = handle.read(MAX_CACHE_BYTES + 1)
        if len(raw) > MAX_CACHE_BYTES:
            return {}
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _figure(raw: object) -> ImageSize | None:
    """A cached figure, if every field has the type (and sizes the range) it should."""
    if not isinstance(raw, dict):
        return None
    try:
        figure = ImageSize(**raw)
        for value in (figure.compressed_bytes, figure.disk_bytes):
            if value is not None:
                checked_size(value)
    except (TypeError, InvalidValue):
        return None
    texts = (figure.reference, figure.platform, figure.source)
    optional_texts = (figure.as_of, figure.digest, figure.note)
    if not all(isinstance(text, str) for text in texts) or not all(
        text is None or isinstance(text, str) for text in optional_texts
    ):
        return None
    return figure if isinstance(figure.disk_estimated, bool) else None
