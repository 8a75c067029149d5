"""Insecure registries as Docker treats them: HTTPS without checking the certificate first, then
plain HTTP; only for hosts listed as insecure and loopback ones. Real registries on 127.0.0.1, one
over TLS with a certificate from a CA no one trusts, one over plain HTTP."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from dockerfile_stages.model.image import parse_image_ref
from dockerfile_stages.sizes.registry import RegistryClient, RegistryConfig, RegistryError

from .registry_fixture import Registry, TlsRegistry


def _size(host: str, repository: str, **config: Any) -> int | None:
    image = parse_image_ref(f"{host}/{repository}:1")
    assert image is not None
    return RegistryClient(RegistryConfig(timeout_s=5.0, **config)).size(image, "linux/amd64").compressed_bytes


def test_a_loopback_registry_over_tls_is_reached_without_checking_its_certificate(tls_registry: TlsRegistry) -> None:
    tls_registry.index("secure/app", "1", {"linux/amd64": [2500]})
    assert _size(tls_registry.host, "secure/app") == 2500


def test_a_loopback_registry_over_plain_http_is_reached_after_tls_fails(registry: Registry) -> None:
    registry.index("plain/app", "1", {"linux/amd64": [1500]})
    client = RegistryClient(RegistryConfig(timeout_s=5.0))
    image = parse_image_ref(f"{registry.host}/plain/app:1")
    assert image is not None
    assert client.size(image, "linux/amd64").compressed_bytes == 1500
    assert client._answered == {registry.host: "http"}  # tried first next time: no TLS attempt per lookup


def _named(port: int) -> Any:
    def resolve(host: str, asked_port: int) -> list[tuple[Any, ...]]:
        return socket.getaddrinfo("127.0.0.1", asked_port, type=socket.SOCK_STREAM)

    return resolve


def test_a_certificate_is_checked_unless_the_host_is_listed(tls_registry: TlsRegistry) -> None:
    tls_registry.index("named/app", "1", {"linux/amd64": [3500]})
    port = int(tls_registry.host.rpartition(":")[2])
    name = f"registry.insecure.test:{port}"  # not loopback by name: its certificate must be good
    with pytest.raises(RegistryError, match="cannot be reached"):
        _size(name, "named/app", resolver=_named(port))
    assert _size(name, "named/app", resolver=_named(port), insecure=(name,)) == 3500
