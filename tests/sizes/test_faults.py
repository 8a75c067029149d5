"""Registry faults: each ends in a fallback with a reason, never a crash or a hang."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.sizes.figures import ImageSize
from dockerfile_stages.sizes.registry import INDEX_TYPES, MANIFEST_TYPES, MAX_RESPONSE_BYTES
from dockerfile_stages.sizes.service import SizeService, SizeSettings
from dockerfile_stages.sizes.validation import MAX_LAYER_BYTES

from ..fuzz.raw_lsp import RawServer
from .registry_fixture import free_port

Handler = Callable[[BaseHTTPRequestHandler], None]
MANIFEST_TYPE, INDEX_TYPE = MANIFEST_TYPES[0], INDEX_TYPES[0]
MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "layers": [{"size": 1000, "digest": "sha256:" + "0" * 64}],
    }
).encode()


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the slow case) is expected


@pytest.fixture
def fake() -> Iterator[Callable[[Handler], str]]:
    servers: list[ThreadingHTTPServer] = []
    seen: list[dict[str, str]] = []

    def start(handle: Handler) -> str:
        class Fake(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass  # keep the test output quiet

            def do_GET(self) -> None:
                headers = self.headers
                seen.append(
                    {"host": headers.get("Host", ""), "auth": headers.get("Authorization", ""), "path": self.path}
                )
                handle(self)

        server = _QuietServer(("127.0.0.1", 0), Fake)
        servers.append(server)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return f"127.0.0.1:{server.server_address[1]}"

    start.seen = seen  # type: ignore[attr-defined]
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def lookup(host: str, tmp_path: Path, docker_config: Path | None = None, timeout: float = 1.0) -> ImageSize:
    settings = SizeSettings(
        cache_dir=tmp_path / "cache",
        insecure_registries=(host,),
        use_engine=False,
        docker_config=docker_config,
        timeout_s=timeout,
    )
    image = parse_image_ref(f"{host}/team/app:1")
    assert image is not None
    return SizeService(settings).lookup(image, "linux/amd64")


def assert_falls_back(figure: ImageSize, reason: str) -> None:
    assert figure.compressed_bytes is None and figure.source == "unknown"
    assert figure.note is not None and reason in figure.note, figure.note


def test_registry_down(tmp_path: Path) -> None:
    assert_falls_back(lookup(f"127.0.0.1:{free_port()}", tmp_path), "cannot be reached")


def test_registry_slow_beyond_the_bound(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def slow(request: BaseHTTPRequestHandler) -> None:
        time.sleep(3)
        reply(200, MANIFEST)(request)

    started = time.monotonic()
    assert_falls_back(lookup(fake(slow), tmp_path, timeout=0.5), "did not answer in time")
    assert time.monotonic() - started < 2.5


def test_server_errors(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert_falls_back(lookup(fake(reply(500)), tmp_path), "HTTP 500")


def test_401_without_usable_challenge(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert_falls_back(lookup(fake(reply(401, b"", {"WWW-Authenticate": "Negotiate"})), tmp_path), "usable challenge")
    assert_falls_back(lookup(fake(reply(401)), tmp_path), "usable challenge")


def test_garbage_json(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert_falls_back(lookup(fake(reply(200, b"\x00{not json")), tmp_path), "not JSON")
    assert_falls_back(lookup(fake(reply(200, b'{"layers": "many"}')), tmp_path), "no layer sizes")


def test_oversized_response(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert_falls_back(lookup(fake(reply(200, b" " * (MAX_RESPONSE_BYTES + 10))), tmp_path), "too large")


def test_digest_mismatch(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wrong = {"Docker-Content-Digest": "sha256:" + "f" * 64}
    assert_falls_back(lookup(fake(reply(200, MANIFEST, wrong)), tmp_path), "does not match")
    right = {"Docker-Content-Digest": "sha256:" + hashlib.sha256(MANIFEST).hexdigest()}
    assert lookup(fake(reply(200, MANIFEST, right)), tmp_path).compressed_bytes == 1000


def test_redirect_elsewhere_is_not_followed_and_credentials_stay(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = fake(reply(200, MANIFEST))
    home = fake(reply(307, b"", {"Location": f"http://{other}/v2/team/app/manifests/1"}))
    config = tmp_path / "config.json"
    secret = base64.b64encode(b"user:secret").decode()
    config.write_text(json.dumps({"auths": {home: {"auth": secret}}}))
    assert_falls_back(lookup(home, tmp_path, docker_config=config), "redirected")
    assert all(entry["host"] != other for entry in fake.seen)  # never contacted the other host


def test_credentials_only_for_their_own_host(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    token_host = fake(reply(200, b'{"token": "t"}'))
    challenge = {"WWW-Authenticate": f'Bearer realm="http://{token_host}/token",service="x"'}
    registry = fake(reply(401, b"", challenge))
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"auths": {registry: {"auth": base64.b64encode(b"u:p").decode()}}}))
    lookup(registry, tmp_path, docker_config=config)
    token_requests = [entry for entry in fake.seen if entry["host"] == token_host]
    assert token_requests and all(entry["auth"] == "" for entry in token_requests)


def test_offline_uses_the_snapshot_without_network(tmp_path: Path) -> None:
    settings = SizeSettings(online=False, cache_dir=tmp_path / "cache", use_engine=False, docker_config=None)
    image = parse_image_ref("golang:1.22")
    assert image is not None
    figure = SizeService(settings).lookup(image, "linux/amd64")
    assert figure.source == "snapshot" and figure.compressed_bytes == 299381750 and figure.as_of
    assert figure.disk_estimated  # the snapshot has no on-disk figure for it: estimated, and said so


def drip(body: bytes, every_s: float, *, headers_too: bool = False) -> Handler:
    """Answer one byte at a time, each just before a per-read timeout would end the wait."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        data = head + body if headers_too else body
        if not headers_too:
            request.wfile.write(head)
        for index in range(len(data)):
            request.wfile.write(data[index : index + 1])
            request.wfile.flush()
            time.sleep(every_s)

    return handle


@pytest.mark.parametrize("headers_too", [False, True])
def test_drip_feeding_registry_stops_at_the_total_deadline(fake, tmp_path: Path, headers_too: bool) -> None:  # type: ignore[no-untyped-def]
    host = fake(drip(MANIFEST, 0.1, headers_too=headers_too))  # the whole answer would take 30 s or more
    started = time.monotonic()
    assert_falls_back(lookup(host, tmp_path, timeout=1.0), "did not answer in time")
    assert time.monotonic() - started < 2.0


def manifest_with_sizes(*sizes: object) -> bytes:
    layers = [{"size": size, "digest": "sha256:" + "0" * 64} for size in sizes]
    return json.dumps({"schemaVersion": 2, "mediaType": MANIFEST_TYPE, "layers": layers}).encode()


@pytest.mark.parametrize(
    ("size", "reason"),
    [(-1, "negative"), (True, "not a whole number"), (10**30, "absurd"), (1.5, "not a whole number"), ("9", "whole")],
)
def test_implausible_layer_sizes_are_refused(fake, tmp_path: Path, size: object, reason: str) -> None:  # type: ignore[no-untyped-def]
    assert_falls_back(lookup(fake(reply(200, manifest_with_sizes(1000, size))), tmp_path), reason)


def test_layers_adding_up_to_an_absurd_total_are_refused(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    body = manifest_with_sizes(*([MAX_LAYER_BYTES] * 3))
    assert_falls_back(lookup(fake(reply(200, body)), tmp_path), "absurd")


def by_digest(host: str, tmp_path: Path, digest: str) -> ImageSize:
    settings = SizeSettings(cache_dir=tmp_path / "cache", use_engine=False, docker_config=None, timeout_s=1.0)
    image = parse_image_ref(f"{host}/team/app@{digest}")
    assert image is not None
    return SizeService(settings).lookup(image, "linux/amd64")


def test_sha512_digests_are_verified(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    host = fake(reply(200, MANIFEST))
    right = "sha512:" + hashlib.sha512(MANIFEST).hexdigest()
    assert by_digest(host, tmp_path, right).compressed_bytes == 1000
    assert_falls_back(by_digest(host, tmp_path, "sha512:" + "e" * 128), "does not match its digest")
    claimed_wrong = {"Docker-Content-Digest": "sha512:" + "e" * 128}
    assert_falls_back(lookup(fake(reply(200, MANIFEST, claimed_wrong)), tmp_path), "does not match")


@pytest.mark.parametrize("digest", ["sha256:" + "a" * 10, "md5:" + "a" * 32, "sha512:" + "a" * 64])
def test_unverifiable_digests_are_not_looked_up(fake, tmp_path: Path, digest: str) -> None:  # type: ignore[no-untyped-def]
    host = fake(reply(200, MANIFEST))
    assert_falls_back(by_digest(host, tmp_path, digest), "not looked up")
    assert fake.seen == []  # refused before any request


def index_to(digest: str) -> bytes:
    entry = {"mediaType": MANIFEST_TYPE, "digest": digest, "platform": {"os": "linux", "architecture": "amd64"}}
    return json.dumps({"schemaVersion": 2, "mediaType": INDEX_TYPE, "manifests": [entry]}).encode()


@pytest.mark.parametrize("digest", ["../../../evil?x=", "sha256:../../evil", "sha256:" + "A" * 64, 42])
def test_index_digests_are_checked_before_building_urls(fake, tmp_path: Path, digest: object) -> None:  # type: ignore[no-untyped-def]
    host = fake(reply(200, index_to(digest)))  # type: ignore[arg-type]
    assert_falls_back(lookup(host, tmp_path), "digest")
    assert [entry["path"] for entry in fake.seen] == ["/v2/team/app/manifests/1"]


@pytest.mark.parametrize("reference", ["team/app:1?x=y", "team/../../evil:1", "team/app:1#frag"])
def test_names_and_tags_that_would_change_the_url_are_not_looked_up(fake, tmp_path: Path, reference: str) -> None:  # type: ignore[no-untyped-def]
    host = fake(reply(200, MANIFEST))
    settings = SizeSettings(cache_dir=tmp_path / "cache", use_engine=False, docker_config=None, timeout_s=1.0)
    image = parse_image_ref(f"{host}/{reference}")
    assert image is not None
    assert_falls_back(SizeService(settings).lookup(image, "linux/amd64"), "not looked up")
    assert fake.seen == []


def basic_gate(secret: str) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        if request.headers.get("Authorization") == f"Basic {secret}":
            reply(200, MANIFEST)(request)
        else:
            reply(401, b"", {"WWW-Authenticate": 'Basic realm="r"'})(request)

    return handle


def test_docker_config_environment_variable_is_honoured(fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    secret = base64.b64encode(b"user:secret").decode()
    host = fake(basic_gate(secret))
    directory = tmp_path / "elsewhere"
    directory.mkdir()
    (directory / "config.json").write_text(json.dumps({"auths": {host: {"auth": secret}}}))
    monkeypatch.setenv("DOCKER_CONFIG", str(directory))
    settings = SizeSettings(cache_dir=tmp_path / "cache", use_engine=False, timeout_s=1.0)
    assert settings.docker_config == directory / "config.json"
    image = parse_image_ref(f"{host}/team/app:1")
    assert image is not None
    assert SizeService(settings).lookup(image, "linux/amd64").compressed_bytes == 1000


@pytest.mark.parametrize("kind", ["fifo", "huge", "directory"])
def test_a_docker_config_that_is_not_a_small_file_is_skipped(fake, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "config.json"
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "huge":
        config.write_text(json.dumps({"auths": {}, "pad": " " * (2 * 1024 * 1024)}))
    else:
        config.mkdir()
    started = time.monotonic()
    assert_falls_back(lookup(fake(basic_gate("x")), tmp_path, docker_config=config), "needs credentials")
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("realm", "reason"),
    [
        ("file:///etc/passwd", "not contacted"),
        ("ftp://{host}/token", "not contacted"),
        ("not a url at all", "not contacted"),
    ],
)
def test_token_realms_that_are_not_http_are_not_contacted(fake, tmp_path: Path, realm: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    host = fake(reply(401, b"", {"WWW-Authenticate": f'Bearer realm="{realm}",service="x"'}))
    assert_falls_back(lookup(host, tmp_path), reason)


def test_a_dripping_token_service_is_bounded_too(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    token_host = fake(drip(b'{"token": "' + b"t" * 100 + b'"}', 0.1))
    host = fake(reply(401, b"", {"WWW-Authenticate": f'Bearer realm="http://{token_host}/token",service="x"'}))
    started = time.monotonic()
    assert_falls_back(lookup(host, tmp_path, timeout=1.0), "did not answer in time")
    assert time.monotonic() - started < 2.0


def test_closing_ends_lookups_in_progress_at_once(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    host = fake(drip(MANIFEST, 0.2))
    settings = SizeSettings(cache_dir=tmp_path / "cache", use_engine=False, docker_config=None, timeout_s=60.0)
    service = SizeService(settings)
    images = [parse_image_ref(f"{host}/team/app{n}:1") for n in range(6)]  # more than the pool's threads
    for image in images:
        assert image is not None
        service.known(image, "linux/amd64")
    time.sleep(0.3)  # the first four are reading
    futures = [service.pending(image, "linux/amd64") for image in images if image is not None]
    started = time.monotonic()
    service.close()
    while not all(f is not None and f.done() for f in futures) and time.monotonic() - started < 5:
        time.sleep(0.02)  # queued lookups are cancelled, running ones see their sockets shut
    assert all(f is not None and f.done() for f in futures) and time.monotonic() - started < 2.0


def test_the_server_exits_promptly_with_lookups_pending(fake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    host = fake(drip(MANIFEST, 0.5))
    server = RawServer()
    try:
        options = {"sizes": {"online": True, "useEngine": False, "timeoutMs": 60000, "cacheDir": str(tmp_path)}}
        server.initialize(options)
        server.open("file:///c/Dockerfile", "".join(f"FROM {host}/team/app{n}:1 AS s{n}\n" for n in range(6)))
        server.request("textDocument/codeLens", {"textDocument": {"uri": "file:///c/Dockerfile"}})
        while len(fake.seen) < 4:  # every worker is on a registry that drips for half a minute
            time.sleep(0.05)
        started = time.monotonic()
        assert server.stop() == 0
        assert time.monotonic() - started < 5.0  # it took the whole drip (over a minute) before
    finally:
        server.kill()
