"""What a registry or an engine may send us, and what we may put in a URL: checked before use.

Digests follow the OCI image spec (``algorithm:encoded``; sha256 and sha512 are the registered
algorithms we can verify), names and tags the distribution reference grammar. Sizes are plain
non-negative integers below a bound no real layer reaches.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re

from dockerfile_stages.model.image import ImageRef

MAX_LAYER_BYTES = 1 << 40  # 1 TiB: no real layer (or image) is larger; a figure above it is a bad answer
_HEX_LENGTHS = {"sha256": 64, "sha512": 128}
_DIGEST = re.compile(r"(sha256|sha512):([0-9a-f]+)")
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


class InvalidValue(ValueError):
    """A digest, name or size that cannot be trusted; the message says which and why."""


def checked_digest(text: object) -> str:
    """The digest itself if it is one we can put in a URL and verify; else InvalidValue."""
    if not isinstance(text, str):
        raise InvalidValue("a digest that is not a string")
    match = _DIGEST.fullmatch(text)
    if match is None:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise InvalidValue(f"an invalid or unsupported digest {shown!r}")
    if len(match.group(2)) != _HEX_LENGTHS[match.group(1)]:
        raise InvalidValue(f"a {match.group(1)} digest of the wrong length")
    return text


def digest_of(body: bytes, algorithm: str = "sha256") -> str:
    return f"{algorithm}:{hashlib.new(algorithm, body).hexdigest()}"


def matches_digest(body: bytes, digest: str) -> bool:
    algorithm = checked_digest(digest).partition(":")[0]
    return digest_of(body, algorithm) == digest


def check_reference(image: ImageRef, host: str) -> None:
    """Refuse a host, repository, tag or digest that would change the URL we build from it."""
    if not _valid_host(host):
        raise InvalidValue(f"an invalid registry host {host[:60]!r}")
    if _REPOSITORY.fullmatch(image.repository) is None or len(image.repository) > 255:
        raise InvalidValue(f"an invalid repository name {image.repository[:60]!r}")
    if image.tag is not None and _TAG.fullmatch(image.tag) is None:
        raise InvalidValue(f"an invalid tag {image.tag[:60]!r}")
    if image.digest is not None:
        checked_digest(image.digest)


def _valid_host(host: str) -> bool:
    """``name[:port]`` or ``[ipv6][:port]``, as the distribution reference grammar allows."""
    if len(host) > 255:
        return False
    if host.startswith("["):
        address, closed, port = host[1:].partition("]")
        if not closed or (port and not (port.startswith(":") and port[1:].isdigit())):
            return False
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return False
        return True
    name, colon, port = host.partition(":")
    if colon and not (port.isdigit() and len(port) <= 5):
        return False
    return all(_HOST_LABEL.fullmatch(label) for label in name.split("."))


def checked_size(value: object) -> int:
    """A layer or image size as a registry or engine states it; InvalidValue unless plausible."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"a size that is not a whole number ({type(value).__name__})")
    if value < 0:
        raise InvalidValue("a negative size")
    if value > MAX_LAYER_BYTES:
        raise InvalidValue("an absurd size (over 1 TiB)")
    return value
