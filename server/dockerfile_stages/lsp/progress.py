"""Work-done progress for registry lookups, where the client supports it (``window.workDoneProgress``)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import msgspec
from lsprotocol import types

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


class _Lookup(msgspec.Struct):
    token: str
    reference: str
    begun: bool = False
    finished: bool = False


class LookupProgress(msgspec.Struct):
    server: StagesServer
    enabled: bool = False
    _active: dict[str, _Lookup] = msgspec.field(default_factory=dict)
    _tokens: Iterator[int] = msgspec.field(default_factory=lambda: itertools.count(1))

    def started(self, reference: str) -> None:
        if not self.enabled or reference in self._active:
            return
        lookup = _Lookup(f"dockerfile-stages/size/{next(self._tokens)}", reference)
        self._active[reference] = lookup
        self.server.work_done_progress.create(lookup.token, callback=lambda *args: self._begin(lookup))

    def finished(self, reference: str) -> None:
        lookup = self._active.pop(reference, None)
        if lookup is None:
            return
        lookup.finished = True
        if lookup.begun:
            self._end(lookup)

    def _begin(self, lookup: _Lookup, *args: Any) -> None:
        lookup.begun = True
        self.server.work_done_progress.begin(
            lookup.token,
            types.WorkDoneProgressBegin(title="Image size", message=f"looking up {lookup.reference}"),
        )
        if lookup.finished:
            self._end(lookup)

    def _end(self, lookup: _Lookup) -> None:
        self.server.work_done_progress.end(lookup.token, types.WorkDoneProgressEnd(message=f"{lookup.reference}: done"))
