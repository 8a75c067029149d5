"""ARG and ENV names as symbols: definition, references, highlight and rename, with BuildKit's
scoping (``Variables.rename_group``)."""

from __future__ import annotations

import re

from dockerfile_stages.ide.navigation import Occurrence, RenameError
from dockerfile_stages.model.variables import Definition, Use, Variables
from dockerfile_stages.syntax.nodes import Span

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _definition_at(variables: Variables, line: int, col: int) -> Definition | None:
    found = variables.at(line, col)
    if isinstance(found, Use):
        return found.binding
    return found


def variable_definition(variables: Variables, line: int, col: int) -> Span | None:
    """Where the variable under the cursor got its value (the ARG it inherits from, for a bare ARG)."""
    found = variables.at(line, col)
    definition = found.binding if isinstance(found, Use) else found
    if isinstance(found, Definition) and found.inherits is not None:
        definition = found.inherits
    return definition.span if definition is not None and not definition.predefined else None


def variable_occurrences(
    variables: Variables, line: int, col: int, include_declaration: bool = True
) -> list[Occurrence]:
    definition = _definition_at(variables, line, col)
    if definition is None or definition.predefined:
        return []
    definitions, uses = variables.rename_group(definition)
    found = [Occurrence(d.span, True) for d in definitions if d.span is not None and include_declaration]
    found += [Occurrence(use.span, False) for use in uses]
    found.sort(key=lambda o: (o.span.start.line, o.span.start.col))
    return found


def prepare_variable_rename(variables: Variables, line: int, col: int) -> tuple[Span, str] | None:
    """The name to rename at the cursor; None where there is nothing this file can rename
    (no variable, one BuildKit predefines, or one no ARG or ENV here defines)."""
    found = variables.at(line, col)
    definition = found.binding if isinstance(found, Use) else found
    if definition is None or definition.predefined or definition.builtin is not None:
        return None
    definitions, _ = variables.rename_group(definition)
    if any(d.inherits is not None and d.inherits.predefined for d in definitions):
        return None  # ARG TARGETARCH and friends: the name is BuildKit's
    span = found.span if isinstance(found, Use) else definition.span
    return (span, definition.name) if span is not None else None


def rename_variable(variables: Variables, line: int, col: int, new_name: str) -> list[tuple[Span, str]]:
    if prepare_variable_rename(variables, line, col) is None:
        raise RenameError("Only ARG and ENV names defined in this file can be renamed here.")
    if not _NAME.match(new_name):
        raise RenameError(f"'{new_name}' is not a variable name (letters, digits and _, not starting with a digit).")
    definition = _definition_at(variables, line, col)
    assert definition is not None
    definitions, uses = variables.rename_group(definition)
    taken = {d.name for d in variables.definitions if d.name == new_name} | {
        u.name for u in variables.uses if u.name == new_name
    }
    if taken:
        raise RenameError(f"'{new_name}' is already used in this file; renaming would change what it refers to.")
    edits = [(d.span, new_name) for d in definitions if d.span is not None]
    edits += [(use.span, new_name) for use in uses]
    return sorted(edits, key=lambda edit: (edit[0].start.line, edit[0].start.col))
