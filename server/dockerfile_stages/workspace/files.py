"""Reading a file that may not be one: a FIFO, a device, a socket, a link to ``/dev/zero``.

``open`` on a FIFO waits for a writer and ``read`` on ``/dev/zero`` never ends, so a file is opened
without blocking, checked to be a regular file on the open descriptor (no race with a rename), and
read up to a limit.
"""

from __future__ import annotations

import os
import stat

MAX_DOCKERFILE_BYTES = 16 * 1024 * 1024  # the largest real Dockerfiles are a few hundred kB
MAX_SMALL_FILE_BYTES = 1024 * 1024  # .dockerignore, build files, configuration

_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a file"),
    (stat.S_ISCHR, "is a character device, not a file"),
    (stat.S_ISBLK, "is a block device, not a file"),
    (stat.S_ISSOCK, "is a socket, not a file"),
)


class UnreadableFile(OSError):
    """A path that is not a regular file, or one larger than allowed; ``str()`` says which."""


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; UnreadableFile (an OSError) otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            reason = next((text for test, text in _KINDS if test(mode)), "is not a regular file")
            raise UnreadableFile(reason)
        chunks = []
        total = 0
        while True:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UnreadableFile(f"is larger than {_human(limit)}, too large to read")
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _human(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB" if size >= 1024 * 1024 else f"{size} bytes"
