"""Semantic tokens: keywords, flags and their values, stage names (declaration or reference),
image references, variables (declaration or use), strings, comments, directives, heredoc markers.

Each instruction's tokens are computed once and cached per chunk of the document, so a full
request after an edit recomputes only the edited chunk; a range request walks only the nodes in
the range. Tokens are single-line and never overlap, as clients expect.
"""

from __future__ import annotations

import re
from enum import Enum

import msgspec

from dockerfile_stages.model.stages import RefKind, StageModel, mount_fields
from dockerfile_stages.model.variables import node_variable_spans
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Directive, Flag, Instruction, Node, Pos, Span, Trivia, Word, logical_pos


class TokenType(Enum):
    """In legend order (the index is what the protocol sends)."""

    KEYWORD = "keyword"
    PARAMETER = "parameter"  # a flag's name
    PROPERTY = "property"  # a --mount option's key
    STRING = "string"  # flag values, quoted strings
    CLASS = "class"  # a stage name
    TYPE = "type"  # an image reference
    VARIABLE = "variable"
    COMMENT = "comment"
    MACRO = "macro"  # a parser directive
    OPERATOR = "operator"  # heredoc markers and terminators
    NUMBER = "number"  # EXPOSE ports


class TokenModifier(Enum):
    DECLARATION = "declaration"


TOKEN_TYPES = [token.value for token in TokenType]
TOKEN_MODIFIERS = [modifier.value for modifier in TokenModifier]
_INDEX = {token: index for index, token in enumerate(TokenType)}
# The legend indexes as plain ints: hashing an enum member (``_INDEX[TokenType.KEYWORD]``) is a
# Python-level call, and a file of 10,000 lines has some 20,000 tokens.
_T_KEYWORD, _T_PARAMETER, _T_PROPERTY = (
    _INDEX[TokenType.KEYWORD],
    _INDEX[TokenType.PARAMETER],
    _INDEX[TokenType.PROPERTY],
)
_T_STRING, _T_CLASS, _T_VARIABLE = _INDEX[TokenType.STRING], _INDEX[TokenType.CLASS], _INDEX[TokenType.VARIABLE]
_T_MACRO, _T_OPERATOR, _T_NUMBER = _INDEX[TokenType.MACRO], _INDEX[TokenType.OPERATOR], _INDEX[TokenType.NUMBER]
_DECLARATION = 1
_STAGE_OR_IMAGE = -1  # resolved against the stage model when encoding
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_HEREDOC = re.compile(r"\d*<<-?[\"']?[A-Za-z_][A-Za-z0-9_]*[\"']?")
_PORT = re.compile(r"\d+(?:-\d+)?(?:/\w+)?")

# (relative line, column, length, type index or _STAGE_OR_IMAGE, modifiers)
_Raw = tuple[int, int, int, int, int]


class _NodeTokens(msgspec.Struct, frozen=True):
    tokens: tuple[_Raw, ...]
    refs: tuple[tuple[int, str], ...]  # for _STAGE_OR_IMAGE tokens (by position in ``tokens``): the text
    gaps: tuple[int, ...] = ()  # lines (relative) a continuation skips: comments or blank
    comment: bool = False  # a comment line (its text is read from the document)


_COMMENT_LINE = _NodeTokens((), (), comment=True)


def _add(found: list[_Raw], span: Span, kind: int, modifiers: int = 0) -> None:
    (start_line, start_col), (end_line, end_col) = span
    if start_line != end_line or end_col <= start_col:
        return  # a token may not span lines; empty ones mean nothing
    found.append((start_line, start_col, end_col - start_col, kind, modifiers))


def _add_word(found: list[_Raw], word: Word, kind: int, modifiers: int = 0) -> None:
    """``_add`` of the word's span, without making it where the instruction is one physical line."""
    segments = word.segments
    if len(segments) != 1:
        _add(found, word.span, kind, modifiers)
    elif word.end > word.start:
        _, line, col = segments[0]
        found.append((line, col + word.start, word.end - word.start, kind, modifiers))


def _word_start(word: Word) -> tuple[int, int]:
    """Where the word starts (line relative to its instruction, column), without making its span
    where the instruction is one physical line."""
    segments = word.segments
    if len(segments) == 1:
        _, line, col = segments[0]
        return line, col + word.start
    start = word.span.start
    return start.line, start.col


def _instruction_tokens(node: Instruction, escape: str) -> _NodeTokens:
    found: list[_Raw] = []
    refs: list[tuple[int, str]] = []
    for target in (node, node.sub):
        if target is None:
            continue
        _add(found, target.keyword_span, _T_KEYWORD)
        for flag in target.flags:
            _flag_tokens(found, refs, target, flag)
        _argument_tokens(found, refs, target)
    definitions, uses = node_variable_spans(node, escape)
    for span in definitions:
        _add(found, span, _T_VARIABLE, _DECLARATION)
    for span in uses:
        _add(found, span, _T_VARIABLE)
    for heredoc in node.heredocs:
        end = heredoc.span.end
        if heredoc.terminated:
            _add(found, Span(Pos(end.line, 0), end), _T_OPERATOR)
    flat = _flatten(found, refs)
    if len(node.segments) > 1:
        pieces = {segment[1] for segment in node.segments}
        gaps = tuple(offset for offset in range(1, max(pieces)) if offset not in pieces)
        if gaps:
            return _NodeTokens(flat.tokens, flat.refs, gaps)
    return flat


def _flatten(found: list[_Raw], refs: list[tuple[int, str]]) -> _NodeTokens:
    """Sort and remove overlaps: a token inside another (a variable inside a flag value) cuts it."""
    if _in_order(found):  # most instructions: keyword, flags, arguments, each after the last
        count = len(found)  # a reference to an empty token (``--from=``) points past the end: dropped
        return _NodeTokens(tuple(found), tuple(ref for ref in refs if ref[0] < count) if refs else ())
    ref_text = dict(refs)
    ordered = sorted(range(len(found)), key=lambda i: (found[i][0], found[i][1], -found[i][2]))
    kept: list[_Raw] = []
    kept_ref: list[str | None] = []
    for index in ordered:
        line, col, length, kind, mods = found[index]
        if kept:
            p_line, p_col, p_length, p_kind, p_mods = kept[-1]
            p_end = p_col + p_length
            if p_line == line and col < p_end:
                if col + length > p_end:
                    continue  # crosses the previous token's end: keep the first
                kept[-1] = (p_line, p_col, col - p_col, p_kind, p_mods)
                if col == p_col:
                    kept.pop()
                    kept_ref.pop()
                kept.append((line, col, length, kind, mods))
                kept_ref.append(ref_text.get(index))
                if col + length < p_end:
                    kept.append((line, col + length, p_end - col - length, p_kind, p_mods))
                    kept_ref.append(None)
                continue
        kept.append((line, col, length, kind, mods))
        kept_ref.append(ref_text.get(index))
    return _NodeTokens(tuple(kept), tuple((i, text) for i, text in enumerate(kept_ref) if text is not None))


def _in_order(found: list[_Raw]) -> bool:
    """Whether the tokens are sorted as ``_flatten`` sorts them and none overlaps the one before."""
    line = end = -1
    for token_line, col, length, _, _ in found:
        if token_line != line:
            if token_line < line:
                return False
            line = token_line
        elif col < end:
            return False
        end = col + length
    return True


def _flag_tokens(found: list[_Raw], refs: list[tuple[int, str]], node: Instruction, flag: Flag) -> None:
    _add(found, Span(logical_pos(flag.segments, flag.start), flag.name_span.end), _T_PARAMETER)
    value_span = flag.value_span
    if value_span is None or flag.value is None:
        return
    name = flag.name.lower()
    if name == "from":
        refs.append((len(found), flag.value))
        _add(found, value_span, _STAGE_OR_IMAGE)
    elif name == "mount":
        for field in mount_fields(flag):
            field_span = field.span
            if field_span.start.line != field_span.end.line or field_span == value_span:
                continue  # a value over several lines: no field positions
            key_start = field_span.start.col - len(field.key) - (1 if field.assigned else 0)
            key_span = Span(
                Pos(field_span.start.line, key_start), Pos(field_span.start.line, key_start + len(field.key))
            )
            _add(found, key_span, _T_PROPERTY)
            if not field.assigned:
                continue
            if field.key == "from":
                refs.append((len(found), field.value))
                _add(found, field_span, _STAGE_OR_IMAGE)
            else:
                _add(found, field_span, _T_STRING)
    else:
        _add(found, value_span, _T_STRING)


def _argument_tokens(found: list[_Raw], refs: list[tuple[int, str]], node: Instruction) -> None:
    cmd = node.cmd
    if cmd == "FROM":
        words = node.words
        if words:
            refs.append((len(found), words[0].text))
            _add_word(found, words[0], _STAGE_OR_IMAGE)
        if len(words) >= 3 and words[1].text.lower() == "as":
            _add_word(found, words[1], _T_KEYWORD)
            _add_word(found, words[2], _T_CLASS, _DECLARATION)
        return
    if cmd == "HEALTHCHECK":
        for word in node.words:
            if word.text.upper() in ("CMD", "NONE"):
                _add_word(found, word, _T_KEYWORD)
                break
    if cmd == "EXPOSE":
        for word in node.words:
            if _PORT.fullmatch(word.text):
                _add_word(found, word, _T_NUMBER)
        return
    if "<<" in node.args and node.heredocs:
        for word in node.words:
            match = _HEREDOC.match(word.text) if "<<" in word.text else None
            if match:
                line, col = _word_start(word)
                found.append((line, col, match.end(), _T_OPERATOR, 0))  # never empty: "<<" and a name
    if '"' in node.args and (node.json or cmd in ("ENV", "LABEL", "ARG")):
        for word in node.words:  # the strings of a JSON array, or quoted values
            if len(word.segments) != 1:
                span = word.span
                if span.start.line != span.end.line:
                    continue
            line, col = _word_start(word)
            for match in _QUOTED.finditer(word.text):
                found.append((line, col + match.start(), match.end() - match.start(), _T_STRING, 0))  # '""' at least


def _node_tokens(node: Node, escape: str, lines: tuple[str, ...] = ()) -> _NodeTokens | None:
    if isinstance(node, Instruction):
        return _instruction_tokens(node, escape)
    if isinstance(node, Directive):
        found: list[_Raw] = []
        _add(found, node.key_span, _T_MACRO)
        _add(found, node.value_span, _T_STRING)
        return _NodeTokens(tuple(found), ())
    if isinstance(node, Trivia) and node.kind == "comment":
        return _COMMENT_LINE
    return None


class _Picker:
    def __init__(self, escape: str) -> None:
        self.escape = escape

    def __call__(self, node: Node) -> _NodeTokens | None:
        return _node_tokens(node, self.escape)


# A chunk's tokens: (line in the chunk, column, length, type, modifiers, stage-or-image text).
_ChunkToken = tuple[int, int, int, int, int, str | None]


class _EncodedChunk(msgspec.Struct, frozen=True):
    """A chunk's tokens already encoded; its first token's line delta is counted from the chunk's
    first line, and its stage-or-image tokens are patched in when the chunk is used."""

    data: list[int]
    first_line: int  # of its first token, relative to the chunk
    last_line: int  # of its last token, relative to the chunk
    refs: tuple[tuple[int, int, str], ...]  # (index in data, relative line, text)


class TokenCache:
    """Per document: each chunk's encoded tokens, reused while the chunk is unchanged (the
    document hands back the very same list for a chunk no edit touched)."""

    def __init__(self) -> None:
        self._chunks: dict[int, tuple[object, _EncodedChunk]] = {}

    def chunk(self, document: Document, start: int, found: list[tuple[int, _NodeTokens]]) -> _EncodedChunk:
        cached = self._chunks.get(id(found))
        if cached is not None and cached[0] is found:
            return cached[1]
        encoded = _encode_chunk(document, start, _chunk_tokens(document, start, found))
        self._chunks[id(found)] = (found, encoded)
        return encoded

    def keep_only(self, alive: set[int]) -> None:
        for key in [key for key in self._chunks if key not in alive]:
            del self._chunks[key]


def _chunk_tokens(document: Document, start: int, found: list[tuple[int, _NodeTokens]]) -> list[_ChunkToken]:
    out: list[_ChunkToken] = []
    comment = _INDEX[TokenType.COMMENT]
    for offset, tokens in found:
        if tokens.comment:
            text = document.line(start + offset)
            body = text.lstrip()
            out.append((offset, len(text) - len(body), len(body), comment, 0, None))
            continue
        refs = dict(tokens.refs) if tokens.refs else {}
        local = [
            (offset + line, col, length, kind, mods, refs.get(index))
            for index, (line, col, length, kind, mods) in enumerate(tokens.tokens)
        ]
        if tokens.gaps:
            for gap in tokens.gaps:
                text = document.line(start + offset + gap)
                body = text.lstrip()
                if body.startswith("#"):
                    local.append((offset + gap, len(text) - len(body), len(body), comment, 0, None))
            local.sort(key=lambda token: (token[0], token[1]))
        out += local
    return out


def semantic_tokens(
    document: Document, model: StageModel, first: int = 0, last: int | None = None, cache: TokenCache | None = None
) -> list[int]:
    """The LSP-encoded token data (5 integers a token) for lines ``first..last`` (all by default).

    Columns are in the document's position encoding. A whole-document request reads the per-chunk
    cache (``cache`` keeps the flattened chunks too); a range request walks only its nodes.
    """
    if first == 0 and last is None:
        cache = cache or TokenCache()
        chunks = document.select_chunks(f"semantic-tokens:{document.escape}", _Picker(document.escape))
        data: list[int] = []
        prev_line = 0
        for start, found in chunks:
            chunk = cache.chunk(document, start, found)
            if not chunk.data:
                continue
            base = len(data)
            data += chunk.data
            data[base] = start + chunk.first_line - prev_line
            for index, line, text in chunk.refs:
                data[base + index + 3] = _INDEX[_stage_or_image(model, text, start + line)]
            prev_line = start + chunk.last_line
        cache.keep_only({id(found) for _, found in chunks})
        return data
    last_line = document.line_count - 1 if last is None else last
    picked = []
    line = max(0, first)
    while line <= last_line and line < document.line_count:
        start, node = document.node_at(line)
        tokens = _node_tokens(node, document.escape)
        if tokens is not None:
            picked.append((start, _chunk_tokens(document, start, [(0, tokens)])))
        line = start + node.line_count
    return _encode(document, model, picked, first, last_line)


def _encode_chunk(document: Document, start: int, tokens: list[_ChunkToken]) -> _EncodedChunk:
    data: list[int] = []
    refs = []
    prev_line = prev_col = 0
    current = -1
    plain = True
    utf32 = document.encoding == "utf-32"
    for offset, col, length, kind, mods, ref in tokens:
        line = start + offset
        if line != current:
            current = line
            plain = utf32 or document.is_ascii(line)
        if not plain:
            end = document.to_character(line, col + length)
            col = document.to_character(line, col)
            length = end - col
        if ref is not None or kind == _STAGE_OR_IMAGE:
            refs.append((len(data), offset, ref or ""))
        data += (offset - prev_line, col - prev_col if offset == prev_line and data else col, length, kind, mods)
        prev_line, prev_col = offset, col
    first = tokens[0][0] if tokens else 0
    return _EncodedChunk(data, first, prev_line, tuple(refs))


def _encode(
    document: Document, model: StageModel, chunks: list[tuple[int, list[_ChunkToken]]], first: int, last: int
) -> list[int]:
    data: list[int] = []
    append = data.extend
    prev_line = prev_col = 0
    current = -1
    plain = True
    utf32 = document.encoding == "utf-32"
    stage_or_image = _STAGE_OR_IMAGE
    for start, tokens in chunks:
        for offset, col, length, kind, mods, ref in tokens:
            line = start + offset
            if line < first or line > last:
                continue
            if kind == stage_or_image:
                kind = _INDEX[_stage_or_image(model, ref or "", line)]
            if line != current:
                current = line
                plain = utf32 or document.is_ascii(line)
            if not plain:
                end = document.to_character(line, col + length)
                col = document.to_character(line, col)
                length = end - col
            append((line - prev_line, col - prev_col if line == prev_line else col, length, kind, mods))
            prev_line, prev_col = line, col
    return data


def _stage_or_image(model: StageModel, text: str, line: int) -> TokenType:
    stage = model.stage_at(line)
    if stage is not None and stage.start_line == line:  # the base of a FROM line
        return TokenType.CLASS if stage.base_stage is not None else TokenType.TYPE
    return TokenType.CLASS if model.resolve(text, RefKind.COPY) is not None else TokenType.TYPE
