"""``sizes/snapshot_names.py`` is the snapshot's image names as ``Snapshot.images()`` gives them (what a
cold ``check`` tells the rules exists without reading the snapshot's JSON)."""

from __future__ import annotations

from pathlib import Path

from dockerfile_stages.sizes import snapshot, snapshot_names


def test_the_names_module_is_what_the_snapshot_says() -> None:
    assert snapshot.load_snapshot().images() == snapshot_names.IMAGES
    # python -m dockerfile_stages.sizes.snapshot writes it
    assert Path(snapshot_names.__file__).read_text(encoding="utf-8") == snapshot.names_source()
    assert snapshot.snapshot_images() is snapshot_names.IMAGES
