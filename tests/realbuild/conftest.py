"""Collects each real build's figures and prints the table of sizes at the end of the run."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Row:
    name: str
    runner: str
    same: bool
    original: int | None  # bytes
    split: int | None

    @property
    def reduction(self) -> float | None:
        if not self.original or not self.split:
            return None
        return 1 - self.split / self.original


@dataclass
class Table:
    rows: list[Row]


_TABLE = pytest.StashKey[Table]()


@pytest.fixture
def size_table(request: pytest.FixtureRequest) -> Table:
    stash = request.config.stash
    if _TABLE not in stash:
        stash[_TABLE] = Table([])
    return stash[_TABLE]


def _mb(size: int | None) -> str:
    return f"{size / 1e6:9.1f}" if size is not None else "        -"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    table = config.stash.get(_TABLE, None)
    if table is None or not table.rows:
        return
    write = terminalreporter.write_line
    write("")
    write("real builds, single stage vs split (MB as the engine reports the image):")
    write(f"{'project':28} {'runner':36} {'single':>9} {'split':>9} {'smaller':>8}  same output")
    for row in sorted(table.rows, key=lambda r: r.name):
        reduction = f"{row.reduction * 100:7.1f}%" if row.reduction is not None else "       -"
        same = "yes" if row.same else "NO"
        write(f"{row.name:28} {row.runner:36} {_mb(row.original)} {_mb(row.split)} {reduction}  {same}")
    same = sum(1 for row in table.rows if row.same)
    reductions = [row.reduction for row in table.rows if row.reduction is not None and row.same]
    median = f"{statistics.median(reductions) * 100:.1f}%" if reductions else "-"
    write(f"same exit status and output: {same} of {len(table.rows)}; median size reduction (those): {median}")
