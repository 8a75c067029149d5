"""The local engine source, against an Engine-API-shaped server on a unix socket."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.sizes.engine import EngineClient
from dockerfile_stages.sizes.service import SizeService, SizeSettings


class _Engine(BaseHTTPRequestHandler):
    images: ClassVar[dict[str, dict[str, object]]] = {
        "golang:1.22": {"Id": "sha256:" + "a" * 64, "Size": 823_000_000},
        "negative:1": {"Size": -5},
        "boolean:1": {"Size": True},
        "absurd:1": {"Size": 10**30},
        "text:1": {"Size": "823"},
    }
    paths: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        pass  # keep the test output quiet

    def address_string(self) -> str:
        return "unix"

    def do_GET(self) -> None:
        self.paths.append(self.path)
        name = self.path.removeprefix("/images/").removesuffix("/json")
        found = self.images.get(name)
        body = json.dumps(found or {"message": "No such image"}).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture
def engine_socket(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "docker.sock")
    server = _UnixServer(path, _Engine)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield path
    server.shutdown()
    server.server_close()


def test_engine_size_wins_over_everything(engine_socket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{engine_socket}")
    service = SizeService(SizeSettings(cache_dir=tmp_path, docker_config=None, insecure_registries=()))
    image = parse_image_ref("golang:1.22")
    assert image is not None
    figure = service.lookup(image, "linux/amd64")
    assert (figure.source, figure.disk_bytes, figure.source_label()) == ("engine", 823_000_000, "local engine")


def test_engine_without_the_image_or_absent(engine_socket: str) -> None:
    assert EngineClient(engine_socket).size("nginx:1.27", "linux/amd64") is None
    assert EngineClient("/nonexistent/docker.sock").size("golang:1.22", "linux/amd64") is None
    assert EngineClient(None).size("golang:1.22", "linux/amd64") is None


@pytest.mark.parametrize("reference", ["negative:1", "boolean:1", "absurd:1", "text:1"])
def test_engine_sizes_that_cannot_be_right_are_ignored(engine_socket: str, reference: str) -> None:
    assert EngineClient(engine_socket).size(reference, "linux/amd64") is None


@pytest.mark.parametrize("reference", ["../containers/json", "a/../../containers/json", "x?all=1", "x#y", "a b"])
def test_engine_is_never_asked_another_endpoint(engine_socket: str, reference: str) -> None:
    _Engine.paths = []
    assert EngineClient(engine_socket).size(reference, "linux/amd64") is None
    assert _Engine.paths == []
