"""What the server loads on threads after ``initialized`` waits for the first document's diagnostics:
the network clients' load (about 180 ms of CPU) took the GIL from the first didOpen's analysis."""

from __future__ import annotations

import asyncio

import pytest

from dockerfile_stages.lsp import server as lsp_server
from tests.fuzz.session import Session


async def test_network_clients_load_after_the_first_diagnostics() -> None:
    session = Session.start()
    try:
        await session.initialize()
        await asyncio.sleep(0.01)
        assert not session.server.network_clients_loading  # not while the first document is analysed
        session.open("FROM alpine\nRUN true\n", "file:///first/Dockerfile")
        assert not session.server.network_clients_loading
        await asyncio.sleep(0.01)  # the loop's next turn: the diagnostics are out
        assert session.server.network_clients_loading
    finally:
        session.close_server()


async def test_network_clients_load_in_a_while_when_no_document_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lsp_server, "BACKGROUND_LOAD_DELAY_S", 0.02)
    session = Session.start()
    try:
        await session.initialize()
        assert not session.server.network_clients_loading
        await asyncio.sleep(0.1)
        assert session.server.network_clients_loading
    finally:
        session.close_server()
