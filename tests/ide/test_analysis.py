"""Every feature at the ``ide`` boundary: a Dockerfile with a ``|`` cursor, the façade called directly.

Services are plain objects here (a dict of image figures, a dict of build-context sizes): what the
analysis does with what they know is the subject, not how they learn it (tests/sizes does that).
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import pytest

from dockerfile_stages.ide.actions import SPLIT_TITLE, ActionKind
from dockerfile_stages.ide.analysis import Analysis, Options, Services
from dockerfile_stages.ide.navigation import RenameError
from dockerfile_stages.model.image import ImageRef
from dockerfile_stages.rules import ids, run_rules
from dockerfile_stages.sizes.figures import ImageSize, SizeSource
from dockerfile_stages.sizes.snapshot import snapshot_images
from dockerfile_stages.syntax.nodes import Pos, Span

from ..conftest import cursor

MB = 1_000_000


class Sizes:
    """Figures by image name (disk bytes), and lookups still running."""

    def __init__(
        self, disk: dict[str, int], pending: dict[str, Future[ImageSize]] | None = None, tags: tuple[str, ...] = ()
    ) -> None:
        self.disk = disk
        self.running = pending or {}
        self.tags = tags

    def known(self, image: ImageRef, platform: str) -> ImageSize:
        size = self.disk.get(image.display)
        source = SizeSource.SNAPSHOT if size is not None else SizeSource.UNKNOWN
        return ImageSize(image.display, platform, size, size, source, "2024-09-05" if size else None)

    def pending(self, image: ImageRef, platform: str) -> Future[ImageSize] | None:
        return self.running.get(image.display)

    def known_tags(self, image: ImageRef) -> tuple[str, ...] | None:
        return self.tags or None

    def pending_tags(self, image: ImageRef) -> Future[tuple[str, ...]] | None:
        return None


class Context:
    def __init__(self, sizes: dict[str, int]) -> None:
        self.sizes = sizes
        self.measuring: list[Future[Any]] = []

    def size(self, source: str) -> int | None:
        return self.sizes.get(source)

    def pending(self) -> list[Future[Any]]:
        return self.measuring


def at(fixture: str, options: Options | None = None, services: Services | None = None) -> tuple[Analysis, int, int]:
    text, line, col = cursor(fixture)
    return Analysis.of_text(text, options, services), line, col


def cut(analysis: Analysis, span: Span) -> str:
    assert span.start.line == span.end.line
    return analysis.document.line(span.start.line)[span.start.col : span.end.col]


GO = "FROM golang:1.22 AS builder\nRUN go build -o /app\n"
THREE = "FROM alpine:3.19 AS builder\nFROM alpine:3.19 AS tested\nCOPY --from=builder /a /a\nFROM scratch\n"


# -- completion ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (THREE + "COPY --from=|", ["builder", "tested"]),
        ("FROM alpine AS a\nCOPY --from=| /x /x\nFROM alpine AS b\n", []),  # only earlier stages
        (THREE + "COPY --from=te| /x /x", ["tested"]),
        (THREE + "RUN --mount=type=cache,from=b|,target=/x true", ["builder"]),
        ("FROM alpine AS base\nFROM ba|", ["base"]),
        ("# docker build --target te| .\nFROM alpine AS test\nFROM alpine AS app\n", ["test"]),
        ("FROM alpine AS a\nRUN echo |\n", []),
    ],
)
def test_completion(fixture: str, expected: list[str]) -> None:
    analysis, line, col = at(fixture)
    assert [c.label for c in analysis.completion(line, col) if c.kind.value == "stage"] == expected


def test_tags_from_the_registry_first_then_the_snapshot() -> None:
    services = Services(Sizes({}, tags=("1.23", "1.22")), tags=lambda image: ("1.22", "1.21"))
    analysis, line, col = at("FROM golang:1.2|", services=services)
    assert [(c.label, c.detail) for c in analysis.completion(line, col)] == [
        ("1.23", "golang:1.23 (registry)"),
        ("1.22", "golang:1.22 (registry)"),
        ("1.21", "golang:1.21 (snapshot)"),
    ]


def test_completion_replaces_the_whole_word() -> None:
    analysis, line, col = at(THREE + "COPY --from=te|xx /x /x")
    (candidate,) = analysis.completion(line, col)
    assert cut(analysis, candidate.replace) == "texx"


def test_images_after_from_only_when_asked() -> None:
    services = Services(images=("alpine:3.19", "golang:1.22"))
    analysis, line, col = at("FROM gol|", services=services)
    assert [c.label for c in analysis.completion(line, col)] == ["golang:1.22"]
    quiet, line, col = at("FROM gol|", Options(complete_images=False), services)
    assert quiet.completion(line, col) == []


# -- navigation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", [THREE.replace("--from=builder", "--from=bui|lder"), "FROM a AS x\nFROM x|\n"])
def test_definition_is_the_as_name(fixture: str) -> None:
    analysis, line, col = at(fixture)
    span = analysis.definition(line, col)
    assert span is not None and span.start.line == 0 and cut(analysis, span) in ("builder", "x")


def test_references_with_and_without_declaration() -> None:
    analysis, line, col = at(THREE.replace("--from=builder", "--from=bu|ilder"))
    assert [o.span.start.line for o in analysis.references(line, col, True)] == [0, 2]
    assert [o.span.start.line for o in analysis.references(line, col, False)] == [2]


def test_highlights_mark_the_declaration() -> None:
    analysis, line, col = at(THREE.replace("AS builder", "AS bui|lder"))
    assert [(o.span.start.line, o.is_declaration) for o in analysis.highlights(line, col)] == [(0, True), (2, False)]


def test_rename_edits_declaration_and_references() -> None:
    analysis, line, col = at(THREE.replace("--from=builder", "--from=b|uilder"))
    assert analysis.prepare_rename(line, col)[1] == "builder"
    edits = analysis.rename(line, col, "compile")
    assert [(e.span.start.line, cut(analysis, e.span), e.text) for e in edits] == [
        (0, "builder", "compile"),
        (2, "builder", "compile"),
    ]


@pytest.mark.parametrize(
    ("new_name", "message"), [("tested", "already named"), ("9lives", "not a valid"), ("scratch", "reserved")]
)
def test_rename_refuses_bad_names(new_name: str, message: str) -> None:
    analysis, line, col = at(THREE.replace("AS builder", "AS b|uilder"))
    with pytest.raises(RenameError, match=message):
        analysis.rename(line, col, new_name)


def test_nothing_to_rename_outside_names() -> None:
    analysis, line, col = at("FROM alpine\nRU|N true\n")
    assert analysis.prepare_rename(line, col) is None


def test_variables_rename_and_navigate() -> None:
    analysis, line, col = at("ARG V=1\nFROM alpine:$|V\n")
    assert analysis.prepare_rename(line, col) == (Span(Pos(1, 13), Pos(1, 14)), "V")
    assert [(e.span.start.line, e.text) for e in analysis.rename(line, col, "W")] == [(0, "W"), (1, "W")]
    definition = analysis.definition(line, col)
    assert definition is not None and definition.start.line == 0


def test_symbols_and_folding() -> None:
    analysis = Analysis.of_text("ARG V=1\n" + THREE + "# one\n# two\nRUN a \\\n  b\n")
    assert [(s.name, s.kind) for s in analysis.symbols()] == [
        ("V", "arg"),
        ("builder", "stage"),
        ("tested", "stage"),
        ("stage 2", "stage"),
    ]
    folds = {(f.start, f.end, f.kind) for f in analysis.folding_ranges()}
    assert (5, 6, "comment") in folds and (7, 8, "region") in folds


def test_symbols_before_and_within_stages() -> None:
    """ARGs before the first FROM are symbols of their own, other instructions there are not; each
    stage holds its instructions (not the FROM lines), with their spans."""
    text = "ARG A=1 B\nRUN early\nFROM a AS one\nARG C\nRUN x \\\n  y\nFROM one\nCMD z\n"
    found = Analysis.of_text(text).symbols()
    flat = [
        (s.name, s.kind, s.range.start.line, s.range.end.line, [(c.name, c.range.end.line) for c in s.children])
        for s in found
    ]
    assert flat == [
        ("A", "arg", 0, 0, []),
        ("B", "arg", 0, 0, []),
        ("one", "stage", 2, 5, [("ARG", 3), ("RUN", 5)]),
        ("stage 1", "stage", 6, 7, [("CMD", 7)]),
    ]


# -- hover -----------------------------------------------------------------------------------------


def test_hover_on_a_reference_shows_the_stage_and_its_estimate() -> None:
    services = Services(sizes=Sizes({"alpine:3.19": 8 * MB}))
    analysis, line, col = at(THREE.replace("--from=builder", "--from=buil|der"), services=services)
    found = analysis.hover(line, col)
    assert found is not None and cut(analysis, found.span) == "builder"
    assert "stage `builder` (index 0)" in found.markdown and "estimated size: about 8.0 MB" in found.markdown


def test_hover_on_an_image_shows_its_figures() -> None:
    analysis, line, col = at("FROM gola|ng:1.22\n", services=Services(sizes=Sizes({"golang:1.22": 800 * MB})))
    found = analysis.hover(line, col)
    assert found is not None and "**image `golang:1.22`**" in found.markdown and "on disk: 800 MB" in found.markdown


def test_hover_on_an_instruction_shows_its_docs() -> None:
    analysis, line, col = at("FROM alpine\nWORKD|IR /app\n")
    found = analysis.hover(line, col)
    assert found is not None and "WORKDIR" in found.markdown


def test_hover_waits_for_the_lookup_of_its_image_only() -> None:
    running: Future[ImageSize] = Future()
    services = Services(sizes=Sizes({}, {"golang:1.22": running}))
    analysis, line, col = at("FROM golang:1.22 AS build\nFROM gola|ng:1.22\n", services=services)
    assert analysis.hover_waits(line, col) == [running]
    assert analysis.hover_waits(0, 22) == []  # on the stage name, and no build context


# -- diagnostics and code actions --------------------------------------------------------------------


def test_findings_use_targets_ignore_and_known_images() -> None:
    text = GO + "FROM alpine:3.19 AS debug\nFROM scratch\nCOPY --from=builder /app /app\nCOPY --from=alpine /a /a\n"
    rules = {f.rule for f in Analysis.of_text(text, services=Services(images=snapshot_images())).findings}
    assert ids.UNUSED_STAGE in rules and ids.UNKNOWN_STAGE not in rules
    used = Analysis.of_text(text, Options(targets=("debug",)), Services(images=snapshot_images()))
    assert ids.UNUSED_STAGE not in {f.rule for f in used.findings}
    assert ids.UNKNOWN_STAGE in {f.rule for f in Analysis.of_text(text).findings}  # alpine: unknown image here


def test_rules_and_features_share_one_variable_scoping() -> None:
    """The undefined-variable rule reads the editor's ``Variables``: an ARG-heavy file's scopes were
    built twice (the rules', then hover's), a second or more each for 100,000 names."""
    text = "FROM alpine\nARG VERSION=1\nCOPY app-$VERSON.tar /\n"
    analysis = Analysis.of_text(text)
    assert "variables" not in analysis.__dict__
    assert ids.UNDEFINED_VAR in {finding.rule for finding in analysis.findings}
    shared = analysis.__dict__["variables"]  # built by the rules, for the features after them
    assert analysis.hover(2, 10) is not None and analysis.variables is shared
    assert analysis.findings == run_rules(analysis.document, analysis.model)  # what the rules alone find


def test_quick_fix_carries_its_finding() -> None:
    analysis, line, col = at(GO + "FROM scratch\nCOPY --from=buid|ler /app /app\n")
    here = Pos(line, col)
    (action,) = [a for a in analysis.code_actions(here, here) if a.kind is ActionKind.QUICK_FIX]
    assert action.title == "Change to 'builder'" and action.findings[0] in analysis.findings
    assert action.findings[0].rule == ids.UNKNOWN_STAGE and action.preferred


def test_split_refactoring_titled_with_sizes() -> None:
    sizes = Sizes({"golang:1.22": 800 * MB, "gcr.io/distroless/static-debian12": 2 * MB})
    analysis = Analysis.of_text(
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\n", services=Services(sizes)
    )
    actions = analysis.code_actions(Pos(0, 0), Pos(0, 0))
    titles = {(a.kind, a.title.startswith(SPLIT_TITLE)) for a in actions}
    assert titles == {(ActionKind.REFACTOR_REWRITE, True), (ActionKind.QUICK_FIX, True)}
    fix = next(a for a in actions if a.kind is ActionKind.QUICK_FIX)
    assert {f.rule for f in fix.findings} == {ids.TOOLCHAIN_IN_FINAL_STAGE}
    assert analysis.code_actions(Pos(0, 0), Pos(0, 0), refactors=False) == []


# -- sizes -------------------------------------------------------------------------------------------


def test_lens_waits_hand_their_estimates_on_only_when_nothing_is_pending() -> None:
    context = Context({})  # "." not measured yet
    services = Services(Sizes({"golang:1.22": 800 * MB}), context)
    analysis = Analysis.of_text("FROM golang:1.22 AS builder\nCOPY . .\n", services=services)
    measuring: Future[Any] = Future()
    context.measuring = [measuring]
    waits = analysis.code_lens_waits()
    assert waits.pending == [measuring] and waits.estimates is None  # worked out again after the wait
    context.measuring = []
    waits = analysis.code_lens_waits()
    assert waits.pending == [] and waits.estimates is not None
    assert analysis.code_lenses(waits.estimates) == analysis.code_lenses()
    assert Analysis.of_text("FROM a\n").code_lens_waits().estimates is None  # no build context: not worked out


def test_lenses_from_known_figures_and_the_build_context() -> None:
    services = Services(Sizes({"golang:1.22": 800 * MB, "debian:12-slim": 75 * MB}), Context({".": 1300}))
    text = "FROM golang:1.22 AS builder\nCOPY . .\nFROM debian:12-slim\nCOPY --from=builder /app /app\n"
    titles = [(lens.span.start.line, lens.title) for lens in Analysis.of_text(text, services=services).code_lenses()]
    assert titles[0] == (
        0,
        "multi-stage ships about 75.0 MB plus the copied build output, instead of about 800 MB in a single stage",
    )
    assert titles[1][1].startswith("build stage - about 800 MB, not shipped (snapshot of 2024-09-05)")
    assert titles[2] == (
        2,
        "final image - about 75.0 MB + output of builder unknown until built (snapshot of 2024-09-05)",
    )


def test_context_not_measured_yet_is_unknown_until_known() -> None:
    context = Context({})
    analysis = Analysis.of_text("FROM scratch\nCOPY . .\n", services=Services(context=context))
    assert [p.size for p in analysis.estimates()[0].parts] == [0, None]
    context.sizes["."] = 42
    assert [p.size for p in analysis.estimates()[0].parts] == [0, 42]  # estimates are never cached


# -- formatting --------------------------------------------------------------------------------------


def test_format_whole_file_and_on_type() -> None:
    analysis = Analysis.of_text("from alpine\nRUN a \\\nb   \n")
    assert [(e.span.start.line, e.text) for e in analysis.format()] == [(0, "FROM"), (2, "    "), (2, "")]
    assert analysis.format_on_type(2) == [e for e in analysis.format() if e.span.start.line == 2][:1]
