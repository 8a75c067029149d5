"""The collector policy for large trees: full collections only where they free something."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from dockerfile_stages.lsp.memory import FROZEN_SLACK, LARGE_DOCUMENT_LINES, THRESHOLDS, GcPolicy, collector_paused


@contextmanager
def collections_started(generations: tuple[int, ...] = (0, 1, 2)) -> Iterator[list[int]]:
    """The generation of each collection that starts inside, of those asked for."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and info["generation"] in generations:
            seen.append(info["generation"])

    gc.callbacks.append(record)
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    previous = gc.get_threshold()
    GcPolicy().start()  # the collector as the server sets it
    with collections_started((2,)) as seen:
        yield seen
    gc.set_threshold(*previous)
    gc.unfreeze()


def test_closing_a_small_document_beside_a_large_one_collects_nothing(full_collections: list[int]) -> None:
    policy = GcPolicy()
    policy.opened(LARGE_DOCUMENT_LINES)
    per_open = len(full_collections)  # after the freeze, of what is left outside (cheap)
    assert policy.frozen and per_open == 1
    for _ in range(50):  # one refreeze each made 500 closes take minutes beside 10,000 lines
        policy.opened(3)
        policy.closed(3)
    assert len(full_collections) == per_open
    policy.closed(LARGE_DOCUMENT_LINES)  # what the large tree left can go: collected and refrozen
    assert len(full_collections) == per_open + 2


@pytest.fixture
def walked() -> Iterator[list[int]]:
    """The objects each full collection has to look at (those not frozen), recorded as it starts."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(len(gc.get_objects()))

    previous = gc.get_threshold()
    GcPolicy().start()
    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)
    gc.set_threshold(*previous)
    gc.unfreeze()


def test_opening_a_large_document_walks_neither_its_tree_nor_the_frozen_objects(walked: list[int]) -> None:
    """Each open unfroze everything and collected it before freezing again: the new tree and all
    that was frozen before (the server's own objects, other large documents), 50-65 ms at 6,666
    stages. Now the tree is frozen as it is, and the frozen objects stay frozen."""
    policy = GcPolicy()
    earlier = [[index] for index in range(200_000)]  # frozen before: another large document
    policy.refreeze()
    walked.clear()
    tree = [[index] for index in range(200_000)]  # read with the collector paused
    policy.opened(LARGE_DOCUMENT_LINES)
    assert walked and max(walked) < 100_000, walked  # 400,000 and more when either was walked
    assert gc.get_freeze_count() >= 400_000  # both frozen, so typing never walks them
    del earlier, tree


def test_a_large_close_that_left_nothing_frozen_walks_only_what_is_not_frozen(walked: list[int]) -> None:
    """Each large close refroze: a collection of everything still frozen (the server's own
    objects, ~25 ms), though the closed tree had gone by reference counting. Now it counts the
    frozen objects first, and collects only what is not frozen (which empties the free lists)."""
    policy = GcPolicy()
    earlier = [[index] for index in range(200_000)]  # frozen before: the server's own objects
    policy.refreeze()  # as after an earlier large close
    for _ in range(5):
        tree = [[index] for index in range(100_000)]  # an acyclic tree, as the documents' are
        policy.opened(LARGE_DOCUMENT_LINES)
        walked.clear()
        del tree  # the store lets it go: reference counting frees it, frozen or not
        policy.closed(LARGE_DOCUMENT_LINES)
        assert walked and max(walked) < 100_000, walked  # 200,000 and more when the frozen ones were walked
    del earlier


def test_a_large_close_refreezes_when_more_is_frozen_than_at_the_last_refreeze(full_collections: list[int]) -> None:
    """Frozen cycles (what an open froze that was garbage) are freed by a refreeze once they, or
    anything else frozen since, outgrow the slack: the frozen objects stay bounded."""
    policy = GcPolicy()
    policy.refreeze()
    _Node.freed = 0
    for _ in range(3):
        with collector_paused():  # as during an open: no young collection frees them first
            tree = _Node()
            tree.children = [_Node(tree) for _ in range(FROZEN_SLACK // 2)]  # garbage in cycles, once frozen
            del tree
            policy.opened(LARGE_DOCUMENT_LINES)
        full_collections.clear()
        policy.closed(LARGE_DOCUMENT_LINES)
    assert full_collections  # the third close found more than the slack frozen since
    assert _Node.freed >= FROZEN_SLACK


class _Node:
    """A stand-in for a small document's tree node: in a cycle with its parent, freed only by the collector."""

    freed = 0

    def __init__(self, parent: Any = None) -> None:
        self.parent = parent
        self.children: list[_Node] = []

    def __del__(self) -> None:
        _Node.freed += 1


def test_after_a_refreeze_the_collector_frees_old_cycles_by_itself(full_collections: list[int]) -> None:
    """The refreeze fix: a collection right after ``gc.freeze()``. Without it the collector still
    counts the frozen objects as its long-lived ones and waits for a quarter as many new long-lived
    ones before a full collection, so the cycles of small documents opened and closed beside a large
    one piled up (+0.8 MB over 2,000 open/close pairs)."""
    large = [[index] for index in range(400_000)]  # a large document's tree, frozen by the refreeze
    policy = GcPolicy()
    policy.refreeze()
    gc.collect(1)  # start from empty young generations
    _Node.freed = 0
    full_collections.clear()
    made = 0
    for _ in range(40):  # small documents: trees that live through a few collections, then are closed
        tree = _Node()
        tree.children = [_Node(tree) for _ in range(600)]
        made += 601
        # short-lived garbage while it is open: young collections run (at the server's thresholds), promoting the tree
        for _ in range(13 * THRESHOLDS[0]):
            churn: list[Any] = []
            churn.append(churn)
        del tree
    # only full collections free the closed trees (they were promoted to the old generation), and
    # their 24,000 objects are far below a quarter of the 400,000 frozen ones: 0 freed without the fix
    assert _Node.freed > made * 0.6
    assert full_collections
    del large


def test_an_answer_is_built_without_collections_and_the_collector_comes_back() -> None:
    with collector_paused():
        assert not gc.isenabled()
        churn: list[Any] = []
        churn.append(churn)  # garbage made inside is collected after, as usual
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a failing handler")
    assert gc.isenabled()
    gc.disable()  # paused by someone else: left so
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_a_large_open_is_answered_before_any_collection_then_frozen() -> None:
    """didOpen of a large file and the pull after it: no collection in between (turning the
    collector on after the analysis started a young collection of the whole new tree, about 10 ms
    at 10,000 lines, before the pull was answered); the freeze comes after, and the collector is on again."""
    from tests.fuzz.session import Session

    session = Session.start()
    await session.initialize(textDocument={"diagnostic": {}})
    text = "FROM alpine AS base\n" + "RUN echo hello\n" * LARGE_DOCUMENT_LINES
    uri = "file:///large/Dockerfile"
    pull = {"jsonrpc": "2.0", "id": 1, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": uri}}}
    try:
        with collections_started() as started:
            session.open(text, uri)
            session.send(pull)
            answered = session.take_answer(1)
            assert answered is not None and answered["result"]["kind"] == "full"
            assert started == []
            await asyncio.sleep(0.05)  # the event loop's next turns: the freeze
            assert started and session.server.gc_policy.frozen
            assert gc.isenabled()
    finally:
        session.close_server()
        gc.unfreeze()


async def test_closing_a_large_document_collects_after_its_tree_is_gone(walked: list[int]) -> None:
    """The refreeze after a large document's close ran while the closing handler still held it: it
    walked the whole tree (and froze it again) to find nothing, 70-85 ms at 6,666 stages. The tree
    has no cycles, so once nothing holds it reference counting frees it; the collection after walks
    what is still alive."""
    from ..fuzz.session import Session

    session = Session.start()
    try:
        await session.initialize()
        uri = "file:///memory/Dockerfile"
        await session.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})  # warm
        before_open = len(gc.get_objects()) + gc.get_freeze_count()
        session.open("RUN " + "FROM a AS b\n" * 6666 + "FROM x\n", uri)
        await session.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
        await asyncio.sleep(0)  # the loop's turn: the tree is frozen after the messages read
        assert session.server.gc_policy.frozen
        with_tree = len(gc.get_objects()) + gc.get_freeze_count()
        assert with_tree - before_open > 100_000  # the tree, its model and findings
        walked.clear()
        session.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        assert walked, "closing a large document refreezes"
        assert max(walked) < before_open + (with_tree - before_open) // 4, (before_open, with_tree, walked)
        await session.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    finally:
        session.close_server()


async def test_a_refused_request_leaves_the_document_to_reference_counting() -> None:
    """A refused rename raised an exception that pygls keeps in the request's future, in a cycle with
    the frames of its traceback, which held the analysis and its document: a closed document stayed
    alive until a full collection (on a large one, the refreeze after its close walked it all)."""
    from dockerfile_stages.syntax.document import Document

    from ..fuzz.session import Session

    session = Session.start()
    uri = "file:///refused/Dockerfile"
    text = "FROM alpine AS refused_rename_marker\nRUN echo\n"
    try:
        await session.initialize()
        gc.collect()
        gc.disable()  # only reference counting frees anything from here on
        session.open(text, uri)
        params = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 17}, "newName": "é"}
        answer = await session.request("textDocument/rename", params)
        assert answer["error"]["code"] == -32602  # refused on purpose: not a valid stage name
        session.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        alive = [item for item in gc.get_objects() if isinstance(item, Document) and item.text == text]
        assert alive == []
    finally:
        gc.enable()
        session.close_server()


def test_overlapping_holds_give_the_collector_back_after_the_last() -> None:
    """Two large files opened in one read: each holds the collector until its freeze."""
    policy = GcPolicy()
    first, second = policy.hold(), policy.hold()
    assert not gc.isenabled()
    first()
    first()  # released twice: counted once
    assert not gc.isenabled()
    second()
    assert gc.isenabled()
    gc.disable()  # held while someone else had it off: left off
    try:
        policy.hold()()
        assert not gc.isenabled()
    finally:
        gc.enable()
