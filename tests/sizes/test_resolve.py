"""Name resolution within the lookup's deadline.

A resolver that never answers cannot run for real here: it would mean pointing the machine's
resolv.conf at a silent server, for every process on it. So these tests give the code a resolver
that hangs (in process, or in the subprocesses through a ``sitecustomize`` that replaces
``socket.getaddrinfo`` for names under ``.hang.test``): the one mock of the size tests. Everything
else (sockets, HTTP, the registry, the server and CLI processes) is real.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.sizes.registry import RegistryClient, RegistryConfig, RegistryError

from ..fuzz.raw_lsp import RawServer
from .registry_fixture import CountingProxy, Registry

HANGING_RESOLVER = """
import socket, threading
_real = socket.getaddrinfo
def _getaddrinfo(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith(".hang.test"):
        threading.Event().wait()  # a resolver that never answers
    return _real(host, *args, **kwargs)
socket.getaddrinfo = _getaddrinfo
"""


@pytest.fixture
def released() -> Iterator[threading.Event]:
    """Set at the end, so the resolver threads the tests leave hanging end with them."""
    event = threading.Event()
    yield event
    event.set()


def _client(timeout: float, resolver: Any, insecure: tuple[str, ...] = ()) -> RegistryClient:
    return RegistryClient(RegistryConfig(timeout_s=timeout, insecure=insecure, resolver=resolver))


def test_a_resolver_that_never_answers_ends_at_the_deadline(released: threading.Event) -> None:
    def hang(host: str, port: int) -> list[tuple[Any, ...]]:
        released.wait()
        return []

    image = parse_image_ref("registry.example.com/team/app:1")
    assert image is not None
    started = time.monotonic()
    with pytest.raises(RegistryError, match="did not answer in time"):
        _client(1.0, hang).size(image, "linux/amd64")
    assert time.monotonic() - started < 1.6


def test_closing_ends_a_lookup_waiting_for_the_resolver(released: threading.Event) -> None:
    def hang(host: str, port: int) -> list[tuple[Any, ...]]:
        released.wait()
        return []

    client = _client(60.0, hang)
    image = parse_image_ref("registry.example.com/team/app:1")
    assert image is not None
    errors: list[Exception] = []

    def look_up() -> None:
        try:
            client.size(image, "linux/amd64")
        except RegistryError as error:
            errors.append(error)

    worker = threading.Thread(target=look_up)
    worker.start()
    time.sleep(0.3)
    started = time.monotonic()
    client.close()
    worker.join(timeout=5)
    assert not worker.is_alive() and time.monotonic() - started < 0.5
    assert errors and "cancelled" in str(errors[0])


def test_the_address_found_is_connected_to_with_the_name_kept(registry: Registry) -> None:
    """The registry is reached at the resolver's address, and asked with its own name as Host."""
    proxy = CountingProxy(registry)
    try:
        port = int(proxy.host.rpartition(":")[2])
        name = f"registry.resolve.test:{port}"
        asked: list[str] = []

        def to_loopback(host: str, port: int) -> list[tuple[Any, ...]]:
            asked.append(host)
            return socket.getaddrinfo("127.0.0.1", port, type=socket.SOCK_STREAM)

        registry.index("resolve/app", "1", {"linux/amd64": [3000]})
        image = parse_image_ref(f"{name}/resolve/app:1")
        assert image is not None
        figure = _client(5.0, to_loopback, insecure=(name,)).size(image, "linux/amd64")
        assert figure.compressed_bytes == 3000
        assert asked and set(asked) == {"registry.resolve.test"}
        assert proxy.hosts and set(proxy.hosts) == {name}
    finally:
        proxy.close()


def _hanging_environment(tmp_path: Path) -> dict[str, str]:
    import os

    (tmp_path / "sitecustomize.py").write_text(HANGING_RESOLVER)
    path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def test_size_with_a_hanging_resolver_ends_at_its_timeout(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM registry.hang.test/team/app:1\n")
    command = [sys.executable, "-m", "dockerfile_stages", "size", "--timeout", "2", str(dockerfile)]
    env = _hanging_environment(tmp_path) | {"DOCKER_HOST": "unix:///nonexistent", "XDG_CACHE_HOME": str(tmp_path)}
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    elapsed = time.monotonic() - started
    assert "did not answer in time" in result.stdout + result.stderr, result.stdout + result.stderr
    assert elapsed < 2 + 4.0  # the process's own start-up is most of the 4 s; it never ended before


def test_the_server_exits_at_once_with_the_resolver_hanging(tmp_path: Path) -> None:
    server = RawServer(env=_hanging_environment(tmp_path))
    try:
        sizes = {"online": True, "useEngine": False, "timeoutMs": 60000, "cacheDir": str(tmp_path)}
        server.initialize({"sizes": sizes})
        server.open("file:///c/Dockerfile", "".join(f"FROM registry.hang.test/a{n}:1 AS s{n}\n" for n in range(6)))
        server.request("textDocument/codeLens", {"textDocument": {"uri": "file:///c/Dockerfile"}})
        time.sleep(0.5)  # every lookup worker is waiting for the resolver
        started = time.monotonic()
        assert server.stop() == 0
        assert time.monotonic() - started < 5.0
    finally:
        server.kill()
