"""Formatting that never changes what BuildKit reads.

What it does, and why each step is safe:

- Instruction keywords (and ONBUILD's inner keyword, and FROM's ``AS``) take one casing, the file's
  majority by default: BuildKit matches them case-insensitively.
- An instruction's first line starts at column 0: BuildKit ignores leading whitespace there.
- Continuation lines are indented by one ``indent``, except where the line starts inside a quoted
  string (there the whitespace is part of the value). Outside quotes the whitespace only separates
  words, which the shell and BuildKit's word splitting treat alike, however wide.
- Trailing whitespace goes, except before a continuation escape (it may be inside quotes).

Never touched: heredoc bodies and their terminators, parser directives, the inside of JSON and
shell arguments, blank lines inside a continuation.
"""

from __future__ import annotations

import msgspec

from dockerfile_stages.ide.format_options import FormatOptions as FormatOptions
from dockerfile_stages.ide.format_options import KeywordCase as KeywordCase
from dockerfile_stages.ide.syntax_completion import Casing, keyword_casing
from dockerfile_stages.rules.base import Edit
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Directive, Instruction, Pos, Span

_TRAILING = " \t"
# Instructions whose arguments BuildKit splits into words (or reads as JSON, or hands to a shell):
# the width of whitespace between words does not matter there. Elsewhere (USER, WORKDIR, the legacy
# ``ENV name value``...) the value is the rest of the line as written, whitespace included.
_WORD_SPLIT = frozenset(
    {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "EXPOSE", "FROM", "HEALTHCHECK", "RUN", "SHELL", "VOLUME"}
)
_KEY_VALUE = frozenset({"ENV", "LABEL"})


def format_edits(
    document: Document, options: FormatOptions, first_line: int = 0, last_line: int | None = None
) -> list[Edit]:
    """Edits that format the instructions overlapping ``first_line..last_line`` (all by default)."""
    last_line = document.line_count - 1 if last_line is None else last_line
    casing = _casing(document, options.keyword_case)
    edits: list[Edit] = []
    first = max(0, first_line)
    if first > last_line or first >= document.line_count:
        return []
    for start, node in document.nodes_from(first, last_line + 1):
        if isinstance(node, Instruction):
            edits += _instruction_edits(document, start, node, casing, options)
        elif not isinstance(node, Directive) and options.trim_trailing_whitespace:
            for index in range(start, start + node.line_count):
                edits += _trim(document, index)
    return [edit for edit in edits if first_line <= edit.span.start.line <= last_line]


def format_on_type(document: Document, line: int, options: FormatOptions) -> list[Edit]:
    """After a newline: indent the new line when it continues an instruction."""
    previous = document.line(line - 1) if line > 0 else ""
    if not previous.rstrip(_TRAILING).endswith(document.escape):
        return []
    start, node = document.node_at(line - 1)
    if not isinstance(node, Instruction):
        return []
    current = document.line(line)
    lead = len(current) - len(current.lstrip(_TRAILING))
    if _inside_quotes(document, start, node, line) or current[:lead] == options.indent:
        return []
    return [Edit(Span(Pos(line, 0), Pos(line, lead)), options.indent)]


def _casing(document: Document, case: KeywordCase) -> Casing | None:
    if case is KeywordCase.KEEP:
        return None
    if case is KeywordCase.UPPER:
        return Casing.UPPER
    if case is KeywordCase.LOWER:
        return Casing.LOWER
    return keyword_casing(document)


def _instruction_edits(
    document: Document, start: int, node: Instruction, casing: Casing | None, options: FormatOptions
) -> list[Edit]:
    edits: list[Edit] = []
    first = document.line(start)
    keyword = node.keyword_span.shifted(start)
    on_first_line = keyword.start.line == start  # not so after a line holding only an escape
    if on_first_line and keyword.start.col > 0 and first[: keyword.start.col].strip(_TRAILING + "\ufeff") == "":
        bom = 1 if start == 0 and first.startswith("\ufeff") else 0
        if keyword.start.col > bom:
            edits.append(Edit(Span(Pos(start, bom), keyword.start), ""))
    if casing is not None:
        edits += _keyword_case(node, start, casing)
    segments = node.segments
    continuation_end = start + (segments[0][1] if len(segments) == 1 else max(segment[1] for segment in segments))
    # an unbalanced quote leaves BuildKit (or the shell) reading to the end: touch nothing inside
    # (a one-line instruction has no line to indent: its quotes are not read)
    if continuation_end > start and _whitespace_free(node):
        states = _line_states(document, start, node, continuation_end + 1)
        if not states[-1].in_quotes:
            for line in range(start + 1, continuation_end + 1):
                edits += _indent(document, line, states[line - start], options.indent)
    if options.trim_trailing_whitespace:
        for line in range(start, continuation_end + 1):
            edits += _trim(document, line)
    return edits


def _keyword_case(node: Instruction, start: int, casing: Casing) -> list[Edit]:
    edits = []
    for target in (node, node.sub):
        if target is None:
            continue
        wanted = casing.apply(target.keyword)
        span = target.keyword_span
        if wanted != target.keyword and span.start.line == span.end.line:  # a keyword split by an escape stays
            edits.append(Edit(target.keyword_span.shifted(start), wanted))
    if node.cmd == "FROM":
        words = node.words
        if len(words) >= 3 and words[1].text.lower() == "as" and words[1].text != casing.apply("as"):
            edits.append(Edit(words[1].span.shifted(start), casing.apply("as")))
    return edits


def _whitespace_free(node: Instruction) -> bool:
    """The width of whitespace between words does not change what BuildKit reads."""
    if node.cmd in _WORD_SPLIT:
        return True
    legacy = node.cmd in _KEY_VALUE and len(node.value) == 3 and node.value[2] == ""
    return node.cmd in _KEY_VALUE and not legacy


class _LineState(msgspec.Struct, frozen=True):
    """How a physical line of an instruction starts."""

    in_quotes: bool  # inside a quoted string
    after_blank: bool  # the last code piece before it ends with whitespace (or there is none)


def _indent(document: Document, line: int, state: _LineState, indent: str) -> list[Edit]:
    text = document.line(line)
    body = text.lstrip(_TRAILING)
    if not body:
        return []  # blank lines inside a continuation are skipped by BuildKit: leave them
    lead = len(text) - len(body)
    if text[:lead] == indent:
        return []
    if not body.startswith("#"):
        if lead == 0 and not state.after_blank:
            return []  # the line continues a word: indenting it would split the word
        if state.in_quotes:
            return []
    return [Edit(Span(Pos(line, 0), Pos(line, lead)), indent)]


def _line_states(document: Document, start: int, node: Instruction, end: int) -> list[_LineState]:
    """The state at the start of each physical line ``start..end`` (``end`` included: the state
    after the last line before it), in one pass: asking each line from the top again was quadratic
    (20,000 continuation lines took minutes)."""
    quote = ""
    after_blank = True
    escape = document.escape
    quote_escape = "\\" if node.cmd in ("RUN", "CMD", "ENTRYPOINT", "SHELL", "HEALTHCHECK") else escape
    states = []
    for index in range(start, end + 1):
        states.append(_LineState(quote != "", after_blank))
        if index == end:
            break
        text = document.line(index)
        stripped = text.rstrip(_TRAILING)
        body = stripped.lstrip(_TRAILING)
        if index > start and body.startswith("#"):
            continue  # a comment inside a continuation is dropped by BuildKit
        quote = _quote_after(text, quote, quote_escape)
        piece = stripped[:-1] if stripped.endswith(escape) else text
        if body and piece:  # an empty piece joins nothing: the one before it decides
            after_blank = piece[-1] in _TRAILING
    return states


def _inside_quotes(document: Document, start: int, node: Instruction, line: int) -> bool:
    """Whether physical ``line`` of the instruction starts inside a quoted string."""
    return _line_states(document, start, node, line)[-1].in_quotes


def _quote_after(text: str, quote: str, escape: str) -> str:
    """The open quote (or "") at the end of ``text``, given the one open at its start."""
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if quote == "'":
            if ch == "'":
                quote = ""
        elif ch == escape and pos + 1 < len(text):
            pos += 1
        elif quote == '"':
            if ch == '"':
                quote = ""
        elif ch in "'\"":
            quote = ch
        pos += 1
    return quote


def _trim(document: Document, line: int) -> list[Edit]:
    text = document.line(line)
    stripped = text.rstrip(_TRAILING)
    if len(stripped) == len(text):
        return []
    return [Edit(Span(Pos(line, len(stripped)), Pos(line, len(text))), "")]
