"""What the server loads on threads after ``initialized`` waits for the first document's diagnostics:
the network clients' load (about 180 ms of CPU) took the GIL from the first didOpen's analysis."""

from __future__ import annotations

import asyncio

import pytest

from dockerfile_stages.lsp import server as lsp_server
from tests.fuzz.session import Session


async def test_background_loads_start_after_the_first_diagnostics() -> None:
    session = Session.start()
    try:
        await session.initialize()
        await asyncio.sleep(0.01)
        assert not session.server.background_loading  # not while the first document is analysed
        session.open("FROM alpine\nRUN true\n", "file:///first/Dockerfile")
        assert not session.server.background_loading
        await asyncio.sleep(0.01)  # the loop's next turn: the diagnostics are out
        assert session.server.background_loading
    finally:
        session.close_server()


async def test_background_loads_start_in_a_while_when_no_document_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lsp_server, "BACKGROUND_LOAD_DELAY_S", 0.02)
    session = Session.start()
    try:
        await session.initialize()
        assert not session.server.background_loading
        await asyncio.sleep(0.1)
        assert session.server.background_loading
    finally:
        session.close_server()


async def test_the_warm_up_reads_the_snapshot_before_the_first_hover() -> None:
    """The first image hover read the bundled snapshot (and cattrs made its converters) itself: 12 ms
    against 2.5 for the next ones. The warm-up does it on a thread; every request it names is one the
    server knows (else it would raise)."""
    from dockerfile_stages.sizes.snapshot import load_snapshot

    load_snapshot.cache_clear()
    session = Session.start()
    try:
        await session.initialize()
        session.server._warm_up()  # what load_in_background runs on its thread
        assert load_snapshot.cache_info().currsize == 1
        protocol = session.server.protocol
        assert all(protocol.get_message_type(method) is not None for method in lsp_server.WARMED_REQUESTS)
    finally:
        session.close_server()
