"""Registry answers kept on disk between runs, keyed by reference and platform, with a time to live."""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from dockerfile_stages.sizes.figures import ImageSize


class SizeCache:
    def __init__(self, path: Path, ttl_s: float) -> None:
        self.path = path
        self.ttl_s = ttl_s
        self._entries: dict[str, dict[str, Any]] | None = None

    @staticmethod
    def key(reference: str, platform: str) -> str:
        return f"{reference}|{platform}"

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            try:
                data = json.loads(self.path.read_text())
                self._entries = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self._entries = {}  # missing or corrupt: start again, never fail
        return self._entries

    def get(self, reference: str, platform: str) -> ImageSize | None:
        entry = self._load().get(self.key(reference, platform))
        if not isinstance(entry, dict) or time.time() - float(entry.get("stored_at", 0)) > self.ttl_s:
            return None
        try:
            figure = ImageSize(**entry["size"])
        except (KeyError, TypeError):
            return None
        return ImageSize(
            figure.reference,
            figure.platform,
            figure.compressed_bytes,
            figure.disk_bytes,
            "cache",
            figure.as_of,
            figure.digest,
            figure.disk_estimated,
        )

    def put(self, figure: ImageSize) -> None:
        entries = self._load()
        entries[self.key(figure.reference, figure.platform)] = {"stored_at": time.time(), "size": asdict(figure)}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".sizes-")
            with os.fdopen(handle, "w") as out:
                json.dump(entries, out)
            os.replace(temporary, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs a lookup next time
