"""The ``size`` and ``parse`` reports read well at any size and say everything they know."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dockerfile_stages.cli.main import main
from dockerfile_stages.cli.parse import format_text as parse_text
from dockerfile_stages.cli.parse import parse_report
from dockerfile_stages.cli.size import format_text, size_report
from dockerfile_stages.ide.sizes import lens_title
from dockerfile_stages.model import build_model
from dockerfile_stages.sizes.estimate import StageEstimate, base_size_by, estimate_stages
from dockerfile_stages.sizes.service import SizeService, SizeSettings
from dockerfile_stages.syntax import Document

SCRATCH_FINAL = "FROM golang:1.21 AS builder\nRUN go build -o /app\nFROM scratch\nCOPY --from=builder /app /app\n"
PENDING = "empty base image (0 B) + copied files (output of builder unknown until built)"


def _estimates(text: str) -> list[StageEstimate]:
    document = Document(text)
    service = SizeService(SizeSettings(online=False))
    try:
        return estimate_stages(document, build_model(document), base_size_by(service.lookup, "linux/amd64"))
    finally:
        service.close()


def _report(text: str) -> dict[str, Any]:
    service = SizeService(SizeSettings(online=False))
    try:
        return size_report(text, None, service, "linux/amd64")
    finally:
        service.close()


def test_a_scratch_final_stage_reads_as_an_empty_base_plus_copied_files() -> None:
    final = _estimates(SCRATCH_FINAL)[-1]
    assert final.describe() == PENDING
    assert lens_title(final) == f"final image - {PENDING}"


def test_scratch_with_known_files_and_nothing_pending() -> None:
    final = _estimates("FROM scratch\nCOPY <<EOT /motd\nhello\nEOT\n")[-1]
    assert final.describe() == "empty base image (0 B) + 6 B of copied files"
    assert _estimates("FROM scratch\n")[-1].describe() == "empty base image (0 B)"


def test_an_image_base_with_pending_output_names_its_stages() -> None:
    text = "FROM golang:1.21 AS a\nFROM golang:1.21 AS b\nFROM golang:1.21\nCOPY --from=a /x /x\nCOPY --from=b /y /y\n"
    described = _estimates(text)[-1].describe()
    assert described.startswith("about ") and described.endswith(" + output of 2 stages unknown until built")


def test_many_copies_fold_into_one_line_and_roles_get_totals() -> None:
    stages = "".join(f"FROM alpine:3.20 AS s{index}\nRUN make\n" for index in range(12))
    copies = "".join(f"COPY --from=s{index} /out /out{index}\n" for index in range(12))
    text = format_text(_report(stages + "FROM scratch\n" + copies))
    assert "from stage s3" not in text
    assert "+ 12 copies of the output of 12 stages, unknown until built" in text
    assert "build stages (12): about " in text and ", not shipped" in text
    assert "final image: empty base image (0 B) + copied files (output of 12 stages unknown until built)" in text


def test_few_copies_are_listed_one_by_one() -> None:
    text = format_text(_report(SCRATCH_FINAL))
    assert "+ from stage builder: /app: unknown until built" in text
    assert "(empty base image)" in text and "about 0 B" not in text


def test_size_prints_a_summary_line_on_stderr(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(SCRATCH_FINAL)
    assert main(["size", "--offline", str(path)]) == 0
    assert capsys.readouterr().err.strip() == f"dockerfile-stages: 2 stages; final image: {PENDING}"


PARSE_FIXTURE = """# syntax=docker/dockerfile:1
ARG GO=1.21
ARG BASE
FROM golang:${GO} AS build
ENV A=1 B="two words"
RUN <<EOT
go build
EOT
FROM ${BASE}
COPY --from=build ["/app", "/app"]
"""


def test_parse_json_has_arguments_global_args_and_resolved_bases() -> None:
    document = Document(PARSE_FIXTURE)
    report = json.loads(json.dumps(parse_report(document, build_model(document))))
    assert report["meta_args"] == [{"name": "GO", "default": "1.21"}, {"name": "BASE", "default": None}]
    env = next(item for item in report["instructions"] if item["cmd"] == "ENV")
    assert env["arguments"] == ["A", "1", "=", "B", '"two words"', "="]  # BuildKit's key, value, "=" triples
    copy = next(item for item in report["instructions"] if item["cmd"] == "COPY")
    assert copy["arguments"] == ["/app", "/app"] and copy["json_form"] is True
    build, final = report["stages"]
    assert (build["base"], build["resolved_base"], build["unresolved_args"]) == ("golang:${GO}", "golang:1.21", [])
    assert final["unresolved_args"] == ["BASE"]


def test_parse_text_shows_everything_the_json_has() -> None:
    document = Document(PARSE_FIXTURE)
    text = parse_text(parse_report(document, build_model(document)))
    assert "directive syntax=docker/dockerfile:1" in text
    assert "global ARG GO=1.21" in text and "global ARG BASE\n" in text
    assert "stage 0 build: FROM golang:${GO} (resolves to golang:1.21)" in text
    assert "(unset: BASE)" in text
    assert 'ENV ["A", "1", "=", "B", "\\"two words\\"", "="]' in text
    assert "<<EOT (9 chars)" in text
    assert 'COPY --from=build ["/app", "/app"]' in text
