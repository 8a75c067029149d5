"""Sizes of images a local Docker engine already has (Engine API, ``GET /images/{name}/json``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import httpx

from dockerfile_stages.sizes.figures import ImageSize

DEFAULT_SOCKET = "/var/run/docker.sock"


@dataclass(frozen=True)
class EngineClient:
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
        """The on-disk size, or None when there is no engine or it lacks the image."""
        if self.socket is None or not Path(self.socket).exists():
            return None
        transport = httpx.HTTPTransport(uds=self.socket)
        try:
            with httpx.Client(transport=transport, timeout=self.timeout_s) as client:
                response = client.get(f"http://docker/images/{reference}/json")
                if response.status_code != 200:
                    return None
                data = response.json()
        except (httpx.HTTPError, ValueError):
            return None
        size = data.get("Size") if isinstance(data, dict) else None
        if not isinstance(size, int):
            return None
        digest = data.get("Id") if isinstance(data.get("Id"), str) else None
        return ImageSize(reference, platform, None, size, "engine", None, digest)
