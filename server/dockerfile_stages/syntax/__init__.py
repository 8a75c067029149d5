"""Pure syntax layer: text to a lossless, error-tolerant tree, reparsed incrementally.

Nothing here imports LSP types or does I/O.
"""

from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import (
    Directive,
    Flag,
    Heredoc,
    Instruction,
    Node,
    ParseError,
    Pos,
    Span,
    Trivia,
    Word,
)
from dockerfile_stages.syntax.parser import parse_lines, split_lines

__all__ = [
    "Directive",
    "Document",
    "Flag",
    "Heredoc",
    "Instruction",
    "Node",
    "ParseError",
    "Pos",
    "Span",
    "Trivia",
    "Word",
    "parse_lines",
    "split_lines",
]
