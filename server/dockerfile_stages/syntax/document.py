"""An open document: its lines and its tree, kept up to date edit by edit.

An edit replaces the lines it touches (a slice of the line list, never a split or join of the
whole text) and reparses from the node before the first touched line until the new parse meets an
old node boundary again; every other node is reused as it is. Nodes live in chunks of about
``CHUNK`` nodes, so finding a node and renumbering the lines after an edit cost one step per chunk,
not one per node, and per-chunk caches (``select``) survive edits elsewhere.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import TypeVar, cast

import msgspec

from dockerfile_stages.syntax.nodes import Directive, Node
from dockerfile_stages.syntax.parser import content_end, parse_lines, parse_node, split_lines
from dockerfile_stages.syntax.positions import Encoding, LineUnits

CHUNK = 64
UNIT_TABLES = 256  # non-ASCII lines whose column tables are kept (see ``positions``)
T = TypeVar("T")


class Chunk(msgspec.Struct, eq=False):
    """About ``CHUNK`` consecutive nodes. Compared and hashed by identity: an edit never changes a
    chunk, it replaces the chunks it touches (and the one holding the first node after the new
    text, whose node above changed) with new ones, so a chunk seen before holds the same nodes."""

    nodes: list[Node]
    line_count: int
    cache: dict[str, list[tuple[int, object]]] = msgspec.field(default_factory=dict)
    _offsets: list[int] | None = None

    @property
    def offsets(self) -> list[int]:
        """The first line of each node, relative to the chunk."""
        if self._offsets is None:
            self._offsets = [0, *accumulate(node.line_count for node in self.nodes)][:-1]
        return self._offsets


def _chunked(nodes: list[Node]) -> list[Chunk]:
    chunks = []
    for first in range(0, len(nodes), CHUNK):
        part = nodes[first : first + CHUNK]
        chunks.append(Chunk(part, sum(node.line_count for node in part)))
    return chunks


Snapshot = tuple[tuple[int, Chunk], ...]  # (first line, chunk) of every chunk, in order


class _Selection:
    """One ``select`` key's values, chunk by chunk, kept in step with the chunks edit by edit."""

    __slots__ = ("entries", "missing", "renumber_from", "result")

    def __init__(self, entries: list[tuple[int, list[tuple[int, object]]] | None], renumber_from: int) -> None:
        self.entries = entries  # (first line, values) per chunk; None: to be picked
        self.missing = [index for index, entry in enumerate(entries) if entry is None]
        self.renumber_from = len(entries) if renumber_from < 0 else renumber_from  # first lines stale from here
        self.result: list[tuple[int, list[tuple[int, object]]]] | None = None  # a copy of ``entries``, all filled in

    def replaced(self, first: int, removed: int, added: int, renumber: bool) -> None:
        """Chunks ``first..first+removed-1`` were replaced by ``added`` new ones; ``renumber``: the
        line count changed, so the chunks after them start on other lines."""
        self.entries[first : first + removed] = [None] * added
        moved = added - removed
        self.missing = (
            [index for index in self.missing if index < first]
            + list(range(first, first + added))
            + [index + moved for index in self.missing if index >= first + removed]
        )
        stale = self.renumber_from + moved if self.renumber_from >= first + removed else self.renumber_from
        self.renumber_from = min(stale, first + added) if renumber else stale
        self.result = None


def changed_lines(before: Snapshot, after: Snapshot, *, by_value: bool = False) -> tuple[int, int, int] | None:
    """What differs between two snapshots of a document: ``(first, last, delta)``, where lines
    ``first..last`` of ``after`` may hold other nodes than ``before`` had, every other line holds the
    very same node, and ``delta`` is how many lines were added (negative: removed). None: no change.

    ``by_value``: nodes that compare equal count as the same (a comment whose text changed is then
    no change: for what reads nodes only, never the text of the lines).
    """
    same = min(len(before), len(after))
    head = 0
    while head < same and before[head] == after[head]:
        head += 1
    if head == len(before) == len(after):
        return None
    tail = 0
    while tail < same - head and before[-1 - tail][1] is after[-1 - tail][1]:
        tail += 1
    old_lines = _end_line(before)
    new_lines = _end_line(after)
    if by_value:
        return _changed_nodes(before[head : len(before) - tail], after[head : len(after) - tail], new_lines - old_lines)
    first = after[head][0] if head < len(after) else new_lines
    if len(after) - tail > head:
        start, chunk = after[-1 - tail]
        last = start + chunk.line_count - 1
    else:
        last = first - 1  # only removed: nothing in ``after`` is new
    return first, last, new_lines - old_lines


def _changed_nodes(before: Snapshot, after: Snapshot, delta: int) -> tuple[int, int, int] | None:
    """``changed_lines`` of the chunks that differ, node by node and by value."""
    old = [
        (start + offset, node)
        for start, chunk in before
        for offset, node in zip(chunk.offsets, chunk.nodes, strict=True)
    ]
    new = [
        (start + offset, node)
        for start, chunk in after
        for offset, node in zip(chunk.offsets, chunk.nodes, strict=True)
    ]
    same = min(len(old), len(new))
    head = 0
    while head < same and old[head][0] == new[head][0] and _equal(old[head][1], new[head][1]):
        head += 1
    if head == len(old) == len(new):
        return None
    tail = 0
    while (
        tail < same - head
        and old[-1 - tail][0] + delta == new[-1 - tail][0]
        and _equal(old[-1 - tail][1], new[-1 - tail][1])
    ):
        tail += 1
    if head < len(new):
        first = new[head][0]
    else:
        first = new[-1][0] + new[-1][1].line_count if new else (after[0][0] if after else 0)
    if len(new) - tail > head:
        line, node = new[-1 - tail]
        last = line + node.line_count - 1
    else:
        last = first - 1
    return first, last, delta


def _equal(node: Node, other: Node) -> bool:
    return node is other or node == other


def _end_line(snapshot: Snapshot) -> int:
    if not snapshot:
        return 0
    start, chunk = snapshot[-1]
    return start + chunk.line_count


class Document:
    """Text plus tree. Positions given to it are in ``encoding`` units (LSP's default is UTF-16)."""

    def __init__(self, text: str = "", encoding: Encoding = "utf-16") -> None:
        self.encoding: Encoding = encoding
        self.version = 0
        self._lines: list[str] = split_lines(text)
        self.escape = "\\"
        self._directive_count = 0
        self._chunks: list[Chunk] = []
        self._starts: list[int] = []
        self._unit_tables: dict[str, LineUnits] = {}  # by the line's text, terminator included
        self._selections: dict[str, _Selection] = {}  # ``select_chunks`` results, by key
        self._reparse_all()

    # -- reading -------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return "".join(self._lines)

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def line(self, index: int) -> str:
        """Physical line ``index`` without its terminator ("" past the end)."""
        if 0 <= index < len(self._lines):
            return self._lines[index].rstrip("\r\n")
        return ""

    def line_length(self, index: int) -> int:
        """The length of physical line ``index`` without its terminator (0 past the end), without copying it."""
        return self._length(index) if 0 <= index < len(self._lines) else 0

    def is_ascii(self, index: int) -> bool:
        """Whether line ``index`` is ASCII (its columns are the same in every encoding), without copying it."""
        return self._lines[index].isascii() if 0 <= index < len(self._lines) else True

    def line_ending(self, index: int) -> str:
        """The terminator of line ``index`` ("\n", "\r\n" or "" for the last line)."""
        line = self._lines[index] if 0 <= index < len(self._lines) else ""
        return line[len(line.rstrip("\r\n")) :]

    def nodes(self) -> Iterator[tuple[int, Node]]:
        """Every node with its first line, in order; together they cover every line."""
        for chunk, start in zip(self._chunks, self._starts, strict=True):
            line = start
            for node in chunk.nodes:
                yield line, node
                line += node.line_count

    def nodes_from(self, line: int, stop: int | None = None) -> Iterator[tuple[int, Node]]:
        """The nodes from the one covering ``line`` on, with their first lines, up to (not
        including) the first node starting at or after ``stop``: one bisect, then chunk by chunk."""
        if not self._lines:
            return
        chunk_index, pos, start = self._locate(max(0, min(line, len(self._lines) - 1)))
        end = len(self._lines) if stop is None else stop
        chunks, starts = self._chunks, self._starts
        while chunk_index < len(chunks):
            nodes = chunks[chunk_index].nodes
            while pos < len(nodes):
                if start >= end:
                    return
                node = nodes[pos]
                yield start, node
                start += node.line_count
                pos += 1
            chunk_index, pos = chunk_index + 1, 0
            if chunk_index < len(chunks):
                start = starts[chunk_index]

    def chunks(self) -> Iterator[tuple[int, Chunk]]:
        """Every chunk with its first line, in order (for caches kept per chunk: see ``Chunk``)."""
        return zip(self._starts, self._chunks, strict=True)

    def snapshot(self) -> Snapshot:
        """The chunks as they are now, for ``changed_lines`` after later edits."""
        return tuple(zip(self._starts, self._chunks, strict=True))

    def node_at(self, line: int) -> tuple[int, Node]:
        """The node covering ``line`` (clamped to the document) and its first line."""
        chunk_index, pos, start = self._locate(max(0, min(line, len(self._lines) - 1)))
        return start, self._chunks[chunk_index].nodes[pos]

    def select_chunks(self, key: str, pick: Callable[[Node], T | None]) -> list[tuple[int, list[tuple[int, T]]]]:
        """Like ``select``, chunk by chunk: ``(chunk's first line, [(offset in chunk, value)])`` for
        every chunk (the list is empty where ``pick`` gave nothing).

        A chunk the edits did not touch returns the very same list object as before, so a caller
        can tell in one step per chunk that nothing it depends on changed. After an edit only the
        chunks it replaced are picked again (and, when lines were added or removed, the first lines
        of those after them renumbered), so asking costs one step per changed chunk, not per chunk;
        while nothing changed, the very same result list is handed back (callers do not mutate it).
        """
        selection = self._selections.get(key)
        if selection is None:
            selection = self._selections[key] = _Selection([None] * len(self._chunks), -1)
        elif selection.result is not None:
            return cast(list[tuple[int, list[tuple[int, T]]]], selection.result)
        entries, chunks, starts = selection.entries, self._chunks, self._starts
        for index in selection.missing:
            chunk = chunks[index]
            found = chunk.cache.get(key)
            if found is None:
                found = []
                line = 0
                for node in chunk.nodes:
                    picked = pick(node)
                    if picked is not None:
                        found.append((line, picked))
                    line += node.line_count
                chunk.cache[key] = found
            entries[index] = (starts[index], found)
        if selection.renumber_from < len(entries):  # every entry is filled in by now
            at = selection.renumber_from
            entries[at:] = [
                (start, cast(tuple[int, list[tuple[int, object]]], entry)[1])
                for start, entry in zip(starts[at:], entries[at:], strict=True)
            ]
        selection.missing, selection.renumber_from = [], len(entries)
        # A copy: ``entries`` changes in place at the next edit, a result handed out never does.
        selection.result = cast(list[tuple[int, list[tuple[int, object]]]], entries.copy())
        return cast(list[tuple[int, list[tuple[int, T]]]], selection.result)

    def select(self, key: str, pick: Callable[[Node], T | None]) -> Iterator[tuple[int, T]]:
        """``(first line, pick(node))`` for every node where ``pick`` gives something.

        Results are cached per chunk under ``key``, so asking again after an edit re-runs ``pick``
        only on the chunks the edit touched. ``key`` must name one ``pick`` function.
        """
        for start, found in self.select_chunks(key, pick):
            for offset, value in found:
                yield start + offset, value

    # -- positions -----------------------------------------------------------------------------

    def to_index(self, line: int, character: int) -> tuple[int, int]:
        """A client position to (line, code-point column), clamped into the document."""
        if line < 0:
            return 0, 0
        if line >= len(self._lines):
            last = len(self._lines) - 1
            return last, self._length(last)
        units = self._units(line)
        if units is None:
            return line, max(0, min(character, self._length(line)))
        return line, units.to_code_points(character)

    def to_character(self, line: int, column: int) -> int:
        """A code-point column on ``line`` to the client's units."""
        if not 0 <= line < len(self._lines):
            return 0
        units = self._units(line)
        if units is None:
            return max(0, min(column, self._length(line)))
        return units.to_units(column)

    def _length(self, index: int) -> int:
        """The length of line ``index`` without its terminator, without copying the line."""
        raw = self._lines[index]
        end = len(raw)
        while end and raw[end - 1] in "\r\n":
            end -= 1
        return end

    def _units(self, index: int) -> LineUnits | None:
        """The column table of line ``index``; None where columns need no conversion."""
        raw = self._lines[index]
        if self.encoding == "utf-32" or raw.isascii():
            return None
        units = self._unit_tables.get(raw)
        if units is None:
            if len(self._unit_tables) >= UNIT_TABLES:
                self._unit_tables.clear()
            units = self._unit_tables[raw] = LineUnits.of(raw.rstrip("\r\n"), self.encoding)
        return units

    # -- editing -------------------------------------------------------------------------------

    def set_text(self, text: str) -> None:
        self._lines = split_lines(text)
        self.version += 1
        self._reparse_all()

    def apply_change(self, start_line: int, start_char: int, end_line: int, end_char: int, text: str) -> None:
        """Replace the range (in client units) with ``text`` and update the tree incrementally."""
        start = self.to_index(start_line, start_char)
        end = self.to_index(end_line, end_char)
        if end < start:
            start, end = end, start
        (first, first_col), (last, last_col) = start, end
        prefix = self._lines[first][:first_col]
        suffix = (
            self._lines[last][last_col:]
            if last_col < len(self.line(last))
            else self._lines[last][len(self.line(last)) :]
        )
        replacement = split_lines(prefix + text + suffix)
        if last < len(self._lines) - 1:
            replacement.pop()  # the "" after the "\n" that ends ``suffix``: the next line follows
        self._lines[first : last + 1] = replacement
        self.version += 1
        if first <= self._directive_count:
            self._reparse_all()  # a directive may have changed the escape token
        else:
            self._reparse_range(first, last, len(replacement) - (last - first + 1))

    def _reparse_all(self) -> None:
        nodes, self.escape = parse_lines(self._lines)
        count = 0  # the directives are the first nodes, and only they can be
        while count < len(nodes) and isinstance(nodes[count], Directive):
            count += 1
        self._directive_count = count
        self._chunks = _chunked(nodes)
        self._selections = {}
        self._restart()

    def _restart(self) -> None:
        self._starts = [0, *accumulate(chunk.line_count for chunk in self._chunks)][:-1]

    def _reparse_range(self, first: int, last: int, delta: int) -> None:
        """Lines ``first..last`` (old numbering) were replaced, changing the line count by ``delta``."""
        chunk_index, pos, line = self._locate(first)
        # Start one node early: an instruction left open at the end of the file (a continuation
        # or an unterminated heredoc) may now take in lines that follow it.
        if pos > 0:
            pos -= 1
            line -= self._chunks[chunk_index].nodes[pos].line_count
        elif chunk_index > 0:
            chunk_index -= 1
            pos = len(self._chunks[chunk_index].nodes) - 1
            line -= self._chunks[chunk_index].nodes[pos].line_count
        if isinstance(self._chunks[chunk_index].nodes[pos], Directive):
            line += 1
            pos += 1  # directives are never reparsed here (an edit near them reparses all)

        total = len(self._lines)
        end = content_end(self._lines)
        changed_end = last + 1 + delta  # the first line after the new text, new numbering
        old_chunk, old_pos, old_line = chunk_index, pos, line  # old nodes, old numbering
        new_nodes: list[Node] = []
        current = line
        while current < total:
            if current >= changed_end:
                while old_chunk < len(self._chunks):
                    old_nodes = self._chunks[old_chunk].nodes
                    if old_pos >= len(old_nodes):
                        old_chunk, old_pos = old_chunk + 1, 0
                        continue
                    if old_line > last and old_line + delta >= current:
                        break
                    old_line += old_nodes[old_pos].line_count
                    old_pos += 1
                if old_chunk < len(self._chunks) and old_line + delta == current:
                    break  # the new parse meets an old boundary: reuse everything from here
            node = parse_node(self._lines, current, self.escape, end)
            new_nodes.append(node)
            current += node.line_count
        else:
            old_chunk, old_pos = len(self._chunks), 0
        self._splice(chunk_index, pos, old_chunk, old_pos, new_nodes)

    def _locate(self, line: int) -> tuple[int, int, int]:
        """(chunk index, index in chunk, first line) of the node covering ``line``."""
        chunk_index = max(bisect_right(self._starts, line) - 1, 0)
        chunk = self._chunks[chunk_index]
        offsets = chunk.offsets
        pos = max(bisect_right(offsets, line - self._starts[chunk_index]) - 1, 0)
        return chunk_index, pos, self._starts[chunk_index] + offsets[pos]

    def last_line_of_node_before(self, line: int, keep: Callable[[Node], bool]) -> int | None:
        """The last line of the last node starting before ``line`` for which ``keep`` is true."""
        if line <= 0:
            return None
        chunk_index, pos, _ = self._locate(line - 1)
        while chunk_index >= 0:
            chunk = self._chunks[chunk_index]
            while pos >= 0:
                node = chunk.nodes[pos]
                if keep(node):
                    return self._starts[chunk_index] + chunk.offsets[pos] + node.line_count - 1
                pos -= 1
            chunk_index -= 1
            pos = len(self._chunks[chunk_index].nodes) - 1 if chunk_index >= 0 else -1
        return None

    def _splice(self, chunk_from: int, pos_from: int, chunk_to: int, pos_to: int, new_nodes: list[Node]) -> None:
        head = self._chunks[chunk_from].nodes[:pos_from]
        tail: list[Node] = []
        if chunk_to < len(self._chunks):
            tail = self._chunks[chunk_to].nodes[pos_to:]
        merged = head + new_nodes + tail
        replaced_to = min(chunk_to, len(self._chunks) - 1)
        replaced = _chunked(merged) if merged else []
        old_lines = sum(chunk.line_count for chunk in self._chunks[chunk_from : replaced_to + 1])
        renumber = sum(chunk.line_count for chunk in replaced) != old_lines
        self._chunks[chunk_from : replaced_to + 1] = replaced
        for selection in self._selections.values():
            selection.replaced(chunk_from, replaced_to + 1 - chunk_from, len(replaced), renumber)
        if renumber:
            self._restart()
        else:  # the chunks after start where they did: number only the new ones
            first = self._starts[chunk_from]
            starts = list(accumulate((chunk.line_count for chunk in replaced[:-1]), initial=first)) if replaced else []
            self._starts[chunk_from : replaced_to + 1] = starts

    def tree_nodes(self) -> list[Node]:
        """All nodes as a flat list (for tests comparing incremental and fresh parses)."""
        return [node for chunk in self._chunks for node in chunk.nodes]
