"""Word-level lexing that follows BuildKit's parser (frontend/dockerfile/parser) rule for rule.

Offsets are code-point indexes into the string given; the parser maps them to positions.
"""

from __future__ import annotations

import json
import re

import msgspec

# Go's unicode.IsSpace, which BuildKit uses (Python's str.isspace also counts \x1c-\x1f).
GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_GO_SPACE_SET = frozenset(GO_SPACE)
WHITESPACE = re.compile(r"[\t\v\f\r ]+")
NON_WHITESPACE = re.compile(r"[^\t\v\f\r ]+")
_SPACE_CLASS = "[" + re.escape(GO_SPACE) + "]"
_NOT_SPACE_CLASS = "[^" + re.escape(GO_SPACE) + "]"
_SPACES = re.compile(_SPACE_CLASS + "*")
# Words with no quotes and no escape token are split on spaces alone.
_NON_SPACE_RUN = re.compile(_NOT_SPACE_CLASS + "+")
# Spaces, then a flag with no quotes or escapes, which needs no character-by-character scan.
_SIMPLE_FLAG = re.compile(_SPACE_CLASS + "*(--[^" + re.escape(GO_SPACE + "'\"\\") + "]*)(?!" + _NOT_SPACE_CLASS + ")")
_HEREDOC_WORD = re.compile(r"^(\d*)<<(-?)([^<]*)$")
# The words of a line (runs of non-space) that ``_HEREDOC_WORD`` matches whole, found in one scan.
_HEREDOC_WORDS = re.compile(
    "(?<!" + _NOT_SPACE_CLASS + r")(\d*)<<(-?)([^<" + re.escape(GO_SPACE) + "]*)(?!" + _NOT_SPACE_CLASS + ")"
)


def _word_patterns(escape: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """For parseWords on well-formed text (quotes closed, no escape token at the end): a pattern
    that matches the whole text, and one that finds its words. Every repetition is possessive, so a
    mismatch never backtracks."""
    e = re.escape(escape)
    plain = "[^" + re.escape(GO_SPACE + "'\"" + escape) + "]++"
    # Each token is told by its first character and ends where it must, so there is one way to
    # split a text into tokens: runs of plain characters and of spaces taken at once and never
    # given back match what one character per repetition matched, without a step per character.
    tokens = [plain, e + r"[\s\S]", "'[^']*+'", '"(?:[^"' + e + "]++|" + e + r'[\s\S])*+"']
    return re.compile("(?:" + "|".join([_SPACE_CLASS + "++", *tokens]) + ")*+"), re.compile(
        "(?:" + "|".join(tokens) + ")++"
    )


_WORD_PATTERNS = {escape: _word_patterns(escape) for escape in ("\\", "`")}


def is_space(ch: str) -> bool:
    return ch in _GO_SPACE_SET


# A flag as the lexer finds it: its text with quotes and escapes processed (as BuildKit keeps it),
# and where it starts and ends in the line given. A plain tuple: a parse makes thousands.
RawFlag = tuple[str, int, int]


def extract_flags(line: str, pos: int = 0) -> tuple[list[RawFlag], int]:
    """Split leading ``--flag`` words off ``line`` from ``pos`` on; return them and where the
    arguments start."""
    flags: list[RawFlag] = []
    length = len(line)
    while True:
        simple = _SIMPLE_FLAG.match(line, pos)
        if simple is not None and simple.end() - simple.start(1) > 2:  # a lone "--" is handled below
            flags.append((simple.group(1), simple.start(1), simple.end()))
            pos = simple.end()
            continue
        pos = _SPACES.match(line, pos).end()  # type: ignore[union-attr]  # "*" always matches
        if pos >= length:
            return flags, length
        if not line.startswith("--", pos):
            return flags, pos
        start = pos
        chars: list[str] = []
        quote = ""
        while pos < length:
            ch = line[pos]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\":
                    if pos + 1 == length:
                        quote = ""
                        pos += 1
                        continue
                    pos += 1
                    chars.append(line[pos])
                else:
                    chars.append(ch)
                pos += 1
                continue
            if is_space(ch):
                break
            if ch in "'\"":
                quote = ch
            elif ch == "\\":
                if pos + 1 < length:
                    pos += 1
                    chars.append(line[pos])
            else:
                chars.append(ch)
            pos += 1
        text = "".join(chars)
        if text == "--":  # a lone "--" ends the flags
            return flags, pos
        flags.append((text, start, pos))


def parse_words(rest: str, escape: str) -> list[str]:
    """BuildKit's parseWords: split on spaces, keeping quotes and escapes in the words."""
    if "'" not in rest and '"' not in rest and escape not in rest:
        return _NON_SPACE_RUN.findall(rest)
    patterns = _WORD_PATTERNS.get(escape)
    if patterns is not None and patterns[0].fullmatch(rest):
        return patterns[1].findall(rest)
    return scan_words(rest, escape)


def scan_words(rest: str, escape: str) -> list[str]:
    """``parse_words`` character by character, as BuildKit's loop reads (any text, any escape)."""
    words: list[str] = []
    word: list[str] = []
    in_word = False
    quote = ""
    blank_ok = False
    pos = 0
    length = len(rest)
    while pos < length:
        ch = rest[pos]
        if not in_word and not quote:
            if is_space(ch):
                pos += 1
                continue
            in_word = True
        if quote:
            if ch == quote:
                quote = ""
            if ch == escape and quote != "'" and ch != quote:
                if pos + 1 == length:
                    quote = ""
                    pos += 1
                    continue
                word.append(ch)
                pos += 1
                ch = rest[pos]
            word.append(ch)
            pos += 1
            continue
        if is_space(ch):
            in_word = False
            if blank_ok or word:
                words.append("".join(word))
            word = []
            blank_ok = False
            pos += 1
            continue
        if ch in "'\"":
            quote = ch
            blank_ok = True
        if ch == escape:
            if pos + 1 == length:
                pos += 1
                continue
            word.append(ch)
            pos += 1
            ch = rest[pos]
        word.append(ch)
        pos += 1
    if (in_word or quote) and (blank_ok or word):
        words.append("".join(word))
    return words


def _reject_constant(name: str) -> object:
    raise ValueError(name)


_JSON = json.JSONDecoder(parse_constant=_reject_constant)

NOT_STRING_ARRAY = "when using JSON array syntax, arrays must be comprised of strings only"


def parse_json_array(rest: str) -> list[str] | None:
    """The JSON form of an instruction; None if ``rest`` is not a JSON array (shell form).

    Raises ValueError(NOT_STRING_ARRAY) for an array holding something other than strings.
    Like Go's json.Decoder, text after the array is ignored.
    """
    rest = rest.lstrip(GO_SPACE)
    if not rest.startswith("["):
        return None
    try:
        value, _ = _JSON.raw_decode(rest)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(item, str) for item in value):
        raise ValueError(NOT_STRING_ARRAY)
    return value


def shell_words(text: str, *, raw_quotes: bool, skip_unset: bool) -> list[str] | None:
    """Words as BuildKit's shell lexer splits them with an empty environment; None on a lexing error.

    ``raw_quotes`` keeps quotes and escapes in the words (BuildKit's RawQuotes and RawEscapes).
    """
    words: list[str] = []
    word: list[str] = []
    pos = 0
    length = len(text)

    def expansion(at: int) -> tuple[str, int]:
        # ``text[at]`` is "$"; returns what it expands to and where scanning resumes.
        if at + 1 < length and text[at + 1] == "{":
            close = text.find("}", at + 2)
            if close < 0:
                raise ValueError("missing '}'")
            return (text[at : close + 1] if skip_unset else ""), close + 1
        end = at + 1
        if end < length and text[end].isdigit():
            end += 1
        else:
            while end < length and (text[end].isalnum() or text[end] == "_"):
                end += 1
        if end == at + 1:
            return "$", end
        return (text[at:end] if skip_unset else ""), end

    try:
        while pos < length:
            ch = text[pos]
            if is_space(ch):
                if word:
                    words.append("".join(word))
                    word = []
                pos += 1
            elif ch == "'":
                close = text.find("'", pos + 1)
                if close < 0:
                    return None
                inner = text[pos + 1 : close]
                word.append(f"'{inner}'" if raw_quotes else inner)
                pos = close + 1
            elif ch == '"':
                pos += 1
                inner_chars: list[str] = []
                while True:
                    if pos >= length:
                        return None
                    ch = text[pos]
                    if ch == '"':
                        pos += 1
                        break
                    if ch == "\\" and pos + 1 < length:
                        escaped = text[pos + 1]
                        keep = raw_quotes or escaped not in '"$\\'
                        inner_chars.append(text[pos : pos + 2] if keep else escaped)
                        pos += 2
                    elif ch == "$":
                        value, pos = expansion(pos)
                        inner_chars.append(value)
                    else:
                        inner_chars.append(ch)
                        pos += 1
                inner = "".join(inner_chars)
                word.append(f'"{inner}"' if raw_quotes else inner)
            elif ch == "\\":
                word.append(text[pos : pos + 2] if raw_quotes else text[pos + 1 : pos + 2])
                pos += 2
            elif ch == "$":
                value, pos = expansion(pos)
                word.append(value)
            else:
                word.append(ch)
                pos += 1
    except ValueError:
        return None
    if word:
        words.append("".join(word))
    return [w for w in words if w != ""] if raw_quotes else words


class HeredocMarker(msgspec.Struct, frozen=True):
    name: str
    chomp: bool
    expand: bool
    file_descriptor: int


def heredoc_markers(line: str) -> list[HeredocMarker]:
    """The heredocs an instruction line opens (``<<EOF``, ``<<-EOF``, ``<<"EOF"``, ``3<<EOF``)."""
    markers: list[HeredocMarker] = []
    if "'" not in line and '"' not in line and "\\" not in line and "$" not in line:
        # Nothing for the shell lexer to do: the words are the runs of non-space, and a marker
        # word's name is the rest of it, expanded.
        for digits, dash, name in _HEREDOC_WORDS.findall(line):
            if name:
                markers.append(HeredocMarker(name, dash == "-", True, int(digits) if digits else 0))
        return markers
    for word in shell_words(line, raw_quotes=True, skip_unset=True) or []:
        match = _HEREDOC_WORD.match(word)
        if not match or not match.group(3):
            continue
        rest = match.group(3)
        cooked = shell_words(rest, raw_quotes=False, skip_unset=True)
        raw = shell_words(rest, raw_quotes=True, skip_unset=True)
        if cooked is None or raw is None or len(cooked) != 1 or len(raw) != 1:
            continue
        quotes_cooked = cooked[0].count("'") + cooked[0].count('"')
        quotes_raw = raw[0].count("'") + raw[0].count('"')
        markers.append(
            HeredocMarker(
                name=cooked[0],
                chomp=match.group(2) == "-",
                expand=quotes_cooked == quotes_raw,
                file_descriptor=int(match.group(1) or 0),
            )
        )
    return markers
