"""Reading Dockerfiles from disk or standard input, with clear errors for what is not one."""

from __future__ import annotations

import sys
from pathlib import Path


class InputError(Exception):
    """A file that cannot be read as a Dockerfile; the message is for the user."""


def decode(data: bytes, label: str) -> str:
    if b"\x00" in data:
        raise InputError(f"{label}: binary data, not a Dockerfile")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{label}: not UTF-8 text (byte {err.start}), not a Dockerfile") from None


def read_dockerfile(path: str) -> str:
    """The text of ``path`` (``-`` for standard input)."""
    if path == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    file = Path(path)
    if file.is_dir():
        raise InputError(f"{path}: is a directory")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    return decode(data, path)
