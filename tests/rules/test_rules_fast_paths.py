"""The rules' shortcuts against what they skip: each test fails when its shortcut skips too much."""

from __future__ import annotations

from dockerfile_stages.model import build_model
from dockerfile_stages.model.variables import Use, Variables
from dockerfile_stages.rules import ids, run_rules
from dockerfile_stages.syntax import Document
from dockerfile_stages.syntax.nodes import Instruction


def _lines(text: str, rule: str) -> list[int]:
    document = Document(text)
    return [f.span.start.line for f in run_rules(document, build_model(document), select=[rule])]


def test_undefined_var_reads_run_flags_and_expanded_heredocs_only() -> None:
    # RUN's words and heredoc are the shell's, CMD's words the container's: only the flag value of
    # the RUN and the unquoted heredoc of the COPY are BuildKit's to substitute.
    text = (
        "FROM scratch\n"
        "RUN --mount=type=cache,target=/$cachedir echo $nothing\n"
        "RUN <<EOF\necho $notmine\nEOF\n"
        "COPY <<EOF /x\n$expandme\nEOF\n"
        "COPY <<'EOF' /y\n$quoted\nEOF\n"
        "CMD echo $runtime\n"
    )
    assert _lines(text, ids.UNDEFINED_VAR) == [1, 6]


def test_uses_of_is_uses_in_instruction_by_instruction() -> None:
    text = (
        "ARG G=1\nFROM alpine AS a\nARG G\nENV A=$G\nCOPY $A $B /x\nFROM a\nENV B=2\n"
        "WORKDIR ${A:-x}/$B\nLABEL l=$C\nRUN --mount=target=$A true\n"
    )
    document = Document(text)
    variables = Variables(document, build_model(document))
    instructions = [
        (line, node)
        for line, node in document.nodes()
        if isinstance(node, Instruction) and node.cmd not in ("FROM", "ARG")
    ]
    one_by_one = Variables(document, build_model(document))  # its own: uses_of does not reuse what uses_in bound
    expected = [_described(use) for line, _ in instructions for use in one_by_one.uses_in(line)]
    assert [_described(use) for use in variables.uses_of(instructions)] == expected
    assert [bound is not None for *_, bound in expected] == [True, True, False, True, True, False, True]


def _described(use: Use) -> tuple[object, ...]:
    bound = use.binding
    return (use.name, use.span, use.whole, use.stage, use.line, use.context, use.modifier, bound and bound.span)


def test_empty_continuation_found_past_comment_lines() -> None:
    # The last piece's line tells whether any line between is not a piece: here a comment line and
    # an empty one are, the comment line is fine.
    assert _lines("FROM scratch\nRUN a \\\n# note\n  b \\\n\n  c\n", ids.NO_EMPTY_CONTINUATION) == [4]
    assert _lines("FROM scratch\nRUN a \\\n  b \\\n  c\n", ids.NO_EMPTY_CONTINUATION) == []


def test_flag_problems_are_placed_on_each_instruction() -> None:
    # The same flags on two lines: the problems are remembered by name and value, placed per line.
    text = "FROM scratch\nCOPY --chmod=9 --link=maybe a b\nCOPY --chmod=9 --link=maybe a b\n"
    document = Document(text)
    found = run_rules(document, build_model(document), select=[ids.INVALID_FLAG_VALUE])
    assert [(f.span.start.line, f.span.start.col) for f in found] == [(1, 13), (1, 22), (2, 13), (2, 22)]


def test_toolchain_final_reads_node_build_commands() -> None:
    # Only Node's image needs the stage's commands: a build (npm ci) makes it a toolchain, none does not.
    built = "FROM node:20\nCOPY . .\nRUN npm ci\n"
    assert _lines(built, ids.TOOLCHAIN_IN_FINAL_STAGE) == [0]
    assert _lines("FROM node:20\nCOPY . .\nRUN echo\n", ids.TOOLCHAIN_IN_FINAL_STAGE) == []
    assert _lines("FROM golang:1.22\nCOPY . .\nRUN echo\n", ids.TOOLCHAIN_IN_FINAL_STAGE) == [0]


def test_expose_ranges_are_the_words() -> None:
    text = "FROM scratch\nEXPOSE 80 8080:80 99999 443/TCP\n"
    document = Document(text)
    found = run_rules(document, build_model(document), select=["DS008", "DS213", "DS214"])
    assert [(f.rule, f.span.start.col, f.span.end.col) for f in found] == [
        ("DS214", 10, 17),
        ("DS008", 18, 23),
        ("DS213", 24, 31),
    ]


def test_go_build_words_split_as_shlex_does() -> None:
    import random
    import shlex

    from dockerfile_stages.rules.cgo_static import _shell_words

    rng = random.Random(15)
    alphabet = "ab -o/=.\t\r\n'\"\\#$\x0b\x0c\x1c\x1f\xa0\u2003é"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        try:
            expected = shlex.split(text)
        except ValueError:
            expected = text.split()
        assert _shell_words(text) == expected, repr(text)


def test_document_features_are_the_instructions_features() -> None:
    from pathlib import Path

    from dockerfile_stages.rules import registry

    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "files"
    texts = [path.read_text(errors="replace") for path in sorted(corpus.glob("*.Dockerfile"))[:150]]
    texts.append("FROM a\nONBUILD COPY --FROM=x . .\nRUN <<EOF\n$A\nEOF\n")
    for text in texts:
        document = Document(text)
        every: set[str] = set()
        for _, node in document.nodes():
            if isinstance(node, Instruction):
                every |= registry.node_features(node)
        for wanted in ({"$", "--from", "ONBUILD", "COPY"}, {"HEALTHCHECK", "--platform"}, every | {"--nothing"}):
            assert registry.features(document, wanted) == every & wanted
