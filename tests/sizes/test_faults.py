"""Registry faults: each ends in a fallback with a reason, never a crash or a hang."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.sizes.figures import ImageSize
from dockerfile_stages.sizes.registry import MAX_RESPONSE_BYTES
from dockerfile_stages.sizes.service import SizeService, SizeSettings

from .registry_fixture import free_port

Handler = Callable[[BaseHTTPRequestHandler], None]
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
                seen.append({"host": self.headers.get("Host", ""), "auth": self.headers.get("Authorization", "")})
                handle(self)

        server = _QuietServer(("127.0.0.1", 0), Fake)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
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
