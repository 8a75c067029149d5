from __future__ import annotations

from collections.abc import Iterable, Iterator

import msgspec

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Directive, Instruction, Pos, Span

NO_INSTRUCTIONS = "file with no instructions"  # BuildKit's words


class ParseProblem(msgspec.Struct, frozen=True):
    message: str
    span: Span  # absolute
    whole_file: bool = False  # the file as a whole is refused (it has no instructions)


def parse_problems(document: Document) -> list[ParseProblem]:
    """Every parse error, plus the file-level one BuildKit gives for a file with no instructions."""
    problems = [
        ParseProblem(error.message, error.span.shifted(line))
        for line, node in document.nodes()
        for error in node.errors
    ]
    if not any(isinstance(node, Instruction) for _, node in document.nodes()):
        last = Pos(max(document.line_count - 1, 0), 0)
        problems.append(ParseProblem(NO_INSTRUCTIONS, Span(last, last), whole_file=True))
    return problems


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterable[Finding]:
    if not node.errors:  # nearly every instruction: no list to build
        return ()
    return [RULE.finding(error.message, error.span.shifted(line)) for error in node.errors]


def check(context: Context) -> Iterator[Finding]:
    """What is not about one instruction: the directives' errors, and a file with no instructions."""
    document = context.document
    for line, node in document.nodes():
        if not isinstance(node, Directive):
            break
        for error in node.errors:
            yield RULE.finding(error.message, error.span.shifted(line))
    if not any(isinstance(node, Instruction) for _, node in document.nodes()):
        yield RULE.finding("The file has no instructions: BuildKit refuses it.", Span(Pos(0, 0), Pos(0, 0)))


RULE = Rule(
    id=ids.PARSE_ERROR,
    name="parse-error",
    severity=Severity.ERROR,
    summary="The Dockerfile does not parse: BuildKit stops here.",
    what="Reports what BuildKit's parser rejects: an unterminated heredoc, ENV or LABEL without a value, "
    "a JSON array holding non-strings, a bad or repeated parser directive, a file with no instructions.",
    why="A build fails before it starts; the rest of the file is still analysed here so you can keep working.",
    example="RUN <<EOF\necho never closed\n# (no EOF line: unterminated heredoc)",
    use_instead="RUN <<EOF\necho closed\nEOF",
    check=check,
    check_node=check_node,
    scope=Scope.INSTRUCTION,
)
