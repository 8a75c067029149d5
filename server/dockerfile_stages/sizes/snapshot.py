"""The bundled snapshot of popular base images (``data/base-images.json``, with its sources)."""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec
from msgspec.structs import replace

from dockerfile_stages.model.image import DOCKER_HUB, ImageRef
from dockerfile_stages.sizes.figures import ImageSize, SizeSource


class Snapshot(msgspec.Struct, frozen=True):
    entries: dict[tuple[str, str, str], dict[str, Any]]  # (repository, tag, platform) -> entry
    aliases: dict[str, str]  # "golang:1" -> "golang:latest"
    disk_ratio: float  # median disk/compressed over the entries that have both (amd64)
    ratio_pairs: int

    def lookup(self, image: ImageRef, platform: str) -> ImageSize | None:
        if image.registry != "docker.io" or not image.repository.startswith("library/"):
            return None
        if image.digest:
            if not image.tag:
                return None
            tagged = ImageRef(image.text, image.registry, image.repository, image.tag, None)
            figure = self.lookup(tagged, platform)
            if figure is None:
                return None
            return replace(
                figure,
                reference=image.display,
                digest=None,
                note="the snapshot's figure for the tag; the pinned digest may differ",
            )
        name = image.repository.removeprefix("library/")
        tag = image.tag or "latest"
        seen = set()
        while f"{name}:{tag}" not in seen:
            seen.add(f"{name}:{tag}")
            entry = self.entries.get((name, tag, platform))
            if entry is not None:
                return self._figure(image.display, platform, entry)
            alias = self.aliases.get(f"{name}:{tag}")
            if alias is None:
                break
            name, _, tag = alias.partition(":")
        return None

    def _figure(self, reference: str, platform: str, entry: dict[str, Any]) -> ImageSize:
        compressed = entry.get("compressed_bytes")
        disk = entry.get("disk_bytes")
        estimated = False
        if disk is None and compressed is not None:
            disk, estimated = round(compressed * self.disk_ratio), True
        return ImageSize(
            reference, platform, compressed, disk, SizeSource.SNAPSHOT, entry.get("as_of"), None, estimated
        )

    def tags(self, name: str) -> tuple[str, ...]:
        """The tags the snapshot knows for an official image (``golang``), aliases included."""
        found = {tag for image, tag, _ in self.entries if image == name}
        found |= {alias.partition(":")[2] for alias in self.aliases if alias.partition(":")[0] == name}
        return tuple(sorted(found))

    def images(self) -> tuple[str, ...]:
        """``name:tag`` for every image in the snapshot, aliases included (for completion)."""
        names = {f"{name}:{tag}" for name, tag, _ in self.entries} | set(self.aliases)
        return tuple(sorted(names))


@cache
def load_snapshot() -> Snapshot:
    import json
    from importlib import resources

    data = json.loads(resources.files("dockerfile_stages").joinpath("data/base-images.json").read_text("utf-8"))
    entries = {(e["image"], e["tag"], e["platform"]): e for e in data["entries"]}
    ratios = [
        e["disk_bytes"] / e["compressed_bytes"]
        for e in data["entries"]
        if e.get("disk_bytes") and e.get("compressed_bytes") and e["platform"] == "linux/amd64"
    ]
    aliases = data.get("aliases") or {}
    return Snapshot(entries, dict(aliases), _median(ratios) if ratios else 2.5, len(ratios))


def _median(values: list[float]) -> float:
    """statistics.median, without importing statistics (and with it fractions and decimal) at start-up."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def snapshot_tags(image: ImageRef) -> tuple[str, ...]:
    """The tags the bundled snapshot knows for an official image (offline)."""
    if image.registry != DOCKER_HUB or not image.repository.startswith("library/"):
        return ()
    return load_snapshot().tags(image.repository.removeprefix("library/"))


def snapshot_images() -> tuple[str, ...]:
    """``name:tag`` of every image in the snapshot (``Snapshot.images()``), as the rules are told they
    exist: from ``snapshot_names.py``, written from the snapshot (``python -m dockerfile_stages.sizes.snapshot``;
    a test holds it to ``load_snapshot().images()``), so that a cold ``check`` reads no 67 kB of JSON
    (with ``json``: ~3 ms)."""
    from dockerfile_stages.sizes.snapshot_names import IMAGES

    return IMAGES


def names_source() -> str:
    """The text of ``snapshot_names.py`` for the snapshot as it is."""
    lines = "".join(f'    "{name}",\n' for name in load_snapshot().images())  # (no quote in an image name)
    return (
        '"""``name:tag`` of every image in data/base-images.json, aliases included (``Snapshot.images()``).\n\n'
        "Written by ``python -m dockerfile_stages.sizes.snapshot``; do not edit.\n"
        '"""\n\n'
        f"IMAGES = (\n{lines})\n"
    )


if __name__ == "__main__":
    from pathlib import Path

    Path(__file__).with_name("snapshot_names.py").write_text(names_source(), encoding="utf-8")
