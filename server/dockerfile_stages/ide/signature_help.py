"""Signature help: the syntax of the instruction under the cursor, with the part being typed."""

from __future__ import annotations

import msgspec

from dockerfile_stages.model import catalog
from dockerfile_stages.model.catalog import Form, InstructionSpec, Syntax
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Instruction, Pos


class Parameter(msgspec.Struct, frozen=True):
    start: int  # offsets into the signature's label
    end: int
    doc: str


class Signature(msgspec.Struct, frozen=True):
    label: str
    doc: str
    parameters: tuple[Parameter, ...]


class SignatureHelp(msgspec.Struct, frozen=True):
    signatures: tuple[Signature, ...]
    active_signature: int
    active_parameter: int


def _signature(spec: InstructionSpec, syntax: Syntax) -> Signature:
    params = []
    offset = len(spec.name)
    for param in syntax.params:
        at = syntax.line.find(param.label, offset)
        if at < 0:
            at = syntax.line.find(param.label)
        params.append(Parameter(at, at + len(param.label), param.doc))
        offset = at + len(param.label) if at >= 0 else offset
    return Signature(syntax.line, spec.description, tuple(params))


def signature_help(document: Document, line: int, col: int) -> SignatureHelp | None:
    start, node = document.node_at(line)
    if not isinstance(node, Instruction):
        return None
    pos = Pos(line, col)
    target = node
    if node.cmd == "ONBUILD" and node.sub is not None and pos > node.sub.keyword_span.end.shifted(start):
        target = node.sub
    spec = catalog.instruction(target.cmd)
    if spec is None or pos <= target.keyword_span.end.shifted(start):
        return None
    text = _before_cursor(document, start, target, line, col)
    form, parameter = _active(spec, target, text)
    signatures = tuple(_signature(spec, syntax) for syntax in spec.syntax)
    parameter = min(parameter, max(len(signatures[form].parameters) - 1, 0))
    return SignatureHelp(signatures, form, parameter)


def _before_cursor(document: Document, start: int, node: Instruction, line: int, col: int) -> str:
    """The instruction's text from after its keyword to the cursor (continuations joined)."""
    keyword = node.keyword_span.shifted(start)
    parts = []
    for index in range(keyword.start.line, line + 1):
        text = document.line(index)
        begin = keyword.end.col if index == keyword.start.line else 0
        end = col if index == line else len(text)
        piece = text[begin:end]
        if index != line and piece.rstrip().endswith(document.escape):
            piece = piece.rstrip()[:-1]
        parts.append(piece)
    return " ".join(parts)


def _words_after_flags(text: str) -> tuple[list[str], bool]:
    """Complete words before the cursor (flags left out), and whether one is being typed."""
    words = text.split()
    typing = bool(text) and not text[-1].isspace()
    done = words[:-1] if typing else words
    return [word for word in done if not word.startswith("--")], typing


def _active(spec: InstructionSpec, node: Instruction, text: str) -> tuple[int, int]:
    """(which syntax line, which parameter) for the text typed so far."""
    form = spec.forms[0]
    words, typing = _words_after_flags(text)
    current = text.split()[-1] if typing and text.split() else ""
    if current.startswith("--"):
        return 0, 0
    if form is Form.IMAGE:
        return 0, min(1 + len(words), 3)
    if form is Form.COMMAND:
        if text.lstrip().startswith("["):
            exec_form = next((i for i, syntax in enumerate(spec.syntax) if '["' in syntax.line), 0)
            return exec_form, 0 if text.count('"') < 2 else 1
        shell = next((i for i, s in enumerate(spec.syntax) if '["' not in s.line), 0)
        return shell, 0
    if form is Form.PATHS:
        json = text.lstrip().startswith("[")
        return (1 if json else 0), (1 if words else 0)
    if form in (Form.KEY_VALUES, Form.NAMES):
        return 0, 1 if "=" in current else 0
    if form is Form.PORTS:
        return 0, 1 if "/" in current else 0
    if form is Form.USER:
        return 0, 1 if ":" in current else 0
    if form is Form.HEALTH:
        upper = [word.upper() for word in words]
        if "NONE" in upper or current.upper() == "NONE":
            return 1, 0
        if "CMD" in upper:
            return 0, 2
        return 0, 1 if current.upper().startswith("C") else 0
    return 0, 0
