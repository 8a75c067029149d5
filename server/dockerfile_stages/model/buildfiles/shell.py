"""``docker build`` command lines in shell text, through tree-sitter's bash grammar.

Finds ``docker build``, ``docker buildx build``, ``docker image build``, ``podman build``,
``buildah build``/``bud`` and ``nerdctl build`` commands, and reads their ``--target``, ``--file``
and context arguments where they are literal words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import PurePosixPath

import msgspec
import tree_sitter
import tree_sitter_bash

from dockerfile_stages.model.buildfiles.text import JoinedText, Segment
from dockerfile_stages.model.buildfiles.uses import Build, PathRef, Value, bake_override, is_literal, is_remote
from dockerfile_stages.syntax.nodes import Pos, Span

_TOOLS = {"docker", "podman", "buildah", "nerdctl"}
_VALUE_FLAGS = {"--target": "target", "-f": "file", "--file": "file"}
_WRAPPERS = {"sudo", "exec", "time", "command", "nice", "env"}
_BUILD_COMMANDS = (("build",), ("buildx", "build"), ("image", "build"), ("builder", "build"), ("bud",), ("buildx", "b"))
# Flags of docker/podman build that take no value; every other flag takes the next word.
_SWITCHES = {
    "--push", "--load", "--pull", "--no-cache", "-q", "--quiet", "--rm", "--force-rm", "--squash",
    "--check", "--compress", "--disable-content-trust", "--layers", "--no-hosts", "--debug",
}  # fmt: skip


class _Word(msgspec.Struct, frozen=True):
    text: str | None  # None: not a literal (an expansion, a substitution)
    value: Value | None  # the literal's text and range without quotes
    node: tree_sitter.Node


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


def find_builds(
    segments: Sequence[Segment], joiner: str = "\n", variables: Mapping[str, Value] | None = None
) -> list[Build]:
    """The builds run by the shell text made of ``segments`` (lines, or pieces of lines).

    ``variables``: placeholder words the caller put where a make or just variable is used, and the
    variable's literal value (with its range at the assignment, which is what a rename edits).
    """
    joined = JoinedText(segments, joiner)
    tree = _parser().parse(joined.data)
    known = variables or {}
    return [build for node in _commands(tree.root_node) for build in _builds(joined, node, known)]


def _commands(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "command":
            yield current
        stack.extend(reversed(current.children))


def _word(joined: JoinedText, node: tree_sitter.Node) -> _Word:
    if node.type == "word":
        text = joined.data[node.start_byte : node.end_byte].decode("utf-8", "replace")
        literal = "\\" not in text
        return _Word(text if literal else None, Value(text, joined.span(node.start_byte, node.end_byte)), node)
    if node.type in ("string", "raw_string"):
        inner_start, inner_end = node.start_byte + 1, node.end_byte - 1
        parts = [child for child in node.named_children if child.type != "string_content"]
        closed = joined.data[inner_end : node.end_byte] == joined.data[node.start_byte : inner_start]
        if inner_end < inner_start or parts or not closed:  # an unterminated string is no literal
            return _Word(None, None, node)
        text = joined.data[inner_start:inner_end].decode("utf-8", "replace")
        return _Word(text, Value(text, joined.span(inner_start, inner_end)), node)
    if node.type == "concatenation":
        pieces = [_word(joined, child) for child in node.children]
        if all(piece.text is not None for piece in pieces):
            text = "".join(piece.text or "" for piece in pieces)
            last = pieces[-1].value
            first = pieces[0].value
            if first is not None and last is not None:
                return _Word(text, Value(text, Span(first.span.start, last.span.end)), node)
        return _Word(None, None, node)
    return _Word(None, None, node)


def _builds(joined: JoinedText, command: tree_sitter.Node, variables: Mapping[str, Value]) -> list[Build]:
    words = _command_words(joined, command)
    plain = [word.text for word in words[1:] if word.text is not None and not word.text.startswith("-")]
    if words and plain[:2] == ["buildx", "bake"]:
        return _bake(words[1:], joined.span(command.start_byte, command.end_byte), variables)
    build = _build(joined, command, variables)
    return [build] if build is not None else []


def _command_words(joined: JoinedText, command: tree_sitter.Node) -> list[_Word]:
    """The command's words from the tool on (``sudo -E``, ``env`` and the like skipped); [] for other tools."""
    name = command.child_by_field_name("name")
    if name is None:
        return []
    words = [_word(joined, name.named_children[0] if name.named_children else name)]
    words += [_word(joined, child) for child in command.children_by_field_name("argument")]
    while words and words[0].text in _WRAPPERS:
        words = words[1:]
        while words and (words[0].text or "").startswith("-"):
            words = words[1:]  # sudo -E docker ...
    if not words or (words[0].text or "").rsplit("/", 1)[-1] not in _TOOLS:
        return []
    return words


def _build(joined: JoinedText, command: tree_sitter.Node, variables: Mapping[str, Value]) -> Build | None:
    words = _command_words(joined, command)
    if not words:
        return None
    texts = [word.text for word in words[1:]]
    rest = _after_subcommand(texts)
    if rest is None:
        return None
    found = _read_flags(words[1 + rest :], variables)
    if found is None:
        return None  # a value filled in at run time: nothing certain to check
    context, dockerfile = found.get("context"), found.get("file")
    context_path = PurePosixPath(context.text) if context else PurePosixPath(".")
    if dockerfile:
        dockerfile_ref = PathRef(PurePosixPath(dockerfile.text), dockerfile)  # -f is relative to the cwd
    else:
        dockerfile_ref = PathRef(context_path / "Dockerfile", None)
    context_ref = PathRef(context_path, context)
    return Build(context_ref, dockerfile_ref, found.get("target"), joined.span(command.start_byte, command.end_byte))


def _bake(words: list[_Word], where: Span, variables: Mapping[str, Value]) -> list[Build]:
    """``docker buildx bake --set NAME.target=VALUE ...``: the stage each Bake target is built to."""
    builds = []
    for index, word in enumerate(words):
        text = word.text or ""
        if text.startswith("--set="):
            value, skip = word.value, len("--set=")
        elif text == "--set" and index + 1 < len(words):
            value, skip = words[index + 1].value, 0
        else:
            continue
        override = bake_override(value.text[skip:]) if value is not None else None
        if value is None or override is None:
            continue
        name, target, offset = override
        start = Pos(value.span.start.line, value.span.start.col + skip + offset)
        stage = variables.get(target) or Value(target, Span(start, Pos(start.line, start.col + len(target))))
        here = PathRef(PurePosixPath("."), None)
        builds.append(Build(here, here, stage, where, name, bake_target=name))
    return builds


def _after_subcommand(texts: list[str | None]) -> int | None:
    """Index of the first argument after ``build`` (global options before it are skipped)."""
    plain = [(index, text) for index, text in enumerate(texts) if text is not None and not text.startswith("-")]
    for words in _BUILD_COMMANDS:
        if [text for _, text in plain[: len(words)]] == list(words):
            return plain[len(words) - 1][0] + 1
    return None


def _read_flags(words: list[_Word], variables: Mapping[str, Value]) -> dict[str, Value] | None:
    """The literal ``target``, ``file`` and ``context``; None when one of them is not literal."""
    found: dict[str, Value] = {}
    index = 0
    while index < len(words):
        word = words[index]
        text = word.text
        if text is None or text == "-":  # an expansion (the context, or flags we cannot see), or stdin
            return None if "context" not in found else found
        if not text.startswith("-"):
            if "context" not in found:
                literal = _literal(word.value)
                if literal is None:
                    return None
                found["context"] = variables.get(literal.text, literal)
            index += 1
            continue
        flag, has_value, inline = text.partition("=")
        key = _VALUE_FLAGS.get(flag)
        value: Value | None
        if has_value:
            if key:
                value = _inline_value(word, len(flag) + 1, inline)
                if value is None:
                    return None
                found[key] = variables.get(value.text, value)
            index += 1
            continue
        if flag in _SWITCHES:
            index += 1
            continue
        if key:
            following = words[index + 1] if index + 1 < len(words) else None
            value = _literal(following.value) if following and following.text is not None else None
            if value is None:
                return None
            found[key] = variables.get(value.text, value)
        index += 2
    return found


def _literal(value: Value | None) -> Value | None:
    if value is None or not is_literal(value.text) or is_remote(value.text):
        return None
    return value


def _inline_value(word: _Word, skip: int, text: str) -> Value | None:
    """The value part of ``--flag=value`` (quotes around the value are not part of its range)."""
    if word.value is None or not is_literal(text):
        return None
    node = word.node
    if node.type == "concatenation" and node.children[-1].type in ("string", "raw_string"):
        end = word.value.span.end
        return Value(text, Span(Pos(end.line, end.col - len(text)), end))
    start = word.value.span.start
    return Value(text, Span(Pos(start.line, start.col + skip), word.value.span.end))
