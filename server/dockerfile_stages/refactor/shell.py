"""Shell commands of RUN, CMD and ENTRYPOINT, read with tree-sitter-bash.

What the split needs from a shell script: its simple commands in order, each with its words
expanded from the known variables and the directory it runs in (``cd`` followed, subshells scoped).
A word whose value cannot be known (command substitution, an unset variable) is ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import msgspec
import tree_sitter_bash
from tree_sitter import Language, Node, Parser

_EXPANSION = re.compile(r"^\$\{#?([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=+?])(.*))?\}$", re.DOTALL)
_GLOB = re.compile(r"[*?\[]")
# node types that are one literal word
_LITERALS = ("word", "number", "raw_string", "string_content")


class Command(msgspec.Struct, frozen=True):
    """One simple command: its words (``None`` where unknown), where it ran, and its prefix assignments."""

    words: tuple[str | None, ...]
    cwd: str
    assignments: tuple[tuple[str, str | None], ...] = ()

    @property
    def name(self) -> str | None:
        """The program's base name (``/usr/bin/make`` -> ``make``)."""
        if not self.words or self.words[0] is None:
            return None
        return self.words[0].rsplit("/", 1)[-1]

    @property
    def args(self) -> tuple[str | None, ...]:
        return self.words[1:]


class _State(msgspec.Struct):
    env: dict[str, str | None]
    cwd: str
    found: list[Command] = msgspec.field(default_factory=list)


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(Language(tree_sitter_bash.language()))


def _tree(script: str) -> Node:
    # a lone surrogate (text that was not UTF-8) passes through as its three bytes, as in _text
    return _parser().parse(script.encode("utf-8", "surrogatepass")).root_node


def resolve(path: str, cwd: str) -> str:
    """``path`` made absolute against ``cwd``, with ``.`` and ``..`` folded."""
    base = path if path.startswith("/") else f"{cwd.rstrip('/')}/{path}"
    parts: list[str] = []
    for part in base.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
        else:
            parts.append(part)
    folded = "/" + "/".join(parts)
    return folded + "/" if path.endswith("/") and folded != "/" else folded


def commands(script: str, env: Mapping[str, str | None], cwd: str) -> list[Command]:
    """The simple commands of ``script`` in the order they appear, with the state each ran in.

    ``env`` is updated in place by ``export``/assignments, as a RUN's later commands see them."""
    state = _State(dict(env), cwd)
    _walk(_tree(script), state)
    return state.found


def final_env(script: str, env: Mapping[str, str | None], cwd: str) -> dict[str, str | None]:
    """The variables after ``script`` ran (``export X=...``, ``X=...``)."""
    state = _State(dict(env), cwd)
    _walk(_tree(script), state)
    return state.env


def _walk(node: Node, state: _State) -> None:
    kind = node.type
    if kind == "command":
        _command(node, state)
        return
    if kind == "subshell":
        inner = _State(dict(state.env), state.cwd, state.found)
        for child in node.named_children:
            _walk(child, inner)
        return
    if kind == "variable_assignment":
        name, value = _assignment(node, state.env)
        state.env[name] = value
        return
    if kind == "declaration_command":  # export X=1, declare, readonly
        for child in node.named_children:
            if child.type == "variable_assignment":
                name, value = _assignment(child, state.env)
                state.env[name] = value
        return
    for child in node.named_children:
        _walk(child, state)


def _assignment(node: Node, env: Mapping[str, str | None]) -> tuple[str, str | None]:
    name_node = node.child_by_field_name("name")
    value_node = node.child_by_field_name("value")
    name = _text(name_node) if name_node is not None else ""
    return name, expand(value_node, env) if value_node is not None else ""


def _command(node: Node, state: _State) -> None:
    words: list[str | None] = []
    assignments: list[tuple[str, str | None]] = []
    for child in node.named_children:
        if child.type == "variable_assignment":
            assignments.append(_assignment(child, state.env))
        elif child.type == "command_name":
            words.append(expand(child.named_children[0] if child.named_children else child, state.env))
        elif child.type.endswith("redirect") or child.type == "herestring_redirect":
            continue
        else:
            words.append(expand(child, state.env))
    if not words:
        for name, value in assignments:
            state.env[name] = value
        return
    found = Command(tuple(words), state.cwd, tuple(assignments))
    state.found.append(found)
    if found.name == "cd":
        target = next((word for word in found.args if word is not None and not word.startswith("-")), None)
        home = state.env.get("HOME") or "/root"
        state.cwd = resolve(target, state.cwd) if target not in (None, "~") else home
    elif found.name == "export":
        for word in found.args:
            if word and "=" in word:
                key, _, value = word.partition("=")
                state.env[key] = value


def expand(node: Node, env: Mapping[str, str | None]) -> str | None:
    """The value of one shell word, or None when it depends on something unknown."""
    kind = node.type
    if kind == "word":
        text = _text(node)
        if text.startswith("~"):
            text = (env.get("HOME") or "/root") + text[1:]
        return re.sub(r"\\(.)", r"\1", text)
    if kind in ("number", "string_content"):
        return _text(node)
    if kind == "raw_string":
        return _text(node)[1:-1]
    if kind == "simple_expansion":
        name = _text(node)[1:]
        return env.get(name)
    if kind == "expansion":
        return _braced(_text(node), env)
    if kind in ("string", "concatenation"):
        parts = []
        for child in node.named_children:
            value = expand(child, env)
            if value is None:
                return None
            parts.append(value)
        if kind == "string" and not node.named_children:
            return ""
        return "".join(parts)
    return None


def _braced(text: str, env: Mapping[str, str | None]) -> str | None:
    match = _EXPANSION.match(text)
    if match is None:
        return None
    name, operator, word = match.groups()
    value = env.get(name)
    if operator is None:
        return value
    empty = value is None or (operator.startswith(":") and value == "")
    if operator.endswith(("-", "=")):
        return word if empty else value
    if operator.endswith("+"):
        return "" if empty else word
    return value


def _text(node: Node) -> str:
    if node.text is None:
        return ""
    try:
        return node.text.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:  # a node that cuts a character in two
        return node.text.decode("utf-8", "replace")


def plain_words(script: str) -> list[str] | None:
    """The words of ``script`` when it is one simple command using no shell feature (no variable,
    glob, quoting trick, redirection, operator or assignment): what the exec form can run as is."""
    root = _tree(script)
    if root.has_error or len(root.named_children) != 1 or root.named_children[0].type != "command":
        return None
    words: list[str] = []
    for child in root.named_children[0].named_children:
        target = child.named_children[0] if child.type == "command_name" and child.named_children else child
        if target.type not in ("word", "number", "raw_string", "string"):
            return None
        if target.type == "string" and any(part.type != "string_content" for part in target.named_children):
            return None
        value = expand(target, {})
        if value is None or (target.type == "word" and (_GLOB.search(value) or "\\" in _text(target))):
            return None
        if target.type == "word" and _text(target).startswith("~"):
            return None
        words.append(value)
    return words or None


def is_glob(path: str) -> bool:
    return bool(_GLOB.search(path))
