"""The ``parse --json`` report: the parse as plain data, lines 1-based and inclusive."""

from __future__ import annotations

from typing import Any

from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.rules.parse_error import parse_problems
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Directive, Instruction


def parse_report(document: Document, model: StageModel) -> dict[str, Any]:
    directives: dict[str, Any] = {"escape": document.escape, "syntax": None, "check": None}
    instructions = []
    stage_index = -1
    for line, node in document.nodes():
        if isinstance(node, Directive) and not node.errors:
            directives[node.key] = node.value
        if not isinstance(node, Instruction):
            continue
        if node.cmd == "FROM":
            stage_index += 1
        instructions.append(
            {
                "cmd": node.cmd,
                "start_line": line + 1,
                "end_line": line + node.line_count,
                "flags": [flag.text for flag in node.flags],
                "heredocs": [{"name": doc.name, "content": doc.content} for doc in node.heredocs],
                "stage": stage_index if stage_index >= 0 else None,
            }
        )
    stages = [
        {
            "index": stage.index,
            "name": stage.name,
            "base": stage.base,
            "platform": stage.platform,
            "start_line": stage.start_line + 1,
            "end_line": stage.end_line + 1,
        }
        for stage in model.stages
    ]
    errors = [{"line": problem.span.start.line + 1, "message": problem.message} for problem in parse_problems(document)]
    return {"directives": directives, "instructions": instructions, "stages": stages, "errors": errors}
