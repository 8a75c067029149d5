"""The didChange read without cattrs equals cattrs's reading, and anything else is left to cattrs."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygls.protocol import LanguageServerProtocol

from dockerfile_stages.lsp.server import build_server
from dockerfile_stages.lsp.sync import structure_did_change


def _message(changes: list[Any], version: Any = 3) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": "file:///w/Dockerfile", "version": version}, "contentChanges": changes},
    }


def _partial(line: int, character: int, text: str, **extra: Any) -> dict[str, Any]:
    position = {"line": line, "character": character}
    return {"range": {"start": position, "end": dict(position)}, "text": text, **extra}


PROTOCOL = build_server().protocol
_positions = st.fixed_dictionaries({"line": st.integers(0, 2**31 - 1), "character": st.integers(0, 2**31 - 1)})
_changes = st.one_of(
    st.fixed_dictionaries({"text": st.text()}),
    st.fixed_dictionaries(
        {"range": st.fixed_dictionaries({"start": _positions, "end": _positions}), "text": st.text()},
        optional={"rangeLength": st.integers(0, 1000)},
    ),
)


@given(st.lists(_changes, max_size=4), st.integers(-(2**31), 2**31 - 1))
@settings(max_examples=200, deadline=None)
def test_equal_to_what_cattrs_reads(changes: list[dict[str, Any]], version: int) -> None:
    message = _message(changes, version)
    expected = LanguageServerProtocol.structure_message(PROTOCOL, copy.deepcopy(message))  # pygls's own
    assert structure_did_change(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        _message([_partial(1, 2, "x")], version=True),
        _message([_partial(1, 2, "x")], version=1.0),
        _message([_partial(-1, 2, "x")]),
        _message([_partial(1, 2, 3)]),
        _message([_partial(1, 2, "x", extra=1)]),
        _message([{"range": {"start": {"line": 0}, "end": {"line": 0, "character": 0}}, "text": ""}]),
        _message("not a list"),  # type: ignore[arg-type]
        {**_message([]), "jsonrpc": "1.0"},
        {**_message([]), "params": None},
    ],
)
def test_other_shapes_are_left_to_cattrs(message: dict[str, Any]) -> None:
    assert structure_did_change(message) is None
