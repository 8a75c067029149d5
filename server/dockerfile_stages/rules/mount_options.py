"""Reading one ``RUN --mount=`` value the way BuildKit does (frontend/dockerfile/instructions)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from dockerfile_stages.model.catalog import MOUNT_TYPES, mount_type
from dockerfile_stages.rules.helpers import close_names, lazy_pattern

_GO_BOOL = frozenset({"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"})
_RAM_SIZE = lazy_pattern(r"\d+(\.\d+)* ?[kKmMgGtTpP]?[iI]?[bB]?")
_BARE_KEYS = ("readonly", "ro", "readwrite", "rw", "required")
_TYPE_ONLY = {"size": ("tmpfs",), "required": ("secret", "ssh"), "sharing": ("cache",)}
_FILE_INFO_TYPES = ("secret", "ssh", "cache")


def _fields(value: str) -> list[str]:
    if '"' not in value:
        return value.split(",")
    import csv  # rare (a quoted mount value): not imported at every start

    try:
        return next(csv.reader([value]))
    except (csv.Error, StopIteration):
        return value.split(",")


@cache
def _all_keys() -> tuple[tuple[str, ...], frozenset[str]]:
    """Every key some mount type takes, in the catalog's order (for suggestions) and as a set."""
    keys = ["type"]
    for kind in MOUNT_TYPES:
        for option in kind.options:
            keys += [name for name in option.names if name not in keys]
    return tuple(keys), frozenset(keys)


@lru_cache(maxsize=1024)
def mount_problems(value: str) -> tuple[str, ...]:
    """What BuildKit would refuse in this ``--mount`` value (nothing for a value it accepts).

    Remembered by value: a file repeats the same few mounts on most of its RUN lines, and reading
    one was a quarter of the instruction rules' time on a 10,000-line file."""
    return tuple(_problems(value))


def _problems(value: str) -> Iterator[str]:
    pairs = [(field.partition("=")[0].lower(), field.partition("=")) for field in _fields(value) if field]
    kind = "bind"
    for key, (_, eq, val) in pairs:
        if key == "type" and eq:
            if "$" in val:
                return
            if mount_type(val) is None:
                hint = close_names(val, [m.name for m in MOUNT_TYPES])
                yield f"unknown mount type '{val}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
                return
            kind = val.lower()
    keys, known = _all_keys()
    given: set[str] = set()
    for key, (_, eq, val) in pairs:
        given.add(key)
        if not eq:
            if key not in _BARE_KEYS:
                yield f"'{key}' needs a value (key=value)"
            elif key == "required" and kind not in _TYPE_ONLY["required"]:
                yield f"a {kind} mount takes no 'required'"
            continue
        if key not in known:
            hint = close_names(key, keys)
            yield f"unknown key '{key}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
            continue
        if key in _TYPE_ONLY and kind not in _TYPE_ONLY[key]:
            yield f"a {kind} mount takes no '{key}'"
            continue
        if key in ("mode", "uid", "gid") and kind not in _FILE_INFO_TYPES:
            yield f"a {kind} mount takes no '{key}'"
            continue
        if "$" in val:
            continue
        problem = _value_problem(key, val)
        if problem:
            yield problem
    if kind == "secret":
        if "from" in given:
            yield "a secret mount takes no 'from'"
        if not given & {"id", "target", "dst", "destination", "source", "src"}:
            yield "a secret mount needs an id, source or target"


def _value_problem(key: str, val: str) -> str | None:
    if key in ("readonly", "ro", "readwrite", "rw", "required") and val not in _GO_BOOL:
        return f"{key}={val} is not true or false"
    if key == "mode" and not re.fullmatch(r"[0-7]+", val):
        return f"mode={val} is not an octal mode"
    if key in ("uid", "gid") and not val.isdigit():
        return f"{key}={val} is not a number"
    if key == "size" and not _RAM_SIZE.fullmatch(val):
        return f"size={val} is not a size (e.g. 64m)"
    if key == "sharing" and val.lower() not in ("shared", "private", "locked"):
        return f"sharing={val} must be shared, private or locked"
    return None
