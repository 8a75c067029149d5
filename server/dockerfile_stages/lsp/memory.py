"""Garbage collection for large trees.

A 50,000-line document is about a million long-lived objects; every full collection walks them
all (about 150 ms here), and during typing that shows up as a stalled keystroke. So a large
document's objects are frozen out of the collector's view (``gc.freeze``) once it is opened, and
what was frozen is collected again (a refreeze) when a large document is closed and every
``REFREEZE_EDITS`` edits (nodes replaced by edits stay frozen until then, which bounds what that
holds on to).

Opening freezes without a collection (``opened``): neither the new tree nor what was frozen before
is walked. What is frozen then and is garbage is what the open left in cycles and what had not been
collected yet: at most 409 objects (mean 16) over 300 fuzzer inputs; the next refreeze frees it.
Unfreezing and collecting everything there cost 50-65 ms on a file of 6,666 stages (two thirds of
its objects the new tree, the rest the server's own).

Closing a large document looks after its tree has gone: the tree holds no cycles, so reference
counting frees it (the collection that ran while the closing handler still held the document walked
it and froze it again: 70-85 ms at 6,666 stages). When what is still frozen is no more than what was
alive at the last refreeze plus ``FROZEN_SLACK`` objects (one ``gc.get_freeze_count()``, a walk of
the frozen list: 0.5 ms at 65,000 objects), only what is not frozen is collected (a few ms; a full
collection also empties the interpreter's free lists, without which RSS stayed ~7 MB higher); else
the close refreezes. Refreezing at every large close walked the server's own ~65,000 objects for
nothing (~18 ms after each large input of the fuzzers). Between refreezes the frozen objects so
never outgrow what was alive at the last one by more than the slack, whatever cycles they hold.
Closing a small document does not refreeze: its objects were never frozen (or are freed by
reference counting all the same), and a full collection per close made 500 closes beside a
10,000-line file take minutes.

While an answer is built the collector is paused (``collector_paused``): a large answer allocates
tens of thousands of JSON objects that form no cycles, and each 700 of them started a young
collection, each 70,000 a full one walking every live object not frozen (a 3,600-line document
is below the freezing size): documentSymbol there took 99 ms with the collector, 39 ms without.
It is paused too while an opened document is parsed and analysed for its first diagnostics (the
tree's objects set off full collections that walked them again and again: 11-20% of a didOpen's
CPU at 10,000 and 50,000 lines); for a large document it stays off (``hold``) until the tree is
frozen after those diagnostics are out: on again before, it would first walk the whole new tree in
a young collection.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import msgspec

REFREEZE_EDITS = 5000
# Frozen objects beyond those alive at the last refreeze that a large close leaves without a
# collection (what the opens froze that was garbage, what later edits left frozen): under 1 MB.
FROZEN_SLACK = 10_000
LARGE_DOCUMENT_LINES = 5000  # below this a full collection is quick: nothing to freeze
# The collector's thresholds in the server: a young generation of 10,000 objects instead of 700.
# An analysis of a large file makes hundreds of thousands of objects that live as long as its
# version (positions, definitions, findings); with the defaults a full collection of everything
# ran every 70,000 new objects, 24 of them for one file of 100,000 ARG names (a third of the CPU
# time of its requests). A young collection of 10,000 objects takes about 0.2 ms.
THRESHOLDS = (10_000, 10, 10)


class GcPolicy(msgspec.Struct):
    edits: int = 0
    frozen: bool = False  # tracked here: gc.get_freeze_count() walks every frozen object
    holds: int = 0  # ``hold`` calls not released yet
    enable_on_release: bool = False  # the collector was on at the first of them
    settled: int = -1  # gc.get_freeze_count() after the last refreeze (-1: none yet)

    def start(self) -> None:
        gc.set_threshold(*THRESHOLDS)

    def refreeze(self) -> None:
        """Everything collected again, the frozen objects too (replaced nodes, closed trees' cycles), and frozen."""
        gc.unfreeze()
        gc.collect()
        self._freeze()
        self.edits = 0
        self.settled = gc.get_freeze_count()

    def _freeze(self) -> None:
        gc.freeze()
        # Cheap (frozen objects are not looked at) and needed: until its next full collection the
        # collector counts the frozen objects as long-lived, and waits for a quarter as many new
        # ones before running one, so the cycles of closed small documents piled up.
        gc.collect()
        self.frozen = True

    def hold(self) -> Callable[[], None]:
        """No collections until every hold is released (by calling what this returns, once); then
        the collector is as it was at the first. Holds may overlap: two large files opened in
        one read of the input are released in turn."""
        if self.holds == 0:
            self.enable_on_release = gc.isenabled()
            gc.disable()
        self.holds += 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            self.holds -= 1
            if self.holds == 0 and self.enable_on_release:
                gc.enable()

        return release

    def freezes_on_open(self, line_count: int) -> bool:
        return line_count >= LARGE_DOCUMENT_LINES

    def opened(self, line_count: int) -> None:
        """After its first diagnostics: a large document's tree frozen as it is (no collection walks it)."""
        if self.freezes_on_open(line_count):
            self._freeze()

    def closed(self, line_count: int) -> None:
        """After the store let the document go (the caller holds no reference to it either)."""
        if not self.frozen or line_count < LARGE_DOCUMENT_LINES:
            return
        if self.settled >= 0 and gc.get_freeze_count() <= self.settled + FROZEN_SLACK:
            gc.collect()  # its tree went by reference counting, little else is frozen: the rest only
            return
        self.refreeze()  # frees what the closed document left in cycles, and the other frozen garbage

    def edited(self) -> None:
        if not self.frozen:
            return
        self.edits += 1
        if self.edits >= REFREEZE_EDITS:
            self.refreeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collections inside (what is allocated is counted, and collected after as usual)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
