"""The ``parse --json`` report: the parse as plain data, lines 1-based and inclusive."""

from __future__ import annotations

import json
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
                "arguments": list(node.value),  # as BuildKit splits them (JSON decoded, ENV pairs, ...)
                "json_form": node.json,
                "heredocs": [{"name": doc.name, "content": doc.content} for doc in node.heredocs],
                "stage": stage_index if stage_index >= 0 else None,
            }
        )
    stages = [
        {
            "index": stage.index,
            "name": stage.name,
            "base": stage.base,
            "resolved_base": stage.expanded_base.text,  # after ARG expansion
            "unresolved_args": list(stage.expanded_base.unresolved),
            "platform": stage.platform,
            "start_line": stage.start_line + 1,
            "end_line": stage.end_line + 1,
        }
        for stage in model.stages
    ]
    errors = [{"line": problem.span.start.line + 1, "message": problem.message} for problem in parse_problems(document)]
    meta_args = [{"name": arg.name, "default": arg.default} for arg in model.meta_args]
    return {
        "directives": directives,
        "meta_args": meta_args,
        "instructions": instructions,
        "stages": stages,
        "errors": errors,
    }


def format_text(report: dict[str, Any]) -> str:
    """Everything the JSON has, one line per directive, global ARG, stage and instruction."""
    lines = [f"directive {key}={value}" for key, value in report["directives"].items() if value is not None]
    lines += [
        f"global ARG {arg['name']}" + (f"={arg['default']}" if arg["default"] is not None else "")
        for arg in report["meta_args"]
    ]
    for item in report["instructions"]:
        if item["stage"] is None and item["cmd"] != "ARG":
            lines.append(_instruction_line(item))
    for stage in report["stages"]:
        name = stage["name"] or "(unnamed)"
        platform = f" --platform={stage['platform']}" if stage["platform"] else ""
        base = stage["base"]
        if stage["resolved_base"] != base and not stage["unresolved_args"]:
            base += f" (resolves to {stage['resolved_base']})"
        if stage["unresolved_args"]:
            base += f" (unset: {', '.join(stage['unresolved_args'])})"
        lines.append(
            f"stage {stage['index']} {name}: FROM{platform} {base}  lines {stage['start_line']}-{stage['end_line']}"
        )
        lines += [_instruction_line(item) for item in report["instructions"] if item["stage"] == stage["index"]]
    lines += [f"error: line {error['line']}: {error['message']}" for error in report["errors"]]
    return "\n".join(lines) + ("\n" if lines else "")


def _instruction_line(item: dict[str, Any]) -> str:
    words = [item["cmd"], *item["flags"], json.dumps(item["arguments"], ensure_ascii=False)]
    words += [f"<<{doc['name']} ({len(doc['content'])} chars)" for doc in item["heredocs"]]
    return f"  {item['start_line']:>5}  " + " ".join(words)
