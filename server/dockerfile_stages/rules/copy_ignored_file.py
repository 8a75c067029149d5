"""DS211 (BuildKit CopyIgnoredFile, experimental): COPY or ADD of a path that .dockerignore leaves out.

Scope: one instruction, with the build context's .dockerignore patterns (given by the caller, which
reads the file: rules do no I/O).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.syntax.nodes import Instruction, Span


def _context_sources(node: Instruction) -> list[str]:
    """Sources read from the build context: not another stage, a URL, a Git repository or a heredoc."""
    if node.cmd not in ("COPY", "ADD") or node.flag("from") is not None or len(node.value) < 2:
        return []
    return [
        source
        for source in node.value[:-1]
        if "://" not in source and not source.startswith(("<<", "git@")) and "$" not in source
    ]


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    ignore = context.dockerignore
    if ignore is None:
        return
    for source in _context_sources(node):
        cleaned = posixpath.normpath(source).lstrip("/")
        if cleaned in ("", ".") or not ignore.excluded(cleaned):
            continue
        word = next((w for w in node.words if w.text == source), None)
        span: Span = (word.span if word else node.span).shifted(line)
        yield RULE.finding(
            f"{node.cmd} {source}: .dockerignore leaves it out of the build context, so the build "
            "cannot find it (or copies less than you expect).",
            span,
        )


RULE = Rule(
    id=ids.COPY_IGNORED_FILE,
    name="copy-ignored-file",
    severity=Severity.WARNING,
    summary="COPY or ADD of a path that .dockerignore excludes (experimental).",
    what="Matches the sources of COPY and ADD from the build context against the context's "
    "`.dockerignore` (or `<Dockerfile>.dockerignore`), with Docker's pattern rules. Experimental in "
    "BuildKit, so off unless selected (`--select DS211`, or `# check=experimental=CopyIgnoredFile`).",
    why="An excluded file is not sent to the builder: the COPY fails with 'not found', or a directory "
    "arrives without the files you meant to copy.",
    example="# .dockerignore: *.md\nFROM alpine\nCOPY README.md /docs/   # DS211",
    use_instead="# .dockerignore: *.md and !README.md\nFROM alpine\nCOPY README.md /docs/",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    cmds=("COPY", "ADD"),
    experimental=True,
    peers=("BuildKit CopyIgnoredFile",),
)
