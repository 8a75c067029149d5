"""Every stage finding hadolint makes on the corpus (recorded in the oracle), we make too,
except where hadolint is wrong for the reason named."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dockerfile_stages.model import build_model
from dockerfile_stages.rules import run_rules
from dockerfile_stages.sizes.snapshot import snapshot_images
from dockerfile_stages.syntax import Document

from ..conftest import CORPUS, corpus_names, corpus_text, needs_corpus

MATCHING = {"DL3022": "DS100", "DL3023": "DS101", "DL3024": "DS104"}
# hadolint's DL3022 also fires on `COPY --from=<image>`; BuildKit pulls the image, which is valid.
HADOLINT_WRONG = {
    ("docker+awesome-compose__nginx-flask-mongo_flask_Dockerfile", 26): "COPY --from=gloursdocker/docker is an image",
    (
        "docker+awesome-compose__nginx-golang-mysql_backend_Dockerfile",
        35,
    ): "COPY --from=gloursdocker/docker is an image",
    (
        "docker+awesome-compose__nginx-golang-postgres_backend_Dockerfile",
        35,
    ): "COPY --from=gloursdocker/docker is an image",
}


def _hadolint(name: str) -> list[dict[str, Any]]:
    data = json.loads((CORPUS / "oracle" / f"{name}.json").read_text())
    return list(data.get("hadolint") or [])


STAGE_CASES = [
    (name, item["code"], item["line"])
    for name in corpus_names()
    for item in _hadolint(name)
    if item["code"] in MATCHING
]


@needs_corpus
@pytest.mark.parametrize(("name", "code", "line"), STAGE_CASES)
def test_we_report_what_hadolint_reports(name: str, code: str, line: int) -> None:
    document = Document(corpus_text(name))
    ours = {
        (f.rule, f.span.start.line + 1) for f in run_rules(document, build_model(document), images=snapshot_images())
    }
    if (name, line) in HADOLINT_WRONG:
        assert (MATCHING[code], line) not in ours, HADOLINT_WRONG[(name, line)]
        assert "/" in document.line(line - 1).split("--from=")[1].split()[0]
    else:
        assert (MATCHING[code], line) in ours


@needs_corpus
def test_the_corpus_has_stage_findings_to_compare() -> None:
    assert STAGE_CASES, "hadolint reports no stage rule on the corpus: the comparison would be empty"
