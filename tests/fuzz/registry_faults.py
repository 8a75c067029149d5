"""The registry fault fuzzer: a fault server on loopback that drips, stalls, sends too much, lies
about digests and sizes, redirects and names odd token realms, in random combinations. Every
lookup must end within its deadline (plus a little), return a figure (never raise), and show a
size only when it is a plausible one."""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.sizes.service import SizeService, SizeSettings
from dockerfile_stages.sizes.validation import MAX_LAYER_BYTES

FAULTS = (
    "ok", "drip_body", "drip_headers", "stall", "oversize", "oversize_undeclared", "claimed_digest", "bad_size",
    "evil_index", "good_index", "redirect", "realm_file", "realm_drip", "token_garbage", "not_json", "status",
)  # fmt: skip
BAD_SIZES: list[Any] = [-1, True, 10**30, 1.5, "12", None, [], {"n": 1}, 2**63]


@dataclass
class FaultFigures:
    lookups: int = 0
    by_fault: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # raised, too slow, or an implausible figure shown
    worst_overrun_s: float = 0.0

    def summary(self) -> str:
        return (
            f"registry faults: {self.lookups} lookups over {len(self.by_fault)} kinds of fault, "
            f"{len(self.errors)} failures, worst time past the deadline {self.worst_overrun_s * 1000:.0f} ms"
        )


def _manifest(sizes: list[Any]) -> bytes:
    layers = [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": s, "digest": "sha256:" + "0" * 64}
              for s in sizes]  # fmt: skip
    return json.dumps(
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": layers}
    ).encode()


class FaultHandler(BaseHTTPRequestHandler):
    fault: ClassVar[str] = "ok"
    rng: ClassVar[random.Random] = random.Random(0)
    host: ClassVar[str] = ""

    def log_message(self, *args: object) -> None:
        pass  # quiet

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client left at its deadline
            self._answer(self.fault)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None, length: int | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, fault: str) -> None:
        rng = self.rng
        good = _manifest([rng.randrange(10**9) for _ in range(rng.randrange(1, 5))])
        if self.path.startswith("/token"):
            if fault == "realm_drip":
                self._drip(b'{"token": "' + b"t" * 200 + b'"}', headers_too=False)
            elif fault == "token_garbage":
                self._send(200, rng.choice([b"{}", b"[]", b'{"token": 5}', b'{"token": "\\u0000"}', b"\x00"]))
            else:
                self._send(200, b'{"token": "t"}')
            return
        if fault in ("realm_file", "realm_drip", "token_garbage") and "Authorization" not in self.headers:
            realm = "file:///etc/passwd" if fault == "realm_file" else f"http://{self.host}/token"
            self._send(401, b"", {"WWW-Authenticate": f'Bearer realm="{realm}",service="x"'})
            return
        if fault == "drip_body":
            self._drip(good, headers_too=False)
        elif fault == "drip_headers":
            self._drip(good, headers_too=True)
        elif fault == "stall":
            time.sleep(30)
        elif fault == "oversize":
            self._send(200, b"", length=10**12)
        elif fault == "oversize_undeclared":
            self.send_response(200)
            self.end_headers()
            chunk = b" " * 65536
            for _ in range(100):
                self.wfile.write(chunk)
        elif fault == "claimed_digest":
            claimed = rng.choice(["sha256:" + "f" * 64, "sha512:" + "e" * 128, "md5:x", "../../x", "sha256:"])
            self._send(200, good, {"Docker-Content-Digest": claimed})
        elif fault == "bad_size":
            self._send(200, _manifest([rng.randrange(1000), rng.choice(BAD_SIZES)]))
        elif fault in ("evil_index", "good_index") and "/manifests/1" in self.path:
            digest = (
                "sha256:" + hashlib.sha256(good).hexdigest()
                if fault == "good_index"
                else rng.choice(["../../../evil?x=", "sha256:../x", 7, None, "sha256:" + "A" * 64])
            )
            entry = {"digest": digest, "platform": {"os": "linux", "architecture": "amd64"}}
            self._send(200, json.dumps({"schemaVersion": 2, "manifests": [entry]}).encode())
        elif fault == "evil_index" or fault == "good_index":
            self._send(200, good)
        elif fault == "redirect":
            location = rng.choice([f"http://{self.host}{self.path}", "http://127.0.0.2:1/x", "file:///etc/passwd"])
            self._send(rng.choice([301, 302, 307, 308]), b"", {"Location": location})
        elif fault == "not_json":
            self._send(200, rng.choice([b"\x00{", b"[]", b"null", b'{"layers": "many"}', b"{" * 100000]))
        elif fault == "status":
            self._send(rng.choice([400, 403, 404, 429, 500, 502, 503]), b"{}")
        else:
            self._send(200, good)

    def _drip(self, body: bytes, headers_too: bool) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        data = head + body if headers_too else body
        if not headers_too:
            self.wfile.write(head)
        for index in range(len(data)):
            self.wfile.write(data[index : index + 1])
            self.wfile.flush()
            time.sleep(0.05)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that left at its deadline


def run(seed: int, lookups: int, cache_dir: Path, timeout_s: float = 0.5) -> FaultFigures:
    figures = FaultFigures()
    FaultHandler.rng = random.Random(seed)
    rng = random.Random(seed + 1)
    server = _Server(("127.0.0.1", 0), FaultHandler)
    FaultHandler.host = f"127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    settings = SizeSettings(cache_dir=cache_dir, use_engine=False, docker_config=None, timeout_s=timeout_s, ttl_s=0)
    try:
        warm = parse_image_ref(f"{FaultHandler.host}/fuzz/warm-up:1")  # imports and TLS set-up: once, not a hang
        assert warm is not None
        SizeService(settings).lookup(warm, "linux/amd64")
        for number in range(lookups):
            fault = rng.choice(FAULTS)
            FaultHandler.fault = fault
            figures.by_fault[fault] = figures.by_fault.get(fault, 0) + 1
            image = parse_image_ref(f"{FaultHandler.host}/fuzz/app{number}:1")
            assert image is not None
            started = time.monotonic()
            try:
                figure = SizeService(settings).lookup(image, "linux/amd64")
            except Exception as error:  # the point: none may escape
                figures.errors.append(f"{fault}: raised {type(error).__name__}: {error}")
                continue
            finally:
                figures.lookups += 1
            elapsed = time.monotonic() - started
            figures.worst_overrun_s = max(figures.worst_overrun_s, elapsed - timeout_s)
            if elapsed > timeout_s + 1.5:
                figures.errors.append(f"{fault}: took {elapsed:.1f} s with a {timeout_s} s deadline")
            size = figure.compressed_bytes
            if size is not None and (isinstance(size, bool) or not 0 <= size <= MAX_LAYER_BYTES):
                figures.errors.append(f"{fault}: showed an implausible size {size!r}")
            if fault not in ("ok", "good_index") and size is not None:
                figures.errors.append(f"{fault}: a size was shown from a faulty answer ({size})")
    finally:
        server.shutdown()
        server.server_close()
    return figures
