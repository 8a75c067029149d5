"""Sizes of images a local Docker engine already has (Engine API, ``GET /images/{name}/json``)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import httpx
import msgspec

from dockerfile_stages.sizes.figures import ImageSize, SizeSource
from dockerfile_stages.sizes.validation import InvalidValue, checked_size

DEFAULT_SOCKET = "/var/run/docker.sock"
MAX_ANSWER_BYTES = 1024 * 1024  # an image's inspect answer is a few kB
_REFERENCE = re.compile(r"[A-Za-z0-9._:/@\[\]-]+")


class EngineClient(msgspec.Struct, frozen=True):
    socket: str | None
    timeout_s: float = 0.5

    @classmethod
    def from_environment(cls) -> EngineClient:
        host = os.environ.get("DOCKER_HOST", "")
        if host.startswith("unix://"):
            return cls(host.removeprefix("unix://"))
        if host:
            return cls(None)  # TCP engines are not queried: they may be remote
        return cls(DEFAULT_SOCKET if Path(DEFAULT_SOCKET).exists() else None)

    def size(self, reference: str, platform: str) -> ImageSize | None:
        """The on-disk size, or None when there is no engine, it lacks the image, or answers nonsense."""
        if self.socket is None or not Path(self.socket).exists() or not _plain_reference(reference):
            return None
        transport = httpx.HTTPTransport(uds=self.socket)
        try:
            with (
                httpx.Client(transport=transport, timeout=self.timeout_s) as client,
                client.stream("GET", f"http://docker/images/{reference}/json") as response,
            ):
                if response.status_code != 200:
                    return None
                data = json.loads(_read_limited(response))
        except (httpx.HTTPError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        try:
            size = checked_size(data.get("Size"))
        except InvalidValue:
            return None
        digest = data.get("Id") if isinstance(data.get("Id"), str) else None
        return ImageSize(reference, platform, None, size, SizeSource.ENGINE, None, digest)


def _plain_reference(reference: str) -> bool:
    """Only a reference that cannot turn the path into another Engine API endpoint (no ``..``, no query)."""
    return (
        _REFERENCE.fullmatch(reference) is not None
        and not any(part in (".", "..") for part in reference.split("/"))
        and len(reference) <= 512
    )


def _read_limited(response: httpx.Response) -> bytes:
    chunks = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > MAX_ANSWER_BYTES:
            raise ValueError("the engine's answer is too large")
        chunks.append(chunk)
    return b"".join(chunks)
