"""The workspace read off the caller's thread: build-context sizes and Dockerfiles that are not open.

The language server must never wait on the disk in a request, so every read here runs on one
worker thread. Callers get what is known now (``None`` or a future) and ``on_changed`` is called
(on the worker) when a new answer arrives. Answers are remembered until ``changed`` names a path
they depend on (the client's ``workspace/didChangeWatchedFiles``); without that, a build-context
size is measured again once it is older than ``max_age_s``, and a Dockerfile is read again when
its modification time or size changes.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from dockerfile_stages.model.stages import StageModel, build_model
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.workspace.context import BuildContext, IgnoreFile, ignore_file_for
from dockerfile_stages.workspace.sources import InputError, read_dockerfile

CONTEXT_MAX_AGE_S = 10.0  # how stale a build-context size may be in the editor


class BackgroundContext:
    """A build context whose sizes are measured on the worker; ``size`` never touches the disk."""

    def __init__(
        self,
        root: Path,
        pool: ThreadPoolExecutor,
        on_measured: Callable[[], None],
        max_age_s: float,
        dockerfile: Path | None = None,
    ):
        self.root = root
        self.dockerfile = dockerfile  # picks the ignore file (``<name>.dockerignore`` first)
        self._pool = pool
        self._on_measured = on_measured
        self._max_age_s = max_age_s
        self._lock = threading.Lock()
        self._known: dict[str, tuple[float, int | None]] = {}
        self._pending: dict[str, Future[int | None]] = {}
        self._context: BuildContext | None = None  # made on the worker (resolving the root reads the disk)

    def size(self, source: str) -> int | None:
        """Bytes the source sends, if measured; a measurement starts when it is missing or stale."""
        with self._lock:
            known = self._known.get(source)
            stale = known is None or time.monotonic() - known[0] > self._max_age_s
            if stale and source not in self._pending:
                future = self._pool.submit(self._measure, source)
                self._pending[source] = future
        return known[1] if known is not None else None

    def pending(self) -> list[Future[int | None]]:
        with self._lock:
            return list(self._pending.values())

    def invalidate(self) -> None:
        with self._lock:
            self._known.clear()
            self._context = None  # the .dockerignore is read again too

    def _measure(self, source: str) -> int | None:
        """Bytes the source sends (None when the context directory does not exist)."""
        try:
            if self._context is None:
                self._context = BuildContext(self.root, dockerfile=self.dockerfile) if self.root.is_dir() else None
            total = self._context.size(source) if self._context is not None else None
        except OSError:
            total = None
        with self._lock:
            previous = self._known.get(source)
            self._known[source] = (time.monotonic(), total)
            self._pending.pop(source, None)
        if previous is None or previous[1] != total:
            self._on_measured()
        return total


class WorkspaceReader:
    def __init__(self, on_changed: Callable[[], None] = lambda: None, max_age_s: float = CONTEXT_MAX_AGE_S) -> None:
        self.on_changed = on_changed
        self._max_age_s = max_age_s
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workspace")
        self._lock = threading.Lock()
        # held by the open documents that use them: a context goes with the last of those, so a
        # long session opening files in ever new folders does not keep every folder's measurements
        # keyed by the Dockerfile's name too: ``app.Dockerfile`` may have an ignore file of its own
        self._contexts: weakref.WeakValueDictionary[tuple[Path, str], BackgroundContext] = weakref.WeakValueDictionary()
        self._dockerfiles: dict[Path, tuple[tuple[int, int], StageModel]] = {}

    def context(self, directory: Path, dockerfile: Path | None = None) -> BackgroundContext:
        """The build context rooted at ``directory`` for ``dockerfile`` (its sizes measured on the worker)."""
        key = (directory, dockerfile.name if dockerfile is not None else "")
        with self._lock:
            found = self._contexts.get(key)
            if found is None:
                found = BackgroundContext(directory, self._pool, self._changed, self._max_age_s, dockerfile)
                self._contexts[key] = found
            return found

    def stages(self, dockerfile: Path, platform: str) -> Future[StageModel | None]:
        """The stage model of a Dockerfile on disk (None if unreadable); read again when it changes."""
        return self._pool.submit(self._read_model, dockerfile, platform)

    def ignore_file(self, dockerfile: Path) -> Future[IgnoreFile | None]:
        """The ignore file a build of this Dockerfile (its directory as the context) uses, read now."""
        return self._pool.submit(ignore_file_for, dockerfile)

    def _read_model(self, dockerfile: Path, platform: str) -> StageModel | None:
        try:
            status = os.stat(dockerfile)
        except OSError:
            return None
        stamp = (status.st_mtime_ns, status.st_size)
        with self._lock:
            cached = self._dockerfiles.get(dockerfile)
        if cached is not None and cached[0] == stamp and cached[1].platform == platform:
            return cached[1]
        try:
            model = build_model(Document(read_dockerfile(str(dockerfile))), platform)
        except InputError:
            return None
        with self._lock:
            self._dockerfiles[dockerfile] = (stamp, model)
        return model

    def changed(self, paths: list[Path]) -> None:
        """Files changed on disk: forget what depends on them."""
        with self._lock:
            contexts = [c for c in list(self._contexts.values()) if any(_under(p, c.root) for p in paths)]
            for path in paths:
                self._dockerfiles.pop(path, None)
        for context in contexts:
            context.invalidate()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _changed(self) -> None:
        self.on_changed()


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
