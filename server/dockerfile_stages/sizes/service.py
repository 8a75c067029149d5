"""Where sizes come from, in order: local engine, disk cache, registry, bundled snapshot, unknown.

``lookup`` follows the whole chain (the CLI). ``known`` never waits: it answers from memory, the
cache and the snapshot, and starts one background lookup per image (the language server), calling
``on_update`` when a better figure arrives.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
import platformdirs
from msgspec.structs import replace

from dockerfile_stages.model.image import ImageRef
from dockerfile_stages.sizes.cache import SizeCache
from dockerfile_stages.sizes.figures import UNTRUSTED_NOTE, ImageSize, SizeSource
from dockerfile_stages.sizes.snapshot import load_snapshot

if TYPE_CHECKING:
    from dockerfile_stages.sizes.engine import EngineClient
    from dockerfile_stages.sizes.registry import RegistryClient


class SizeSettings(msgspec.Struct, frozen=True):
    online: bool = True  # registry (and engine) lookups; False: snapshot and cache only
    timeout_s: float = 5.0
    cache_dir: Path = msgspec.field(default_factory=lambda: Path(platformdirs.user_cache_dir("dockerfile-stages")))
    ttl_s: float = 24 * 3600
    insecure_registries: tuple[str, ...] = ()
    use_engine: bool = True
    docker_config: Path | None = msgspec.field(default_factory=lambda: default_docker_config())
    trusted: bool = True  # False (an untrusted workspace): the snapshot only, no engine, cache or network

    @property
    def networked(self) -> bool:
        """Whether lookups may leave this process (registry, local engine)."""
        return self.online and self.trusted


log = logging.getLogger(__name__)
Key = tuple[str, str]
OFFLINE_VARIABLE = "DOCKERFILE_STAGES_OFFLINE"  # set (not "0"): no network, whatever the settings say


def offline_forced() -> bool:
    return os.environ.get(OFFLINE_VARIABLE, "") not in ("", "0")


def default_docker_config() -> Path:
    """Where Docker keeps its config: ``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``."""
    directory = os.environ.get("DOCKER_CONFIG")
    return (Path(directory) if directory else Path.home() / ".docker") / "config.json"


class SizeService:
    def __init__(
        self,
        settings: SizeSettings,
        on_update: Callable[[], None] | None = None,
        on_lookup: Callable[[str, bool], None] | None = None,
    ) -> None:
        self.settings = settings
        self.on_update = on_update
        self.on_lookup = on_lookup  # (reference, started) when a background lookup starts and ends
        self.cache = SizeCache(settings.cache_dir / "sizes.json", settings.ttl_s)
        self._registry: RegistryClient | None = None
        self._engine: EngineClient | None = None
        self._lock = threading.Lock()
        self._results: dict[Key, ImageSize] = {}
        self._pending: dict[Key, Future[ImageSize]] = {}
        self._tags: dict[str, tuple[str, ...]] = {}  # repository -> its tags, for this run
        self._pending_tags: dict[str, Future[tuple[str, ...]]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._closed = False

    def load_clients_in_background(self) -> threading.Thread | None:
        """Import the registry and engine clients (httpx, ssl: tens of milliseconds) on a daemon
        thread, where lookups may go out at all: the first hover then waits for the lookup only."""
        if not self.settings.networked:
            return None
        thread = threading.Thread(target=self._load_clients, name="load-network-clients", daemon=True)
        thread.start()
        return thread

    def _load_clients(self) -> None:
        from dockerfile_stages.sizes import registry

        registry.warm_up()
        self.registry  # noqa: B018  (made now: the first lookup does not make it)
        self.engine  # noqa: B018
        log.debug("network clients loaded")

    # The network clients import httpx, which costs start-up time: create them on first use.
    @property
    def registry(self) -> RegistryClient:
        from dockerfile_stages.sizes.registry import RegistryClient, RegistryConfig

        with self._lock:
            if self._registry is None:
                settings = self.settings
                config = RegistryConfig(settings.timeout_s, settings.insecure_registries, settings.docker_config)
                self._registry = RegistryClient(config)
                if self._closed:
                    self._registry.close()
            return self._registry

    @property
    def engine(self) -> EngineClient:
        if self._engine is None:
            from dockerfile_stages.sizes.engine import EngineClient

            self._engine = EngineClient.from_environment() if self.settings.use_engine else EngineClient(None)
        return self._engine

    # -- the whole chain, blocking ------------------------------------------------------------

    def lookup(self, image: ImageRef, platform: str) -> ImageSize:
        offline = self._offline(image, platform)
        if not self.settings.networked:
            return offline
        engine = self.engine.size(image.text, platform)
        if engine is not None:
            return engine
        cached = self.cache.get(image.display, platform)
        if cached is not None:
            return cached
        from dockerfile_stages.sizes.registry import RegistryError

        try:
            figure = self.registry.size(image, platform)
        except RegistryError as err:
            return _with_note(offline, f"registry: {err}")
        figure = self._with_disk_estimate(figure)
        self.cache.put(figure)
        return figure

    # -- never waiting --------------------------------------------------------------------------

    def known(self, image: ImageRef, platform: str) -> ImageSize:
        """The best figure known now; starts a background lookup for a better one."""
        key = (image.display, platform)
        with self._lock:
            result = self._results.get(key)
        if result is not None:
            return result
        if not self.settings.trusted:
            return self._offline(image, platform)
        if self.settings.online:
            self._start(image, platform)
        figure = self.cache.get(image.display, platform) or self._offline(image, platform)
        if self.settings.online and not figure.known:
            return _with_note(figure, "looking up...")
        return figure

    def known_tags(self, image: ImageRef) -> tuple[str, ...] | None:
        """The registry's tags for the image if already fetched; else starts fetching them (online)."""
        key = f"{image.registry}/{image.repository}"
        with self._lock:
            if key in self._tags:
                return self._tags[key]
            running = self._pending_tags.get(key)
            if running is not None:  # done but its callback not yet run: the answer is there
                return running.result() if running.done() and not running.exception() else None
            if not self.settings.networked or self._closed:
                return None
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sizes")
            future = self._pool.submit(self._fetch_tags, image)
            self._pending_tags[key] = future
        future.add_done_callback(lambda done: self._tags_finished(key, done))
        return None

    def pending_tags(self, image: ImageRef) -> Future[tuple[str, ...]] | None:
        with self._lock:
            return self._pending_tags.get(f"{image.registry}/{image.repository}")

    def _fetch_tags(self, image: ImageRef) -> tuple[str, ...]:
        from dockerfile_stages.sizes.registry import RegistryError

        try:
            return self.registry.tags(image)
        except RegistryError:
            return ()

    def _tags_finished(self, key: str, future: Future[tuple[str, ...]]) -> None:
        try:
            tags = future.result()
        except Exception:  # a bug in a lookup must not take the server down
            tags = ()
        with self._lock:
            self._pending_tags.pop(key, None)
            self._tags[key] = tags

    def pending(self, image: ImageRef, platform: str) -> Future[ImageSize] | None:
        with self._lock:
            return self._pending.get((image.display, platform))

    def _start(self, image: ImageRef, platform: str) -> None:
        key = (image.display, platform)
        with self._lock:
            if self._closed or key in self._pending or key in self._results:
                return  # one lookup per image at a time; none once closed
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sizes")
            future = self._pool.submit(self.lookup, image, platform)
            self._pending[key] = future
        if self.on_lookup is not None:
            self.on_lookup(key[0], True)
        future.add_done_callback(lambda done: self._finished(key, done))

    def _finished(self, key: Key, future: Future[ImageSize]) -> None:
        try:
            figure = future.result()
        except Exception as err:  # a bug in a lookup must not take the server down
            figure = ImageSize(key[0], key[1], None, None, SizeSource.UNKNOWN, note=f"lookup failed: {err}")
        with self._lock:
            self._pending.pop(key, None)
            self._results[key] = figure
        if self.on_lookup is not None:
            self.on_lookup(key[0], False)
        if self.on_update is not None:
            self.on_update()

    def close(self) -> None:
        """Drop queued lookups and end those in progress at once, so an exiting process need not
        wait for slow registries (the pool's threads are joined at interpreter exit)."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._closed = True
            registry = self._registry
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if registry is not None:
            registry.close()

    # -- helpers ----------------------------------------------------------------------------------

    def _offline(self, image: ImageRef, platform: str) -> ImageSize:
        figure = load_snapshot().lookup(image, platform)
        if figure is None:
            note = "not in the bundled snapshot"
            figure = ImageSize(image.display, platform, None, None, SizeSource.UNKNOWN, note=note)
        if self.settings.trusted:
            return figure
        note = f"{figure.note}; {UNTRUSTED_NOTE}" if figure.note else UNTRUSTED_NOTE
        return replace(figure, note=note, untrusted=True)

    def _with_disk_estimate(self, figure: ImageSize) -> ImageSize:
        if figure.disk_bytes is not None or figure.compressed_bytes is None:
            return figure
        ratio = load_snapshot().disk_ratio
        return replace(figure, disk_bytes=round(figure.compressed_bytes * ratio), disk_estimated=True)


def _with_note(figure: ImageSize, note: str) -> ImageSize:
    return replace(figure, note=note)
