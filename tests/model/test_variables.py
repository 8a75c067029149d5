"""ARG/ENV scoping as BuildKit does it: one fixture (``|`` is the cursor) and one expectation each."""

from __future__ import annotations

import pytest

from dockerfile_stages.model.stages import build_model
from dockerfile_stages.model.variables import Definition, Use, UseContext, Variables, VarKind, evaluate
from dockerfile_stages.syntax.document import Document

from ..conftest import cursor


def variables(text: str) -> Variables:
    document = Document(text)
    return Variables(document, build_model(document))


def visible(fixture: str, context: UseContext = UseContext.BUILD) -> dict[str, str | None]:
    text, line, _ = cursor(fixture)
    scope = variables(text).scope_at(line)
    return {d.name: d.value for d in scope.visible(context) if not d.predefined}


def resolved(fixture: str) -> Definition | None:
    text, line, col = cursor(fixture)
    found = variables(text).at(line, col)
    assert isinstance(found, Use), f"no use under the cursor: {found}"
    return found.binding


def test_global_arg_is_visible_in_from_lines() -> None:
    assert visible("ARG V=1\nFROM alpine:$V|\n") == {"V": "1"}


def test_global_arg_is_not_visible_in_a_stage_until_redeclared() -> None:
    assert visible("ARG V=1\nFROM alpine\nRUN echo |\n") == {}


def test_redeclared_global_arg_takes_the_global_value() -> None:
    assert visible("ARG V=1\nFROM alpine\nARG V\nRUN echo |\n") == {"V": "1"}


def test_env_is_visible_after_its_line_only() -> None:
    assert visible("FROM alpine\nRUN echo |\nENV A=1\n") == {}


def test_env_values_see_the_scope_before_the_instruction() -> None:
    text = "FROM alpine\nENV abc=hello\nENV abc=bye def=$abc\nRUN |\n"
    assert visible(text) == {"abc": "bye", "def": "hello"}


def test_global_arg_defaults_are_read_one_after_the_other() -> None:
    assert visible("ARG A=1 B=${A}2\nFROM x:$B|\n") == {"A": "1", "B": "12"}


def test_env_wins_over_a_later_arg_of_the_same_name() -> None:
    assert visible("FROM alpine\nENV X=env\nARG X=arg\nRUN |\n") == {"X": "env"}


def test_stage_built_on_a_stage_inherits_its_args_and_envs() -> None:
    text = "FROM alpine AS base\nARG A=1\nENV E=2\nFROM base\nRUN |\n"
    assert visible(text) == {"A": "1", "E": "2"}


def test_unrelated_stage_does_not_inherit() -> None:
    text = "FROM alpine AS base\nARG A=1\nFROM debian\nRUN |\n"
    assert visible(text) == {}


def test_runtime_commands_see_env_only() -> None:
    text = "FROM alpine\nARG A=1\nENV E=2\nCMD |\n"
    assert visible(text, UseContext.RUNTIME) == {"E": "2"}


def test_platform_arg_redeclared_in_a_stage_has_the_platform_value() -> None:
    assert visible("FROM alpine\nARG TARGETARCH\nRUN |\n") == {"TARGETARCH": "amd64"}


def test_quotes_and_defaults_are_evaluated() -> None:
    assert visible("FROM alpine\nARG A\nENV B=\"x ${A:-dflt}\" C='$A'\nRUN |\n") == {
        "A": None,
        "B": "x dflt",
        "C": "$A",
    }


def test_use_in_from_binds_to_the_global_arg() -> None:
    found = resolved("ARG V=1\nFROM alpine:$|V\n")
    assert found is not None and (found.kind, found.stage, found.line) == (VarKind.ARG, None, 0)


def test_use_in_a_stage_without_redeclaration_is_undefined() -> None:
    assert resolved("ARG V=1\nFROM alpine\nRUN echo $V|\n") is None


def test_use_in_run_binds_to_the_stage_arg() -> None:
    found = resolved("ARG V=1\nFROM alpine\nARG V\nRUN echo ${V|}\n")
    assert found is not None and found.line == 2 and found.inherits is not None and found.inherits.line == 0


def test_use_in_cmd_does_not_see_an_arg() -> None:
    assert resolved("FROM alpine\nARG A=1\nCMD echo $A|\n") is None


def test_proxy_args_are_seen_by_run_without_declaration() -> None:
    found = resolved("FROM alpine\nRUN curl --proxy $HTTP_PROXY| x\n")
    assert found is not None and found.kind is VarKind.PROXY


def test_nested_use_resolves_to_the_inner_name() -> None:
    found = resolved("FROM alpine\nARG A=1 B=2\nRUN echo ${A:-$B|}\n")
    assert found is not None and found.name == "B"


def test_escaped_and_single_quoted_dollars_are_not_uses() -> None:
    v = variables("FROM alpine\nARG A=1\nRUN echo \\$A '$A' \"$A\"\n")
    assert [(u.name, u.span.start.col) for u in v.uses] == [("A", 20)]


def test_use_in_a_flag_value() -> None:
    found = resolved("FROM alpine\nARG U=1000\nCOPY --chown=$U|:$U a b\n")
    assert found is not None and found.name == "U" and found.line == 1


def test_use_in_a_heredoc_body() -> None:
    found = resolved("FROM alpine\nARG A=1\nRUN <<EOF\necho $A|\nEOF\n")
    assert found is not None and found.line == 1


def test_onbuild_neither_defines_nor_uses() -> None:
    v = variables("FROM alpine\nONBUILD ENV A=$B\n")
    assert (v.definitions, v.uses) == ([], [])


def test_definition_spans_point_at_the_names() -> None:
    v = variables("FROM alpine\nENV A=B B=1 \\\n    C=3\n")
    assert [(d.name, d.span.start.line, d.span.start.col) for d in v.definitions if d.span] == [
        ("A", 1, 4),
        ("B", 1, 8),
        ("C", 2, 4),
    ]


def test_rename_group_follows_redeclarations_across_scopes() -> None:
    text = "ARG V=1\nFROM alpine:$V AS a\nARG V\nRUN echo $V\nFROM alpine\nARG V=9\nRUN echo $V\n"
    v = variables(text)
    defs, uses = v.rename_group(v.definitions[0])
    assert ([d.line for d in defs], [u.line for u in uses]) == ([0, 2], [1, 3])


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("${A:-x}", ("x", ())),
        ("${A-x}", ("x", ())),
        ("${E:-x}", ("x", ())),
        ("${E-x}", ("", ())),
        ("${S:+y}", ("y", ())),
        ('"$S b"', ("s b", ())),
        ("$A", ("", ("A",))),
    ],
)
def test_evaluate_modifiers(word: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert evaluate(word, {"E": "", "S": "s"}) == expected


def test_shell_and_maintainer_words_are_not_variable_uses() -> None:
    v = variables('FROM alpine\nSHELL ["pwsh", "-c", "$ErrorActionPreference = 1"]\nMAINTAINER $X\n')
    assert v.uses == []


def test_an_instruction_is_read_and_bound_once_for_the_cursor_and_the_whole_file() -> None:
    """Hover on a definition counts its uses over the file: the instruction under the cursor was
    read and bound again there (10,000 nested references: a third of a second each time)."""
    v = variables("ARG X=1\nFROM ${X:-${X:-a}}\nFROM alpine\nARG X\nRUN echo $X\n")
    at_cursor = v.uses_in(1)
    assert [use.name for use in at_cursor] == ["X", "X"]
    assert all(any(use is bound for bound in v.references(v.definitions[0])) for use in at_cursor)
    assert v.uses[: len(at_cursor)] == at_cursor and v.uses[0] is at_cursor[0]


def test_nothing_is_read_until_asked() -> None:
    """An ARG may hold 100,000 names: a file whose variables nothing asks about never reads them
    (the undefined-variable rule on a stage without ``$`` asks nothing)."""
    v = variables("ARG " + " ".join(f"A{i}" for i in range(50)) + "\nFROM alpine\nRUN true\n")
    assert v.uses_in(2) == [] and "_globals" not in v.__dict__ and "_definition_nodes" not in v.__dict__
    assert len(v.global_scope.args) >= 50 and "_globals" in v.__dict__
