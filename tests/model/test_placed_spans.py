"""``model.stages._placed`` (a stage's and a reference's ranges made at once) is the general path:
``logical_span(...).shifted(line)``, on one-line and continued instructions alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dockerfile_stages.model.stages import _placed
from dockerfile_stages.syntax.nodes import logical_span


@st.composite
def segments(draw: st.DrawFn) -> tuple[tuple[int, int, int], ...]:
    """Pieces of a logical line: (offset, physical line, column), offsets and lines increasing."""
    count = draw(st.integers(1, 4))
    found, offset = [], 0
    for line in range(count):
        found.append((offset, line, draw(st.integers(0, 8) if line == 0 else st.integers(0, 3))))
        offset += draw(st.integers(1, 20))
    return tuple(found)


@given(segments(), st.integers(0, 90), st.integers(0, 90), st.integers(0, 10_000))
def test_placed_is_the_logical_span_shifted(
    pieces: tuple[tuple[int, int, int], ...], start: int, end: int, line: int
) -> None:
    assert _placed(pieces, start, end, line) == logical_span(pieces, start, end).shifted(line)
