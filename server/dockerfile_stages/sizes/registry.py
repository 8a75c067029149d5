"""Image sizes from a registry, through the OCI distribution API.

Resolve the tag, pick the platform's manifest from an index or manifest list, sum the layers'
compressed sizes. Bounded in time and in bytes; credentials only ever go to the host they belong to.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from dockerfile_stages.model.image import ImageRef
from dockerfile_stages.sizes.figures import ImageSize

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
_CHALLENGE_PARAM = re.compile(r'(\w+)="([^"]*)"')


class RegistryError(Exception):
    """Why a registry could not give a size; the message is shown to the user."""


@dataclass(frozen=True)
class RegistryConfig:
    timeout_s: float = 5.0
    insecure: tuple[str, ...] = ()  # hosts reached over plain HTTP (only these)
    docker_config: Path | None = None  # ~/.docker/config.json, for credentials of listed hosts


@dataclass
class RegistryClient:
    config: RegistryConfig = field(default_factory=RegistryConfig)

    def size(self, image: ImageRef, platform: str) -> ImageSize:
        host = DOCKER_HUB_API if image.registry == "docker.io" else image.registry
        scheme = "http" if host in self.config.insecure else "https"
        base = f"{scheme}://{host}/v2/{image.repository}"
        with httpx.Client(timeout=self.config.timeout_s, follow_redirects=False) as client:
            session = _Session(client, host, self._credentials(image.registry, host))
            reference = image.digest or image.tag or "latest"
            manifest, digest = session.manifest(f"{base}/manifests/{reference}", expect_digest=image.digest)
            if manifest.get("mediaType") in INDEX_TYPES or "manifests" in manifest:
                chosen = _choose_platform(manifest.get("manifests") or [], platform)
                if chosen is None:
                    raise RegistryError(f"{image.display} has no image for {platform}")
                manifest, digest = session.manifest(f"{base}/manifests/{chosen}", expect_digest=chosen)
            layers = manifest.get("layers")
            if not isinstance(layers, list) or not all(
                isinstance(x, dict) and isinstance(x.get("size"), int) for x in layers
            ):
                raise RegistryError(f"{image.display}: the manifest lists no layer sizes")
            total = sum(int(layer["size"]) for layer in layers)
        return ImageSize(image.display, platform, total, None, "registry", date.today().isoformat(), digest)

    def _credentials(self, registry: str, host: str) -> str | None:
        """Basic credentials from the Docker config, for exactly this registry."""
        path = self.config.docker_config
        if path is None or not path.is_file():
            return None
        try:
            auths = json.loads(path.read_text()).get("auths", {})
        except (OSError, ValueError, AttributeError):
            return None
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


class _Session:
    def __init__(self, client: httpx.Client, host: str, basic: str | None) -> None:
        self.client = client
        self.host = host
        self.basic = basic
        self.token: str | None = None

    def manifest(self, url: str, expect_digest: str | None) -> tuple[dict[str, Any], str]:
        response, body = self._get(url, {"Accept": ACCEPT})
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        claimed = response.headers.get("Docker-Content-Digest")
        if expect_digest and expect_digest.startswith("sha256:") and digest != expect_digest:
            raise RegistryError(f"the manifest does not match its digest {expect_digest[:19]}...")
        if claimed and claimed.startswith("sha256:") and claimed != digest:
            raise RegistryError("the manifest does not match the digest the registry claims")
        try:
            data = json.loads(body)
        except ValueError:
            raise RegistryError("the registry sent a manifest that is not JSON") from None
        if not isinstance(data, dict):
            raise RegistryError("the registry sent a manifest that is not a JSON object")
        return data, digest

    def _get(self, url: str, headers: dict[str, str], retried: bool = False) -> tuple[httpx.Response, bytes]:
        request_headers = dict(headers)
        if self.token:
            request_headers["Authorization"] = f"Bearer {self.token}"
        elif self.basic and retried:
            request_headers["Authorization"] = f"Basic {self.basic}"
        try:
            with self.client.stream("GET", url, headers=request_headers) as response:
                body = _read_bounded(response)
        except httpx.TimeoutException:
            raise RegistryError(f"{self.host} did not answer in time") from None
        except httpx.HTTPError as err:
            raise RegistryError(f"{self.host} cannot be reached ({type(err).__name__})") from None
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
        headers = {"Authorization": f"Basic {self.basic}"} if self.basic and _same_host(realm, self.host) else {}
        try:
            with self.client.stream("GET", realm, params=params, headers=headers) as response:
                body = _read_bounded(response)
        except httpx.HTTPError as err:
            raise RegistryError(f"the token service for {self.host} cannot be reached ({type(err).__name__})") from None
        if response.status_code != 200:
            raise RegistryError(f"the token service for {self.host} answered HTTP {response.status_code}")
        try:
            data = json.loads(body)
            token = data.get("token") or data.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise RegistryError(f"the token service for {self.host} gave no token")
        self.token = token


def _same_host(url: str, host: str) -> bool:
    return httpx.URL(url).netloc.decode() == host


def _read_bounded(response: httpx.Response) -> bytes:
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
        if isinstance(entry.get("digest"), str):
            candidates.append((variant == want_variant, entry["digest"]))
    candidates.sort(reverse=True)
    return candidates[0][1] if candidates else None
