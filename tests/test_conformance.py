"""Our parse against BuildKit's on every file of the shared corpus."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dockerfile_stages.cli.parse import parse_report
from dockerfile_stages.model import build_model
from dockerfile_stages.rules.parse_error import parse_problems
from dockerfile_stages.syntax import Document, Instruction
from dockerfile_stages.syntax.dump import dump

from .conftest import CORPUS, corpus_names, corpus_text, needs_corpus

# Where we deliberately differ from the oracle, and why. Nothing else is excused.
KNOWN_DIFFERENCES = {
    "moby+buildkit__frontend_dockerfile_parser_testfiles_json_Dockerfile": (
        "the oracle (dockerfile==3.4.0) cuts strings at an embedded NUL; BuildKit itself and we keep it "
        "(the conformance .result file agrees with us)"
    ),
}


def _oracle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / "oracle" / f"{name}.json").read_text())
    return data["buildkit"]


def _comparable_value(cmd: str, value: list[str]) -> list[str]:
    # The oracle's wrapper lists ENV/LABEL pairs without BuildKit's separator node.
    if cmd in ("ENV", "LABEL"):
        return [item for position, item in enumerate(value) if position % 3 != 2]
    return value


@needs_corpus
@pytest.mark.parametrize("name", corpus_names())
def test_agrees_with_buildkit(name: str) -> None:
    oracle = _oracle(name)
    document = Document(corpus_text(name))
    model = build_model(document)
    report = parse_report(document, model)
    accepted = not parse_problems(document)
    assert accepted == oracle["ok"], f"BuildKit: {oracle['error']}; we: {report['errors']}"
    if not accepted:
        return
    instructions = [node for _, node in document.nodes() if isinstance(node, Instruction)]
    ours = []
    for item, node, original in zip(report["instructions"], instructions, oracle["instructions"], strict=True):
        mine = {k: item[k] for k in ("cmd", "start_line", "end_line", "flags")}
        mine["heredocs"] = [(doc["name"], doc["content"]) for doc in item["heredocs"]]
        mine["value"] = _comparable_value(node.cmd, list(node.value))
        if original["sub_cmd"]:
            # The oracle drops the flags, heredocs and values of ONBUILD's inner instruction.
            mine["flags"], mine["heredocs"], mine["value"] = [], [], original["value"]
        if name in KNOWN_DIFFERENCES:
            mine["value"] = original["value"]
        ours.append(mine)
    theirs = [
        {k: item[k] for k in ("cmd", "start_line", "end_line", "flags", "value")}
        | {"heredocs": [(doc["name"], doc["content"]) for doc in item["heredocs"]]}
        for item in oracle["instructions"]
    ]
    assert len(report["instructions"]) == len(oracle["instructions"])
    assert ours == theirs
    stage_keys = ("index", "name", "base", "platform", "start_line", "end_line")
    mine_stages = [{k: stage[k] for k in stage_keys} for stage in report["stages"]]  # the report has more keys now
    assert mine_stages == [{k: stage[k] for k in stage_keys} for stage in oracle["stages"]]


RESULT_CASES = (
    sorted(path.name[: -len(".result")] for path in (CORPUS / "files").glob("*.result"))
    if (CORPUS / "files").is_dir()
    else []
)


@needs_corpus
@pytest.mark.parametrize("name", RESULT_CASES)
def test_matches_buildkit_result_dump(name: str) -> None:
    """The 33 conformance cases: our dump equals BuildKit's expected ``.result`` exactly."""
    expected = (CORPUS / "files" / f"{name}.result").read_text(encoding="utf-8")
    document = Document(corpus_text(name))
    assert dump(document) == expected


def test_corpus_is_complete() -> None:
    if not (CORPUS / "oracle").is_dir():
        pytest.skip(f"the shared corpus is absent (looked in {CORPUS})")
    assert len(corpus_names()) == 492
    assert len(RESULT_CASES) == 33
