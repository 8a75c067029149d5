from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules.base import Context, Finding, Rule, Severity
from dockerfile_stages.syntax.nodes import Instruction, Pos, Span


def check(context: Context) -> Iterator[Finding]:
    has_instruction = False
    for line, node in context.document.nodes():
        has_instruction = has_instruction or isinstance(node, Instruction)
        for error in node.errors:
            yield RULE.finding(error.message, error.span.shifted(line))
    if not has_instruction:
        yield RULE.finding("The file has no instructions: BuildKit refuses it.", Span(Pos(0, 0), Pos(0, 0)))


RULE = Rule(
    id="DS001",
    name="parse-error",
    severity=Severity.ERROR,
    summary="The Dockerfile does not parse: BuildKit stops here.",
    what="Reports what BuildKit's parser rejects: an unterminated heredoc, ENV or LABEL without a value, "
    "a JSON array holding non-strings, a bad or repeated parser directive, a file with no instructions.",
    why="A build fails before it starts; the rest of the file is still analysed here so you can keep working.",
    example="RUN <<EOF\necho never closed\n# (no EOF line: unterminated heredoc)",
    check=check,
)
