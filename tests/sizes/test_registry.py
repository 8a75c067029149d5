"""Sizes from a real registry on loopback: platforms, index kinds, token auth, the cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.sizes.cache import SizeCache
from dockerfile_stages.sizes.figures import ImageSize
from dockerfile_stages.sizes.registry import schemes_for
from dockerfile_stages.sizes.service import SizeService, SizeSettings

from .registry_fixture import Registry


def service(tmp_path: Path, *hosts: str, **kwargs: object) -> SizeService:
    settings = SizeSettings(
        cache_dir=tmp_path / "cache",
        insecure_registries=hosts,
        use_engine=False,
        docker_config=None,
        timeout_s=2.0,
        **kwargs,
    )  # type: ignore[arg-type]
    return SizeService(settings)


def ref(text: str):  # type: ignore[no-untyped-def]
    image = parse_image_ref(text)
    assert image is not None, text
    return image


def test_oci_index_picks_the_platform(registry: Registry, tmp_path: Path) -> None:
    totals = registry.index("team/app", "1.0", {"linux/amd64": [3000, 5000], "linux/arm64": [7000]})
    sizes = service(tmp_path, registry.host)
    amd = sizes.lookup(ref(f"{registry.host}/team/app:1.0"), "linux/amd64")
    arm = sizes.lookup(ref(f"{registry.host}/team/app:1.0"), "linux/arm64")
    assert (amd.compressed_bytes, amd.source) == (totals["linux/amd64"], "registry")
    assert arm.compressed_bytes == totals["linux/arm64"] == 7000
    assert amd.digest and amd.digest.startswith("sha256:")
    missing = sizes.lookup(ref(f"{registry.host}/team/app:1.0"), "linux/s390x")
    assert missing.compressed_bytes is None and "no image for linux/s390x" in (missing.note or "")


def test_docker_manifest_list_and_single_manifest(registry: Registry, tmp_path: Path) -> None:
    totals = registry.index("team/legacy", "2", {"linux/amd64": [1234], "linux/arm/v7": [4321]}, docker=True)
    _, single_total, _ = registry.image("team/single", [2222, 3333], tag="v1")
    sizes = service(tmp_path, registry.host)
    assert (
        sizes.lookup(ref(f"{registry.host}/team/legacy:2"), "linux/arm/v7").compressed_bytes == totals["linux/arm/v7"]
    )
    assert sizes.lookup(ref(f"{registry.host}/team/legacy:2"), "linux/amd64").compressed_bytes == 1234
    assert sizes.lookup(ref(f"{registry.host}/team/single:v1"), "linux/amd64").compressed_bytes == single_total


def test_by_digest_and_unknown_tag(registry: Registry, tmp_path: Path) -> None:
    digest, total, _ = registry.image("team/pinned", [999], tag="x")
    sizes = service(tmp_path, registry.host)
    assert sizes.lookup(ref(f"{registry.host}/team/pinned@{digest}"), "linux/amd64").compressed_bytes == total
    gone = sizes.lookup(ref(f"{registry.host}/team/pinned:nope"), "linux/amd64")
    assert gone.source == "unknown" and "no such image" in (gone.note or "")


def test_answers_are_cached_on_disk(registry: Registry, tmp_path: Path) -> None:
    registry.image("team/cached", [100, 200], tag="1")
    first = service(tmp_path, registry.host).lookup(ref(f"{registry.host}/team/cached:1"), "linux/amd64")
    assert first.source == "registry"
    again = service(tmp_path, registry.host).lookup(ref(f"{registry.host}/team/cached:1"), "linux/amd64")
    assert (again.source, again.compressed_bytes) == ("cache", 300)
    (tmp_path / "cache" / "sizes.json").write_text("{corrupt")
    recovered = service(tmp_path, registry.host).lookup(ref(f"{registry.host}/team/cached:1"), "linux/amd64")
    assert (recovered.source, recovered.compressed_bytes) == ("registry", 300)


@pytest.mark.parametrize(
    "entry",
    [
        {"stored_at": "yesterday", "size": {}},
        {"stored_at": 1e300, "size": {}},
        {"stored_at": None},
        "not an entry",
    ],
)
def test_damaged_cache_entries_are_ignored(registry: Registry, tmp_path: Path, entry: object) -> None:
    registry.image("team/damaged", [100], tag="1")
    key = f"{registry.host}/team/damaged:1|linux/amd64"
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "sizes.json").write_text(json.dumps({key: entry}))
    figure = service(tmp_path, registry.host).lookup(ref(f"{registry.host}/team/damaged:1"), "linux/amd64")
    assert (figure.source, figure.compressed_bytes) == ("registry", 100)


@pytest.mark.parametrize("field", [{"compressed_bytes": -1}, {"compressed_bytes": "300"}, {"disk_bytes": True}])
def test_cached_figures_with_bad_values_are_ignored(tmp_path: Path, field: dict[str, object]) -> None:
    figure = {"reference": "x.io/a:1", "platform": "linux/amd64", "compressed_bytes": 1, "disk_bytes": None}
    entry = {"stored_at": time.time(), "size": {**figure, "source": "registry", **field}}
    path = tmp_path / "sizes.json"
    path.write_text(json.dumps({"x.io/a:1|linux/amd64": entry}))
    assert SizeCache(path, 3600).get("x.io/a:1", "linux/amd64") is None
    path.write_text(json.dumps({"x.io/a:1|linux/amd64": {**entry, "size": {**figure, "source": "registry"}}}))
    assert SizeCache(path, 3600).get("x.io/a:1", "linux/amd64") is not None  # the same entry, values fixed


def test_a_cache_file_that_is_a_fifo_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "sizes.json")
    assert SizeCache(tmp_path / "sizes.json", 3600).get("x.io/a:1", "linux/amd64") is None  # returns, no hang


def test_concurrent_cache_writes(tmp_path: Path) -> None:
    cache = SizeCache(tmp_path / "sizes.json", 3600)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(200):
                cache.put(ImageSize(f"x.io/a{worker}:{n}", "linux/amd64", n, None, "registry"))
        except BaseException as error:  # the point of the test: none may escape
            errors.append(error)

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # every entry on disk: writers that renamed their files in the other order left an older snapshot
    reread = SizeCache(tmp_path / "sizes.json", 3600)
    missing = [(w, n) for w in range(4) for n in range(200) if reread.get(f"x.io/a{w}:{n}", "linux/amd64") is None]
    assert missing == []
    assert [p.name for p in tmp_path.iterdir()] == ["sizes.json"]  # no temporary file left


def test_loopback_registries_are_plain_http_without_being_listed(registry: Registry, tmp_path: Path) -> None:
    _, total, _ = registry.image("team/loopback", [10], tag="1")
    port = registry.host.rpartition(":")[2]
    for host in (registry.host, f"localhost:{port}"):
        figure = service(tmp_path).lookup(ref(f"{host}/team/loopback:1"), "linux/amd64")
        assert (figure.source, figure.compressed_bytes) == ("registry", total), figure.note


@pytest.mark.parametrize(
    ("host", "listed", "expected"),
    [
        ("registry.example.com", (), ("https",)),
        ("10.0.0.5:5000", (), ("https",)),
        ("10.0.0.5:5000", ("10.0.0.5:5000",), ("https", "http")),
        ("127.0.0.2:5000", (), ("https", "http")),
        ("localhost", (), ("https", "http")),
        ("[::1]:5000", (), ("https", "http")),
        ("localhost.example.com", (), ("https",)),
        ("127.0.0.1.nip.io", (), ("https",)),
    ],
)
def test_plain_http_only_for_listed_or_loopback_registries(
    host: str, listed: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert schemes_for(host, listed) == expected


class _TokenGate(BaseHTTPRequestHandler):
    """A loopback front that demands a bearer token, issues one at /token, and forwards to the registry."""

    upstream = ""
    token = "tok-123"
    seen_auth: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        pass  # keep the test output quiet

    def do_GET(self) -> None:
        if self.path.startswith("/token"):
            body = json.dumps({"token": self.token}).encode()
            self._send(200, body, {"Content-Type": "application/json"})
            return
        auth = self.headers.get("Authorization", "")
        self.seen_auth.append(auth)
        if auth != f"Bearer {self.token}":
            host = self.headers["Host"]
            challenge = f'Bearer realm="http://{host}/token",service="gate",scope="repository:team/app:pull"'
            self._send(401, b"{}", {"WWW-Authenticate": challenge})
            return
        upstream = httpx.get(self.upstream + self.path, headers={"Accept": self.headers.get("Accept", "")})
        headers = {k: v for k, v in upstream.headers.items() if k.lower() in ("content-type", "docker-content-digest")}
        self._send(upstream.status_code, upstream.content, headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def token_gate(registry: Registry) -> Iterator[str]:
    _TokenGate.upstream = registry.url
    _TokenGate.seen_auth = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenGate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_bearer_token_challenge(registry: Registry, token_gate: str, tmp_path: Path) -> None:
    totals = registry.index("team/app", "1.0", {"linux/amd64": [3000, 5000], "linux/arm64": [7000]})
    figure = service(tmp_path, token_gate).lookup(ref(f"{token_gate}/team/app:1.0"), "linux/amd64")
    assert figure.compressed_bytes == totals["linux/amd64"]
    assert "" in _TokenGate.seen_auth and f"Bearer {_TokenGate.token}" in _TokenGate.seen_auth


def test_size_cli_json(registry: Registry, tmp_path: Path) -> None:
    totals = registry.index("team/builder", "1", {"linux/amd64": [40000, 60000], "linux/arm64": [50000]})
    _, runtime_total, _ = registry.image("team/runtime", [5000], tag="1")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        f"FROM {registry.host}/team/builder:1 AS build\nRUN make\n"
        f"FROM --platform=linux/arm64 {registry.host}/team/builder:1 AS armbuild\n"
        f"FROM {registry.host}/team/runtime:1\nCOPY --from=build /out /out\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dockerfile_stages",
            "size",
            str(dockerfile),
            "--format",
            "json",
            "--insecure-registry",
            registry.host,
            "--cache-dir",
            str(tmp_path / "c"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    stages = report["stages"]
    assert [s["role"] for s in stages] == ["build", "unused", "final"]
    assert [s["compressed_bytes"] for s in stages] == [totals["linux/amd64"], totals["linux/arm64"], runtime_total]
    assert [s["platform"] for s in stages] == ["linux/amd64", "linux/arm64", "linux/amd64"]
    assert {s["source"] for s in stages} == {"registry"}
    assert report["final_image"]["unknown_parts"] == ["from stage build: /out"]
    assert report["single_stage_equivalent"]["based_on"] == "build"


def test_tag_list_for_completion(registry: Registry, tmp_path: Path) -> None:
    registry.image("team/tagged", [10], tag="1.0")
    registry.image("team/tagged", [11], tag="1.1")
    sizes = service(tmp_path, registry.host)
    image = ref(f"{registry.host}/team/tagged")
    assert sizes.known_tags(image) is None  # the first ask starts the fetch
    pending = sizes.pending_tags(image)
    if pending is not None:
        pending.result(timeout=10)
    assert sorted(sizes.known_tags(image) or ()) == ["1.0", "1.1"]
    sizes.close()
