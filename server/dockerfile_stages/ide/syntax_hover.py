"""Hover on the language itself: instruction keywords, flags, ``--mount`` options, parser
directives, and variables (their value at that point and where it was set)."""

from __future__ import annotations

from collections.abc import Callable

from dockerfile_stages.ide.docs import (
    directive_doc,
    flag_doc,
    instruction_doc,
    mount_option_doc,
    mount_type_doc,
    undefined_variable_doc,
    variable_doc,
)
from dockerfile_stages.ide.hover import HoverText
from dockerfile_stages.model import catalog
from dockerfile_stages.model.stages import mount_fields
from dockerfile_stages.model.variables import Definition, Use, Variables
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Directive, Flag, Instruction, Pos, Span


def hover_syntax(document: Document, line: int, col: int, variables: Callable[[], Variables]) -> HoverText | None:
    node_line, node = document.node_at(line)
    pos = Pos(line, col)
    if isinstance(node, Directive):
        return _directive(node, node_line, pos)
    if not isinstance(node, Instruction):
        return None
    found = variable_hover(variables(), line, col)
    if found is not None:
        return found
    for target in (node, node.sub):
        if target is None:
            continue
        keyword = target.keyword_span.shifted(node_line)
        spec = catalog.instruction(target.cmd)
        if keyword.contains(pos) and spec is not None:
            return HoverText(instruction_doc(spec), keyword)
        if spec is None:
            continue
        for flag in target.flags:
            name_span = flag.name_span.shifted(node_line)
            flag_spec = spec.flag(flag.name)
            if flag_spec is None:
                continue
            if Span(flag.span.shifted(node_line).start, name_span.end).contains(pos):
                return HoverText(flag_doc(spec, flag_spec), flag.span.shifted(node_line))
            if flag_spec.name == "mount":
                found = _mount(flag, node_line, pos)
                if found is not None:
                    return found
    return None


def variable_hover(variables: Variables, line: int, col: int) -> HoverText | None:
    """A variable use or definition under the cursor."""
    found = variables.at(line, col)
    if isinstance(found, Use):
        if found.binding is None:
            image_based = found.stage is not None and variables.image_based(found.stage)
            return HoverText(undefined_variable_doc(found.name, image_based), found.whole)
        return HoverText(variable_doc(found.binding), found.whole)
    if isinstance(found, Definition) and found.span is not None:
        uses = len(variables.references(found))
        text = variable_doc(found) + f"\n\nused {uses} time{'s' if uses != 1 else ''}"
        return HoverText(text, found.span)
    return None


def _directive(node: Directive, node_line: int, pos: Pos) -> HoverText | None:
    spec = catalog.directive(node.key)
    if spec is None:
        return None
    key = node.key_span.shifted(node_line)
    value = node.value_span.shifted(node_line)
    if key.contains(pos):
        return HoverText(directive_doc(spec), key)
    if value.contains(pos) and spec.name == "check":
        return HoverText(directive_doc(spec) + f"\n\n[Build checks]({catalog.BUILD_CHECKS_URL})", value)
    return None


def _mount(flag: Flag, node_line: int, pos: Pos) -> HoverText | None:
    if flag.value_span is None or flag.value_span.start.line != flag.value_span.end.line:
        return None
    fields = mount_fields(flag)
    mount_name = next((f.value for f in fields if f.key == "type"), catalog.DEFAULT_MOUNT_TYPE)
    mount = catalog.mount_type(mount_name)
    for field in fields:
        value_span = field.span.shifted(node_line)
        start = Pos(value_span.start.line, value_span.start.col - len(field.key) - field.assigned)
        whole = Span(start, value_span.end)
        if not whole.contains(pos):
            continue
        if field.key == "type" and mount is not None:
            return HoverText(mount_type_doc(mount), whole)
        option = mount.option(field.key) if mount else None
        if mount is not None and option is not None:
            return HoverText(mount_option_doc(mount, option), whole)
    return None
