"""Image sizes from a registry, through the OCI distribution API.

Resolve the tag, pick the platform's manifest from an index or manifest list, sum the layers'
compressed sizes. Bounded in time (one deadline for the whole lookup, however the registry drips)
and in bytes; every digest and size checked before use; credentials only ever go to the host they
belong to.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import ipaddress
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx
import msgspec

from dockerfile_stages.model.image import ImageRef
from dockerfile_stages.sizes.figures import ImageSize, SizeSource
from dockerfile_stages.sizes.resolve import DeadlineBackend, Resolver, bound_resolution, system_resolver
from dockerfile_stages.sizes.validation import (
    MAX_LAYER_BYTES,
    InvalidValue,
    check_reference,
    checked_digest,
    checked_size,
    digest_of,
    matches_digest,
)

INDEX_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
MANIFEST_TYPES = (
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
ACCEPT = ", ".join(INDEX_TYPES + MANIFEST_TYPES)
DOCKER_HUB_API = "registry-1.docker.io"
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
MAX_CONFIG_BYTES = 1024 * 1024  # a Docker config.json larger than this is not one
_CHALLENGE_PARAM = re.compile(r'(\w+)="([^"]*)"')
# httpcore's trace events that hand over a new connection's stream (plain, then TLS-wrapped).
_NEW_STREAM_EVENTS = ("connection.connect_tcp.complete", "connection.start_tls.complete")


class RegistryError(Exception):
    """Why a registry could not give a size; the message is shown to the user."""


class Unreachable(RegistryError):
    """No connection to the registry could be made (refused, or TLS failed): another scheme may work."""


T = TypeVar("T")


class RegistryConfig(msgspec.Struct, frozen=True):
    timeout_s: float = 5.0  # the whole lookup: every request, redirect-free, token included
    insecure: tuple[str, ...] = ()  # hosts whose certificate is not checked, then plain HTTP (and loopback ones)
    docker_config: Path | None = None  # config.json, for credentials of listed hosts
    resolver: Resolver = system_resolver  # host names to addresses (waited for within the deadline)


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ``::1``, with or without a port: Docker's insecure-by-default hosts."""
    if host.startswith("["):
        name = host[1:].partition("]")[0]
    else:
        name, colon, port = host.rpartition(":")
        if not colon or not port.isdigit():
            name = host
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The verifying TLS context, made once: loading the CA bundle for every lookup costs more
    than a loopback lookup itself."""
    return httpx.create_ssl_context()


def warm_up() -> None:
    """Load what the first lookup would (httpx and its transport, the TLS context) without looking
    anything up: ``SizeService.load_clients_in_background`` runs it on a thread at start-up."""
    import encodings.idna  # noqa: F401  (the first request encodes its host name with it)

    httpx.Client().close()  # imports the transport modules httpx loads on first use
    _tls_context()


@functools.cache
def _unverified_tls_context() -> ssl.SSLContext:
    """TLS that takes any certificate: only for hosts that are insecure (listed, or loopback)."""
    return httpx.create_ssl_context(verify=False)


def is_insecure(host: str, insecure: tuple[str, ...]) -> bool:
    """Listed as insecure, or a loopback host (Docker treats those as insecure by default)."""
    return host in insecure or is_loopback(host)


def schemes_for(host: str, insecure: tuple[str, ...]) -> tuple[str, ...]:
    """What Docker tries, in order: HTTPS with a checked certificate; for an insecure host, HTTPS
    without checking it, then plain HTTP when no TLS connection can be made."""
    return ("https", "http") if is_insecure(host, insecure) else ("https",)


class Deadline:
    """One time limit for a whole lookup. httpx's timeouts bound each read, so a registry sending a
    byte just before each one would run on for ever: when the time is up, the sockets of the lookup
    are shut down, which ends any read in progress at once. ``cancel`` ends it early (shutdown)."""

    def __init__(self, seconds: float, host: str) -> None:
        self.at = time.monotonic() + seconds
        self.host = host
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._expired = False
        self._cancelled = False
        self._timer = threading.Timer(max(seconds, 0.0), self.expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    @property
    def ended(self) -> bool:
        """Expired or cancelled: nothing more is sent or waited for."""
        return self._expired or self._cancelled

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(max(self.remaining(), 0.001))

    def check(self) -> None:
        if self._cancelled:
            raise RegistryError("the lookup was cancelled")
        if self._expired or self.remaining() <= 0:
            raise RegistryError(f"{self.host} did not answer in time")

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: remember each new connection's socket."""
        if event not in _NEW_STREAM_EVENTS or info.get("return_value") is None:
            return
        sock = info["return_value"].get_extra_info("socket")
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            ended = self._expired
        if ended:
            _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self._expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def cancel(self) -> None:
        self._cancelled = True
        self.expire()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing is reading from it
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain call, also for an SSL socket


class RegistryClient(msgspec.Struct):
    config: RegistryConfig = msgspec.field(default_factory=RegistryConfig)
    _active: set[Deadline] = msgspec.field(default_factory=set)
    _lock: threading.Lock = msgspec.field(default_factory=threading.Lock)
    _closed: bool = False
    _answered: dict[str, str] = msgspec.field(default_factory=dict)  # host -> scheme that worked

    def size(self, image: ImageRef, platform: str) -> ImageSize:
        host = DOCKER_HUB_API if image.registry == "docker.io" else image.registry
        try:
            check_reference(image, host)
        except InvalidValue as err:
            raise RegistryError(f"not looked up: {err}") from None
        with self._deadline(host) as deadline:
            try:
                return self._size(image, platform, host, deadline)
            except RegistryError:
                deadline.check()  # a read cut short by the deadline says so, not "cannot be reached"
                raise

    def tags(self, image: ImageRef) -> tuple[str, ...]:
        """The repository's tags (``GET /v2/<name>/tags/list``, the first page), for tag completion."""
        host = DOCKER_HUB_API if image.registry == "docker.io" else image.registry
        try:
            check_reference(image, host)
        except InvalidValue as err:
            raise RegistryError(f"not looked up: {err}") from None
        with self._deadline(host) as deadline:

            def tag_list(session: _Session, base: str) -> bytes:
                return session._get(f"{base}/tags/list", {"Accept": "application/json"})[1]

            body = self._over_each_scheme(image, host, deadline, tag_list)
        try:
            data = json.loads(body)
        except ValueError:
            raise RegistryError("the registry sent a tag list that is not JSON") from None
        found = data.get("tags") if isinstance(data, dict) else None
        return tuple(tag for tag in found or () if isinstance(tag, str))

    def close(self) -> None:
        """End every lookup in progress now and refuse new ones (the server is exiting)."""
        with self._lock:
            self._closed = True
            active = list(self._active)
        for deadline in active:
            deadline.cancel()

    @contextlib.contextmanager
    def _deadline(self, host: str) -> Iterator[Deadline]:
        """A deadline known to this client while the lookup runs, so ``close`` can end it."""
        deadline = Deadline(self.config.timeout_s, host)
        with self._lock:
            if self._closed:
                deadline.cancel()
            self._active.add(deadline)
        try:
            with deadline:
                yield deadline
        finally:
            with self._lock:
                self._active.discard(deadline)

    def _size(self, image: ImageRef, platform: str, host: str, deadline: Deadline) -> ImageSize:
        def figure(session: _Session, base: str) -> ImageSize:
            reference = image.digest or image.tag or "latest"
            manifest, digest = session.manifest(f"{base}/manifests/{reference}", expect_digest=image.digest)
            if manifest.get("mediaType") in INDEX_TYPES or "manifests" in manifest:
                chosen = _choose_platform(manifest.get("manifests") or [], platform)
                if chosen is None:
                    raise RegistryError(f"{image.display} has no image for {platform}")
                manifest, digest = session.manifest(f"{base}/manifests/{chosen}", expect_digest=chosen)
            total = _layers_total(manifest.get("layers"), image.display)
            today = date.today().isoformat()
            return ImageSize(image.display, platform, total, None, SizeSource.REGISTRY, today, digest)

        return self._over_each_scheme(image, host, deadline, figure)

    def _over_each_scheme(self, image: ImageRef, host: str, deadline: Deadline, ask: Callable[[_Session, str], T]) -> T:
        """``ask(session, base URL)`` over the schemes Docker tries for the host, the next one only
        when no connection could be made; the one that answered is tried first next time."""
        insecure = is_insecure(host, self.config.insecure)
        schemes = schemes_for(host, self.config.insecure)
        with self._lock:
            answered = self._answered.get(host)
        if answered in schemes:
            schemes = (answered, *(scheme for scheme in schemes if scheme != answered))
        credentials = self._credentials(image.registry, host)
        verify = _unverified_tls_context() if insecure else _tls_context()
        for number, scheme in enumerate(schemes):
            with self._client(deadline, verify) as client:
                session = _Session(client, host, credentials, deadline, insecure)
                try:
                    result = ask(session, f"{scheme}://{host}/v2/{image.repository}")
                except Unreachable:
                    if number == len(schemes) - 1:
                        raise
                    continue
            with self._lock:
                self._answered[host] = scheme
            return result
        raise AssertionError("unreachable: every host has a scheme")

    def _client(self, deadline: Deadline, verify: ssl.SSLContext) -> httpx.Client:
        """An HTTP client for one lookup: no redirects, a shared TLS context, names resolved
        within the deadline."""
        client = httpx.Client(follow_redirects=False, verify=verify)
        return bound_resolution(client, DeadlineBackend(deadline, self.config.resolver))

    def _credentials(self, registry: str, host: str) -> str | None:
        """Basic credentials from the Docker config, for exactly this registry."""
        auths = _read_auths(self.config.docker_config)
        names = {registry, host, f"https://{registry}", f"https://{host}"}
        if registry == "docker.io":
            names |= {"https://index.docker.io/v1/", "index.docker.io"}
        for name, entry in auths.items():
            if name.rstrip("/") in {n.rstrip("/") for n in names} and isinstance(entry, dict):
                auth = entry.get("auth")
                if isinstance(auth, str):
                    return auth
                if isinstance(entry.get("username"), str) and isinstance(entry.get("password"), str):
                    return base64.b64encode(f"{entry['username']}:{entry['password']}".encode()).decode()
        return None


def _read_auths(path: Path | None) -> dict[str, Any]:
    """The ``auths`` of a Docker config file; nothing when it is missing, unreadable or not a small file."""
    if path is None:
        return {}
    try:
        if not path.is_file():  # a FIFO or a device would block or never end
            return {}
        with path.open("rb") as handle:
            text = handle.read(MAX_CONFIG_BYTES + 1)
        if len(text) > MAX_CONFIG_BYTES:
            return {}
        auths = json.loads(text).get("auths", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return auths if isinstance(auths, dict) else {}


def _layers_total(layers: object, display: str) -> int:
    if not isinstance(layers, list) or not all(isinstance(x, dict) and "size" in x for x in layers):
        raise RegistryError(f"{display}: the manifest lists no layer sizes")
    try:
        total = sum(checked_size(layer["size"]) for layer in layers)
    except InvalidValue as err:
        raise RegistryError(f"{display}: the manifest gives {err} for a layer; not shown") from None
    if total > MAX_LAYER_BYTES:
        raise RegistryError(f"{display}: the manifest's layers add up to an absurd size; not shown")
    return total


class _Session:
    def __init__(self, client: httpx.Client, host: str, basic: str | None, deadline: Deadline, insecure: bool) -> None:
        self.client = client
        self.host = host
        self.basic = basic
        self.deadline = deadline
        self.insecure = insecure
        self.token: str | None = None

    def manifest(self, url: str, expect_digest: str | None) -> tuple[dict[str, Any], str]:
        response, body = self._get(url, {"Accept": ACCEPT})
        digest = digest_of(body)
        if expect_digest and not matches_digest(body, expect_digest):
            raise RegistryError(f"the manifest does not match its digest {expect_digest[:19]}...")
        claimed = response.headers.get("Docker-Content-Digest")
        if claimed:
            try:
                if not matches_digest(body, claimed):
                    raise RegistryError("the manifest does not match the digest the registry claims")
            except InvalidValue as err:
                raise RegistryError(f"the registry claims {err} for the manifest") from None
        try:
            data = json.loads(body)
        except ValueError:
            raise RegistryError("the registry sent a manifest that is not JSON") from None
        if not isinstance(data, dict):
            raise RegistryError("the registry sent a manifest that is not a JSON object")
        return data, expect_digest or digest

    def _get(self, url: str, headers: dict[str, str], retried: bool = False) -> tuple[httpx.Response, bytes]:
        request_headers = dict(headers)
        if self.token:
            request_headers["Authorization"] = f"Bearer {self.token}"
        elif self.basic and retried:
            request_headers["Authorization"] = f"Basic {self.basic}"
        response, body = self._fetch(url, request_headers, what=self.host)
        if response.status_code == 401 and not retried:
            self._authenticate(response.headers.get("WWW-Authenticate", ""))
            return self._get(url, headers, retried=True)
        if response.is_redirect:
            raise RegistryError(f"{self.host} redirected the manifest request elsewhere; not followed")
        if response.status_code == 404:
            raise RegistryError("no such image or tag in the registry")
        if response.status_code != 200:
            raise RegistryError(f"{self.host} answered HTTP {response.status_code}")
        return response, body

    def _fetch(
        self, url: str, headers: dict[str, str], what: str, params: dict[str, str] | None = None
    ) -> tuple[httpx.Response, bytes]:
        self.deadline.check()
        try:
            with self.client.stream(
                "GET",
                url,
                params=params,
                headers=headers,
                timeout=self.deadline.timeout(),
                extensions={"trace": self.deadline.trace},
            ) as response:
                body = _read_bounded(response, self.deadline)
        except httpx.TimeoutException:
            raise RegistryError(f"{self.host} did not answer in time") from None
        except httpx.ConnectError as err:
            self.deadline.check()
            failure = Unreachable if what == self.host else RegistryError
            raise failure(f"{what} cannot be reached ({type(err).__name__})") from None
        except httpx.HTTPError as err:
            self.deadline.check()
            raise RegistryError(f"{what} cannot be reached ({type(err).__name__})") from None
        return response, body

    def _authenticate(self, challenge: str) -> None:
        scheme, _, params_text = challenge.partition(" ")
        if scheme.lower() == "basic":
            if not self.basic:
                raise RegistryError(f"{self.host} needs credentials (none in the Docker config for it)")
            return
        params = dict(_CHALLENGE_PARAM.findall(params_text))
        realm = params.pop("realm", None)
        if scheme.lower() != "bearer" or not realm:
            raise RegistryError(f"{self.host} refused access without a usable challenge")
        self._check_realm(realm)
        headers = {"Authorization": f"Basic {self.basic}"} if self.basic and _same_host(realm, self.host) else {}
        what = f"the token service for {self.host}"
        response, body = self._fetch(realm, headers, what=what, params=params)
        if response.status_code != 200:
            raise RegistryError(f"{what} answered HTTP {response.status_code}")
        try:
            data = json.loads(body)
            token = data.get("token") or data.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token or not token.isprintable():
            raise RegistryError(f"{what} gave no token")
        self.token = token

    def _check_realm(self, realm: str) -> None:
        """A token realm is an http(s) URL; plain HTTP only for an insecure registry."""
        try:
            url = httpx.URL(realm)
        except httpx.InvalidURL:
            raise RegistryError(f"{self.host} named a token service that is not a URL") from None
        allowed = ("https", "http") if self.insecure else ("https",)
        if url.scheme not in allowed or not url.host:
            raise RegistryError(f"{self.host} named a token service at {url.scheme or 'no'} scheme; not contacted")


def _same_host(url: str, host: str) -> bool:
    return httpx.URL(url).netloc.decode() == host


def _read_bounded(response: httpx.Response, deadline: Deadline) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
        raise RegistryError("the registry's answer is too large")
    chunks = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > MAX_RESPONSE_BYTES:
            raise RegistryError("the registry's answer is too large")
        chunks.append(chunk)
        deadline.check()
    return b"".join(chunks)


def _choose_platform(manifests: list[Any], platform: str) -> str | None:
    parts = platform.split("/")
    want_os, want_arch = parts[0], parts[1] if len(parts) > 1 else "amd64"
    want_variant = parts[2] if len(parts) > 2 else None
    candidates = []
    for entry in manifests:
        if not isinstance(entry, dict) or not isinstance(entry.get("platform"), dict):
            continue
        entry_platform = entry["platform"]
        if entry_platform.get("os") != want_os or entry_platform.get("architecture") != want_arch:
            continue
        variant = entry_platform.get("variant")
        if want_variant and variant and variant != want_variant:
            continue
        try:
            digest = checked_digest(entry.get("digest"))
        except InvalidValue as err:
            raise RegistryError(f"the index lists {err} for {platform}; not followed") from None
        candidates.append((variant == want_variant, digest))
    candidates.sort(reverse=True)
    return candidates[0][1] if candidates else None
