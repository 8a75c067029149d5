"""Reading Dockerfiles from disk or standard input, with clear errors for what is not one."""

from __future__ import annotations

import sys

import msgspec

from dockerfile_stages.workspace.errors import InputError
from dockerfile_stages.workspace.files import MAX_DOCKERFILE_BYTES, UnreadableFile, read_bounded

__all__ = ["InputError", "Source", "decode", "read_dockerfile", "read_source"]


class Source(msgspec.Struct, frozen=True):
    text: str
    warning: str | None = None  # said once to the user (bytes that are not UTF-8)


def decode(data: bytes, label: str) -> Source:
    """Bytes as BuildKit reads them: UTF-8 where they are, and any other byte kept as it is (a Latin-1
    comment does not stop a build). Each such byte becomes one character (a lone surrogate, so
    ``encode("utf-8", "surrogateescape")`` gives the file back byte for byte) and counts as one column."""
    if b"\x00" in data:
        raise InputError(f"{label}: binary data, not a Dockerfile")
    try:
        return Source(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        warning = (
            f"{label}: not UTF-8 (line {line}, byte {err.start}): read byte for byte as BuildKit does, "
            "each byte that is not UTF-8 counting as one column"
        )
        return Source(data.decode("utf-8", errors="surrogateescape"), warning)


def read_dockerfile(path: str) -> str:
    """The text of ``path`` (``-`` for standard input); see ``read_source``."""
    return read_source(path).text


def read_source(path: str) -> Source:
    """The text of ``path`` (``-`` for standard input); InputError for what is not a Dockerfile we
    can read: missing, a directory, a FIFO or device, larger than 16 MiB, binary data."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_DOCKERFILE_BYTES + 1)
        if len(data) > MAX_DOCKERFILE_BYTES:
            raise InputError("<stdin>: larger than 16 MiB, too large to read")
        return decode(data, "<stdin>")
    try:
        data = read_bounded(path, MAX_DOCKERFILE_BYTES)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except UnreadableFile as err:
        raise InputError(f"{path}: {err}") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    return decode(data, path)
