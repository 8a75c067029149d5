"""A real OCI registry (Debian's ``docker-registry``, CNCF distribution) on 127.0.0.1, and helpers
that push images to it over HTTP, as a registry client would, without Docker."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Registry:
    host: str  # "127.0.0.1:PORT"
    verify = True  # what the helpers below pass to httpx (they speak to the registry directly)

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def blob(self, repository: str, data: bytes) -> dict[str, Any]:
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        start = httpx.post(f"{self.url}/v2/{repository}/blobs/uploads/", verify=self.verify)
        start.raise_for_status()
        location = start.headers["Location"]
        if location.startswith("/"):
            location = self.url + location
        upload = httpx.URL(location).copy_merge_params({"digest": digest})  # keep the upload's _state
        done = httpx.put(upload, content=data, headers={"Content-Type": "application/octet-stream"}, verify=self.verify)
        done.raise_for_status()
        return {"digest": digest, "size": len(data)}

    def put_manifest(self, repository: str, reference: str, manifest: dict[str, Any], media_type: str) -> str:
        body = json.dumps(manifest).encode()
        response = httpx.put(
            f"{self.url}/v2/{repository}/manifests/{reference}",
            content=body,
            headers={"Content-Type": media_type},
            verify=self.verify,
        )
        response.raise_for_status()
        return "sha256:" + hashlib.sha256(body).hexdigest()

    def image(
        self, repository: str, layer_sizes: list[int], *, docker: bool = False, tag: str | None = None, seed: str = ""
    ) -> tuple[str, int, int]:
        """Push a single-platform image; returns (manifest digest, sum of layer sizes, manifest length)."""
        config_blob = self.blob(repository, json.dumps({"architecture": "amd64", "os": "linux", "seed": seed}).encode())
        layers = [self.blob(repository, os.urandom(size)) for size in layer_sizes]
        layer_type = (
            "application/vnd.docker.image.rootfs.diff.tar.gzip"
            if docker
            else "application/vnd.oci.image.layer.v1.tar+gzip"
        )
        media_type = DOCKER_MANIFEST if docker else OCI_MANIFEST
        manifest = {
            "schemaVersion": 2,
            "mediaType": media_type,
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json"
                if docker
                else "application/vnd.oci.image.config.v1+json",
                **config_blob,
            },
            "layers": [{"mediaType": layer_type, **layer} for layer in layers],
        }
        body = json.dumps(manifest).encode()
        digest = self.put_manifest(
            repository, tag or "sha256:" + hashlib.sha256(body).hexdigest(), manifest, media_type
        )
        return digest, sum(layer_sizes), len(body)

    def index(
        self, repository: str, tag: str, platforms: dict[str, list[int]], *, docker: bool = False
    ) -> dict[str, int]:
        """Push one image per platform and an index (or Docker manifest list) over them."""
        entries = []
        totals = {}
        for platform, sizes in platforms.items():
            digest, total, length = self.image(repository, sizes, docker=docker, seed=platform)
            os_name, arch, *variant = platform.split("/")
            entry_platform = {"os": os_name, "architecture": arch} | ({"variant": variant[0]} if variant else {})
            entries.append(
                {
                    "mediaType": DOCKER_MANIFEST if docker else OCI_MANIFEST,
                    "digest": digest,
                    "size": length,
                    "platform": entry_platform,
                }
            )
            totals[platform] = total
        media_type = DOCKER_LIST if docker else OCI_INDEX
        self.put_manifest(
            repository, tag, {"schemaVersion": 2, "mediaType": media_type, "manifests": entries}, media_type
        )
        return totals


class CountingProxy:
    """A loopback HTTP front for the real registry that counts the requests it forwards."""

    def __init__(self, registry: Registry) -> None:
        self.paths: list[str] = []
        self.hosts: list[str] = []  # the Host header of each
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy.paths.append(self.path)
                proxy.hosts.append(self.headers.get("Host", ""))
                headers = {name: value for name, value in self.headers.items() if name.lower() == "accept"}
                answer = httpx.get(registry.url + self.path, headers=headers)
                self.send_response(answer.status_code)
                for name in ("Content-Type", "Docker-Content-Digest"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class TlsRegistry(Registry):
    verify = False  # its certificate is from a CA no one trusts

    @property
    def url(self) -> str:
        return f"https://{self.host}"


def _registry_binary() -> str:
    found = shutil.which("docker-registry")
    if found is None:
        pytest.skip("docker-registry is missing (apt-get install docker-registry; .ci/run does)")
    return found


def _serve(root: Path, tls: tuple[Path, Path] | None = None) -> Iterator[str]:
    """Run docker-registry on a free loopback port (over TLS with ``tls``: certificate, key); its host."""
    binary = _registry_binary()
    port = free_port()
    config = root / "config.yml"
    tls_config = f"  tls:\n    certificate: {tls[0]}\n    key: {tls[1]}\n" if tls else ""
    config.write_text(
        "version: 0.1\n"
        "log:\n  level: error\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n  delete:\n    enabled: true\n"
        f"http:\n  addr: 127.0.0.1:{port}\n{tls_config}"
    )
    process = subprocess.Popen([binary, "serve", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    scheme = "https" if tls else "http"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{scheme}://127.0.0.1:{port}/v2/", timeout=1, verify=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass  # not listening yet: try again until the deadline
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"docker-registry did not start: {process.stderr.read() if process.stderr else ''}")
            time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    for host in _serve(tmp_path_factory.mktemp("registry")):
        yield Registry(host)


@pytest.fixture(scope="session")
def tls_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """The registry over HTTPS, with a certificate from a CA no one trusts (trustme's)."""
    import trustme

    root = tmp_path_factory.mktemp("tls-registry")
    certificate = trustme.CA().issue_cert("127.0.0.1", "localhost")
    chain, key = root / "chain.pem", root / "key.pem"
    certificate.private_key_pem.write_to_path(str(key))
    for number, blob in enumerate(certificate.cert_chain_pems):
        blob.write_to_path(str(chain), append=number > 0)
    for host in _serve(root, (chain, key)):
        yield TlsRegistry(host)
