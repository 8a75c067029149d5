"""BuildKit's AST dump format (``Node.Dump`` in BuildKit, the ``*.result`` files of its tests)."""

from __future__ import annotations

import unicodedata

from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction

_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_quote(text: str) -> str:
    """Go's strconv.Quote."""
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == " " or (ch.isprintable() and unicodedata.category(ch) not in ("Zs", "Zl", "Zp")):
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def dump_instruction(node: Instruction) -> str:
    text = node.keyword.lower()
    if node.flags:
        text += " [" + " ".join(go_quote(flag.text) for flag in node.flags) + "]"
    if node.sub is not None:
        text += " (" + dump_instruction(node.sub) + ")"
    for value in node.value:
        text += " " + go_quote(value)
    return text.strip()


def dump(document: Document) -> str:
    return "".join(f"({dump_instruction(node)})\n" for _, node in document.nodes() if isinstance(node, Instruction))
