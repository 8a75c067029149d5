"""What a size figure is, and how it is shown."""

from __future__ import annotations

from enum import Enum

import msgspec

UNTRUSTED_NOTE = "network sizes are off until the workspace is trusted"


class SizeSource(str, Enum):
    """Where a figure came from (the order the size service asks in)."""

    ENGINE = "engine"
    CACHE = "cache"
    REGISTRY = "registry"
    SNAPSHOT = "snapshot"
    UNKNOWN = "unknown"


class ImageSize(msgspec.Struct, frozen=True):
    reference: str  # as resolved, e.g. "golang:1.22"
    platform: str
    compressed_bytes: int | None  # what a pull downloads (sum of the manifest's layers)
    disk_bytes: int | None  # unpacked on disk
    source: SizeSource
    as_of: str | None = None  # the snapshot's date, or when the registry answered (ISO date)
    digest: str | None = None
    disk_estimated: bool = False  # disk_bytes derived from compressed_bytes with the snapshot's ratio
    note: str | None = None  # why a figure is missing, or what a fallback replaced
    untrusted: bool = False  # only the snapshot was asked: the workspace is not trusted

    @property
    def known(self) -> bool:
        return self.compressed_bytes is not None or self.disk_bytes is not None

    @property
    def best_bytes(self) -> int | None:
        """The figure closest to what the image weighs: on disk if known, else the download."""
        return self.disk_bytes if self.disk_bytes is not None else self.compressed_bytes

    def source_label(self) -> str:
        if self.source is SizeSource.SNAPSHOT:
            return f"snapshot of {self.as_of}" if self.as_of else "snapshot"
        if self.source is SizeSource.REGISTRY:
            return f"registry, {self.as_of}" if self.as_of else "registry"
        if self.source is SizeSource.CACHE:
            return f"cached registry answer of {self.as_of}" if self.as_of else "cache"
        if self.source is SizeSource.ENGINE:
            return "local engine"
        return "unknown"


def human(size: int | None) -> str:
    """Decimal units, as ``docker images`` prints them."""
    if size is None:
        return "unknown"
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" or value >= 100 else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"
