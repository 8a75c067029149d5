"""Stage size estimates for an open document, from what the size service knows right now."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pygls.uris import to_fs_path

from dockerfile_stages.lsp.store import OpenDocument
from dockerfile_stages.sizes.estimate import StageEstimate, base_size_by, estimate_stages
from dockerfile_stages.workspace.context import BuildContext

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


CONTEXT_MAX_AGE_S = 10.0  # how stale a build-context size may be in the editor


def context_dir(uri: str) -> Path | None:
    """The build context assumed for a Dockerfile: its own directory, when it is a local file."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    if not path:
        return None
    directory = Path(path).parent
    return directory if directory.is_dir() else None


def current_estimates(server: StagesServer, opened: OpenDocument) -> list[StageEstimate]:
    model = opened.model
    base_size = base_size_by(server.sizes.known, model.platform)
    if opened.build_context is None:
        directory = context_dir(opened.uri)
        opened.build_context = BuildContext(directory, CONTEXT_MAX_AGE_S) if directory else None
    return estimate_stages(opened.document, model, base_size, opened.build_context)
