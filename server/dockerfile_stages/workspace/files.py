"""Reading a file that may not be one (a FIFO, a device, a socket, a link to ``/dev/zero``), and
rewriting one without changing what it is (a link, a hard link, its owner and mode).

``open`` on a FIFO waits for a writer and ``read`` on ``/dev/zero`` never ends, so a file is opened
without blocking, checked to be a regular file on the open descriptor (no race with a rename), and
read up to a limit.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

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


class WriteRefused(OSError):
    """A file we will not (or cannot) rewrite; ``str()`` says why, for the user."""


def rewrite(path: str | os.PathLike[str], text: str) -> Path:
    """Replace a file's text, keeping what the file is: a symlink stays a link (its target is
    rewritten), hard links stay linked, owner and mode stay. Atomic (a new file renamed over the old)
    where that keeps all of it; written in place otherwise. A read-only file is refused. No temporary
    file is left behind, whatever fails. Returns the path written (the link's target)."""
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        raise WriteRefused("no such file") from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused("is not a regular file; not rewritten")
    root_bypass = os.geteuid() == 0 and not info.st_mode & 0o222  # root may write anything: ask the mode
    if root_bypass or not os.access(target, os.W_OK):
        raise WriteRefused("is read-only; not rewritten (make it writable first)")
    data = text.encode("utf-8", "surrogateescape")  # bytes read as not UTF-8 are written back as they were
    if info.st_nlink > 1 or not _replace_atomically(target, data, info):
        _write_in_place(target, data)
    return target


def _replace_atomically(target: Path, data: bytes, info: os.stat_result) -> bool:
    """Write a sibling file with the same owner and mode and rename it over ``target``. False when
    that cannot keep the owner, the directory takes no new file, or the rename cannot replace it
    (a bind-mounted file): the caller writes in place instead."""
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            os.chown(temporary, info.st_uid, info.st_gid)
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.replace(temporary, target)
        return True
    except PermissionError:
        _remove(temporary)
        return False  # the owner cannot be kept by a new file
    except OSError as err:
        _remove(temporary)
        if err.errno in (errno.EBUSY, errno.EXDEV):
            return False
        raise WriteRefused(f"cannot be replaced ({err.strerror or err}); left as it was") from None
    except BaseException:
        _remove(temporary)
        raise


def _write_in_place(target: Path, data: bytes) -> None:
    """Overwrite the file's own contents (its inode, so every hard link sees them); on a failure
    half-way the old text is put back."""
    old = read_bounded(target, max(MAX_DOCKERFILE_BYTES, len(data)))
    try:
        with target.open("r+b") as out:
            out.write(data)
            out.truncate()
            out.flush()
            os.fsync(out.fileno())
    except OSError as err:
        with contextlib.suppress(OSError), target.open("r+b") as out:
            out.write(old)
            out.truncate()
        raise WriteRefused(f"cannot be written ({err.strerror or err}); left as it was") from None


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
