"""Name resolution that a lookup's deadline bounds.

``getaddrinfo`` cannot be interrupted: a resolver that never answers would hold a lookup (and the
process's exit) past any timeout, since httpx's timeouts start only once a socket exists. Here the
name is resolved on a daemon thread that the lookup waits for only as long as its deadline leaves
(or until the lookup is cancelled), and the connection is then made to the address found. The TLS
server name and the Host header still come from the URL (httpcore takes them from the request, not
from the socket), so certificates are checked against the registry's name.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import httpcore
import httpx

Resolver = Callable[[str, int], list[tuple[Any, ...]]]  # socket.getaddrinfo's shape, host and port given
POLL_S = 0.05  # how often a wait for the resolver looks whether the lookup was cancelled


class TimeLeft(Protocol):
    def remaining(self) -> float: ...

    @property
    def ended(self) -> bool: ...


def system_resolver(host: str, port: int) -> list[tuple[Any, ...]]:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


class DeadlineBackend(httpcore.SyncBackend):
    """httpcore's own socket backend, with the name resolved within the time left."""

    def __init__(self, deadline: TimeLeft, resolver: Resolver = system_resolver) -> None:
        self.deadline = deadline
        self.resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._resolve(host, port)
        failure: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            left = self.deadline.remaining()
            if left <= 0 or self.deadline.ended:
                raise httpcore.ConnectTimeout(f"connecting to {host} took too long")
            try:
                return super().connect_tcp(address, port, min(timeout or left, left), local_address, socket_options)
            except httpcore.ConnectError as error:  # the next address may answer (IPv6, then IPv4...)
                failure = error
        raise failure

    def _resolve(self, host: str, port: int) -> list[str]:
        found: list[list[tuple[Any, ...]]] = []
        errors: list[OSError] = []
        done = threading.Event()

        def resolve() -> None:
            try:
                found.append(self.resolver(host, port))
            except OSError as error:
                errors.append(error)
            finally:
                done.set()

        threading.Thread(target=resolve, name=f"resolve {host}", daemon=True).start()
        while not done.wait(min(POLL_S, max(self.deadline.remaining(), 0.0))):
            if self.deadline.remaining() <= 0 or self.deadline.ended:
                raise httpcore.ConnectTimeout(f"resolving {host} took too long")
        if errors:
            raise httpcore.ConnectError(f"{host} cannot be resolved ({errors[0]})")
        addresses = [str(entry[4][0]) for entry in found[0] if entry[0] in (socket.AF_INET, socket.AF_INET6)]
        return list(dict.fromkeys(addresses))


def bound_resolution(client: httpx.Client, backend: DeadlineBackend) -> httpx.Client:
    """Make every connection pool of ``client`` (its transport and its proxies' mounts, from the
    environment) resolve names with ``backend``. httpx has no parameter for a network backend, only
    httpcore's pools do, so the pools httpx made are given it (a SOCKS proxy's pool is left as it is)."""
    for transport in [client._transport, *client._mounts.values()]:
        pool = getattr(transport, "_pool", None)
        if isinstance(pool, httpcore.ConnectionPool):
            pool._network_backend = backend
    return client
