"""The answers built as plain JSON (for files of thousands of stages and findings) say exactly what
lsprotocol's converter says for the same façade data, built the way the server built them before:
lsprotocol objects, each position converted on its own, unstructured by cattrs. Checked on a
sample of the corpus and on lines wider than one unit, in UTF-16 and UTF-8."""

from __future__ import annotations

import json
from typing import Any

import pytest
from lsprotocol import types
from lsprotocol.converters import get_converter

from dockerfile_stages.ide.analysis import Analysis, load_features
from dockerfile_stages.ide.navigation import RenameError
from dockerfile_stages.lsp import (
    code_actions,
    code_lens,
    diagnostic_json,
    document_links,
    folding,
    highlight,
    inlay_hints,
    references,
    selection_range,
    symbols,
    workspace_symbols,
)
from dockerfile_stages.lsp.convert import encode, json_edits, to_diagnostic
from dockerfile_stages.lsp.workspace_files import workspace_edit
from dockerfile_stages.model.stages import build_model
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span
from tests.conftest import corpus_names, corpus_text

URI = "file:///project/Dockerfile"
WIDE = (
    "# syntax=docker/dockerfile:1\n"
    "ARG BASE=alpine:3.19\n"
    "FROM ${BASE} AS bäse  # 😀 wide\n"
    "RUN echo 'ü😀' \\\n"
    "    && true\n"
    "FROM bäse AS t😀st\n"
    "COPY --from=bäse /a /b\n"
    "COPY --from=nope😀 /a /b\n"
    "maintainer 😀 me\n"
    "copy --from=bäse /😀 /b\n"
    "FROM 0\n"
)
SAMPLE = corpus_names()[::25]  # about 20 files, spread over the corpus
converter = get_converter()


def _old_position(document: Document, pos: Pos) -> types.Position:
    line = max(0, min(pos.line, document.line_count - 1))
    return types.Position(line=line, character=document.to_character(line, min(pos.col, document.line_length(line))))


def _old_range(document: Document, span: Span) -> types.Range:
    return types.Range(start=_old_position(document, span.start), end=_old_position(document, span.end))


def _same(new: Any, old: Any) -> None:
    assert json.loads(encode(new)) == converter.unstructure(old)


def _texts() -> list[tuple[str, str]]:
    return [("wide", WIDE)] + [(name, corpus_text(name)) for name in SAMPLE]


@pytest.fixture(scope="module", params=_texts(), ids=lambda named: named[0])
def text(request: pytest.FixtureRequest) -> str:
    load_features()
    value: str = request.param[1]
    return value


@pytest.fixture(params=["utf-16", "utf-8"])
def analysis(text: str, request: pytest.FixtureRequest) -> Analysis:
    document = Document(text, request.param)
    return Analysis(document, build_model(document))


def _positions(analysis: Analysis) -> list[Pos]:
    """Where navigation has something to say: stage names and uses, the start, past the end."""
    stages = analysis.model.stages
    found = [span.start for stage in stages[:4] for span in (stage.name_span, stage.base_span) if span is not None]
    return [*found, Pos(0, 0), Pos(analysis.document.line_count + 3, 99)]


def test_diagnostics(analysis: Analysis) -> None:
    document = analysis.document
    old = []
    for finding in analysis.findings:
        related = [
            types.DiagnosticRelatedInformation(types.Location(URI, _old_range(document, span)), message)
            for span, message in finding.related
        ]
        old.append(
            types.Diagnostic(
                range=_old_range(document, finding.span),
                message=finding.message,
                severity=types.DiagnosticSeverity(diagnostic_json.SEVERITIES[finding.severity]),
                code=finding.rule,
                source=diagnostic_json.SOURCE,
                tags=[types.DiagnosticTag.Unnecessary] if finding.unnecessary else None,
                related_information=related or None,
                data={"rule": diagnostic_json.RULES_BY_ID[finding.rule].name},
            )
        )
    _same(diagnostic_json.diagnostics(URI, analysis), old)


def _old_symbol(document: Document, symbol: Any) -> types.DocumentSymbol:
    kinds = {
        "stage": types.SymbolKind.Class,
        "instruction": types.SymbolKind.Function,
        "arg": types.SymbolKind.Variable,
    }
    return types.DocumentSymbol(
        name=symbol.name,
        detail=symbol.detail,
        kind=kinds[symbol.kind],
        range=_old_range(document, symbol.range),
        selection_range=_old_range(document, symbol.selection),
        children=[_old_symbol(document, child) for child in symbol.children],
    )


def test_document_symbols(analysis: Analysis) -> None:
    old = [_old_symbol(analysis.document, symbol) for symbol in analysis.symbols()]
    _same(symbols.document_symbols(analysis), old)


def test_code_lenses(analysis: Analysis) -> None:
    found = analysis.code_lenses()
    old = [types.CodeLens(_old_range(analysis.document, lens.span), types.Command(lens.title, "")) for lens in found]
    _same(code_lens.lenses(analysis, found), old)


@pytest.mark.parametrize("tooltips", [True, False])
def test_document_links(analysis: Analysis, tooltips: bool) -> None:
    old = [
        types.DocumentLink(_old_range(analysis.document, link.span), link.target, link.tooltip if tooltips else None)
        for link in analysis.document_links()
    ]
    _same(document_links.links(analysis, tooltips), old)


def test_folding_ranges(analysis: Analysis) -> None:
    old = [
        types.FoldingRange(
            start_line=fold.start,
            end_line=fold.end,
            kind=types.FoldingRangeKind.Comment if fold.kind == "comment" else types.FoldingRangeKind.Region,
        )
        for fold in analysis.folding_ranges()
    ]
    _same(folding.folding_ranges(analysis), old)


def test_navigation(analysis: Analysis) -> None:
    document = analysis.document
    for pos in _positions(analysis):
        line, col = document.to_index(pos.line, pos.col)
        old_highlights = [
            types.DocumentHighlight(
                _old_range(document, o.span),
                types.DocumentHighlightKind.Write if o.is_declaration else types.DocumentHighlightKind.Read,
            )
            for o in analysis.highlights(line, col)
        ]
        _same(highlight.highlights(analysis, line, col), old_highlights)
        found = analysis.references(line, col, True)
        old_references = [types.Location(URI, _old_range(document, o.span)) for o in found]
        _same(references.local_references(URI, analysis, line, col, True), old_references)


def test_selection_ranges(analysis: Analysis) -> None:
    document = analysis.document
    wanted = [types.Position(pos.line, pos.col) for pos in _positions(analysis)]
    old = []
    for where in wanted:
        nested: types.SelectionRange | None = None
        for span in reversed(analysis.selection(*document.to_index(where.line, where.character))):
            nested = types.SelectionRange(range=_old_range(document, span), parent=nested)
        old.append(nested or types.SelectionRange(range=types.Range(start=where, end=where)))
    _same(selection_range.selection_ranges(analysis, wanted), old)


def test_inlay_hints(analysis: Analysis) -> None:
    last = analysis.document.line_count
    old = [
        types.InlayHint(
            position=_old_position(analysis.document, hint.position),
            label=hint.label,
            kind=types.InlayHintKind.Type,
            tooltip=hint.tooltip,
        )
        for hint in analysis.inlay_hints(0, last)
    ]
    _same(inlay_hints.inlay_hints(analysis, 0, last), old)


@pytest.mark.parametrize("query", ["", "b"])
def test_workspace_symbols(analysis: Analysis, query: str) -> None:
    old = [
        types.WorkspaceSymbol(
            name=stage.name or f"stage {stage.index}",
            kind=types.SymbolKind.Class,
            location=types.Location(URI, _old_range(analysis.document, stage.name_span or stage.keyword_span)),
            container_name=f"FROM {stage.base}",
        )
        for stage in analysis.model.stages
        if not query or query in (stage.name or f"stage {stage.index}").lower()
    ]
    _same(workspace_symbols.stage_symbols(URI, analysis.document, analysis.model, query), old)


def test_formatting_edits(analysis: Analysis) -> None:
    document = analysis.document
    edits = analysis.format()
    _same(json_edits(document, edits), [types.TextEdit(_old_range(document, e.span), e.text) for e in edits])


@pytest.mark.parametrize("document_changes", [True, False])
def test_rename_edits(analysis: Analysis, document_changes: bool) -> None:
    document = analysis.document
    for pos in _positions(analysis):
        line, col = document.to_index(pos.line, pos.col)
        try:
            edits = analysis.rename(line, col, "renamed")
        except RenameError:
            continue
        old_edits = [types.TextEdit(_old_range(document, e.span), e.text) for e in edits]
        new = workspace_edit([(URI, 3, json_edits(document, edits))], document_changes)
        if document_changes:
            identifier = types.OptionalVersionedTextDocumentIdentifier(uri=URI, version=3)
            old = types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(identifier, old_edits)])
        else:
            old = types.WorkspaceEdit(changes={URI: old_edits})
        _same(new, old)


def test_code_actions(analysis: Analysis) -> None:
    document = analysis.document
    found = analysis.code_actions(Pos(0, 0), Pos(document.line_count, 0))
    kinds = {"quickfix": types.CodeActionKind.QuickFix, "refactor.rewrite": types.CodeActionKind.RefactorRewrite}
    old = [
        types.CodeAction(
            title=action.title,
            kind=kinds[action.kind.value],
            diagnostics=[to_diagnostic(URI, document, finding) for finding in action.findings] or None,
            is_preferred=action.preferred or None,
            edit=types.WorkspaceEdit(
                changes={URI: [types.TextEdit(_old_range(document, e.span), e.text) for e in action.edits]}
            ),
        )
        for action in found
    ]
    _same(code_actions.actions(URI, analysis, found), old)


def test_a_lone_surrogate_is_escaped_not_refused() -> None:
    """msgspec refuses text that is not valid UTF-8; the answer falls back to ``json``'s escapes."""
    assert json.loads(encode({"message": "x\ud800y"})) == {"message": "x\ud800y"}
