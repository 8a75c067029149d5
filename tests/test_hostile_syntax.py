"""Inputs of a few kilobytes that once froze the analysis for seconds (issue 16, item 3), parsed
right. Their timings are printed by ``benchmarks/hostile_inputs.py``, not asserted here."""

from __future__ import annotations

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.model import build_model
from dockerfile_stages.model.args import expand
from dockerfile_stages.model.variables import evaluate, find_references
from dockerfile_stages.syntax import Document, Instruction, Pos, Span, split_lines
from dockerfile_stages.syntax.parser import parse_directives


def _instructions(document: Document) -> list[Instruction]:
    return [node for node in document.tree_nodes() if isinstance(node, Instruction)]


def test_directive_value_followed_by_many_spaces_keeps_its_inner_spaces() -> None:
    value = "a" + " " * 64000 + "b"
    directives, _ = parse_directives(split_lines(f"# syntax={value}   \nFROM x\n"))
    assert [(d.key, d.value) for d in directives] == [("syntax", value)]
    assert directives[0].value_span == Span(Pos(0, 9), Pos(0, 9 + len(value)))


def test_directive_with_only_spaces_after_the_equals_sign_takes_the_last_one_as_buildkit_does() -> None:
    directives, _ = parse_directives(split_lines("# syntax=   \nFROM x\n"))
    assert [(d.value, d.value_span.start.col) for d in directives] == [(" ", 11)]
    assert parse_directives(split_lines("# syntax=\nFROM x\n"))[0] == []


def test_unclosed_variable_forms_stay_as_written() -> None:
    text = "${A:-" * 10000
    assert expand(text, {}).text == text
    # the brace closes the innermost form, whose default is "x"; the others stay as written
    assert expand(text + "x}", {}).text == "${A:-" * 9999 + "x"
    document = Document("FROM " + text + "\n")
    assert build_model(document).stages[0].base == text
    assert find_references(text) == []  # no brace closes any of them


def test_nested_defaults_in_a_from_line_end_at_their_own_brace() -> None:
    """The default of ``${TAG:-${V}}`` is ``${V}``: the FROM expansion took the first "}" for its
    end, so ``alpine:${TAG:-${V}}`` came out as ``alpine:${V}`` (the image sizes looked up, hover)."""
    assert expand("alpine:${TAG:-${V}}", {"V": "3.19"}).text == "alpine:3.19"
    image = build_model(Document("ARG V=3.19\nARG TAG\nFROM alpine:${TAG:-${V}}\n")).stages[0].image
    assert image is not None and image.tag == "3.19"
    assert expand("${A:+${B:-x}y}z", {"A": "a"}).text == "xyz"
    deep = "${A:-" * 10000 + "x" + "}" * 10000  # expanded with a stack of parts, not recursion
    assert expand(deep, {}).text == "x"
    assert expand(deep, {"A": "a"}).text == "a"


def test_words_of_a_huge_from_are_built_once_and_the_extra_words_are_one_range() -> None:
    count = 200_000
    document = Document("FROM image AS name " + " ".join(["w"] * count) + "\n")
    (node,) = _instructions(document)
    assert node.words is node.words  # cached on the node
    assert len(node.words) == count + 3
    stage = build_model(document).stages[0]
    assert stage.extra_span == Span(Pos(0, 19), Pos(0, 19 + 2 * count - 1))


def test_forty_thousand_quoted_flags() -> None:
    document = Document("FROM x\nRUN " + '--a="b" ' * 40000 + "true\n")
    node = _instructions(document)[1]
    assert len(node.flags) == 40000
    assert {(flag.text, flag.name, flag.value) for flag in node.flags} == {("--a=b", "a", "b")}
    last = node.flags[-1]
    start = 4 + 8 * 39999
    assert (last.span, last.value_span) == (
        Span(Pos(0, start), Pos(0, start + 7)),
        Span(Pos(0, start + 4), Pos(0, start + 7)),
    )
    assert node.args == "true"


def test_columns_on_a_long_line_with_wide_characters() -> None:
    long = "a" * 63000
    text = f"FROM x\nRUN {long}é {long}🐳 x\n"
    document = Document(text, encoding="utf-16")
    whale = 4 + 63000 + 2 + 63000  # code points before the whale
    assert document.to_character(1, whale) == whale
    assert document.to_character(1, whale + 1) == whale + 2  # the whale is two UTF-16 units
    assert document.to_index(1, whale + 2) == (1, whale + 1)
    assert document.to_index(1, whale + 1) == (1, whale)  # inside the whale: keep it whole
    assert document.to_index(1, 10**9) == (1, len(text.split("\n")[1]))
    utf8 = Document(text, encoding="utf-8")
    assert utf8.to_character(1, whale + 1) == whale + 1 + 4  # "é" is two bytes, the whale four


def test_deeply_nested_defaults_are_matched_and_evaluated() -> None:
    depth = 10000
    word = "${A:-" * depth + "x" + "}" * depth
    refs = find_references(word)
    assert len(refs) == depth
    assert [(ref.start, ref.end) for ref in refs[:2]] == [(0, len(word)), (5, len(word) - 1)]
    assert evaluate(word, {}) == ("x", ())
    assert evaluate(word, {"A": "a"}) == ("a", ())
    assert evaluate("${B:+" * depth + "$C" + "}" * depth, {"B": "b"}) == ("", ("C",))


def test_unclosed_defaults_inside_a_closed_one_stay_as_written() -> None:
    word = "${A:-" + "${B:-" * 5000 + "}"
    refs = find_references(word)
    assert [(ref.name, ref.start, ref.end) for ref in refs] == [("B", 5 + 5 * 4999, len(word))]
    assert evaluate(word, {}) == ("${A:-" + "${B:-" * 4999, ())


def test_a_lone_surrogate_in_a_run_line_still_offers_the_split() -> None:
    """The fuzzer's crash: the split's shell parse encoded the RUN line as strict UTF-8 (-32603)."""
    analysis = Analysis.of_text("FROM golang:1.22\nRUN go build -o /app \ud800 .\nCMD /app\n")
    titles = [action.title for action in analysis.code_actions(Pos(0, 0), Pos(2, 0))]
    assert any(title.startswith("Split") for title in titles)
