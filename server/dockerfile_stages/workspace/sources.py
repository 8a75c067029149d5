"""Reading Dockerfiles from disk or standard input, with clear errors for what is not one."""

from __future__ import annotations

import sys

from dockerfile_stages.workspace.files import MAX_DOCKERFILE_BYTES, UnreadableFile, read_bounded


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
    """The text of ``path`` (``-`` for standard input); InputError for what is not a Dockerfile we
    can read: missing, a directory, a FIFO or device, larger than 16 MiB, binary, not UTF-8."""
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
