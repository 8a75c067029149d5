"""diagnostics.maxProblems: past the cap, the most severe findings in document order and one note
saying how many more there are and how to see them."""

from __future__ import annotations

from dockerfile_stages.ide.analysis import Analysis, load_features
from dockerfile_stages.lsp.diagnostic_json import diagnostics

URI = "file:///project/Dockerfile"
# warnings (unknown --from stages) before and after an error (a stage name used twice)
TEXT = "FROM alpine AS a\nCOPY --from=nope1 /a /a\nCOPY --from=nope2 /a /a\nFROM alpine AS a\nCOPY --from=nope3 /a /a\n"


def _analysis() -> Analysis:
    load_features()
    return Analysis.of_text(TEXT)


def test_under_the_cap_everything_as_without_one() -> None:
    analysis = _analysis()
    everything = diagnostics(URI, analysis)
    assert len(everything) == len(analysis.findings) > 3
    assert diagnostics(URI, analysis, limit=len(everything)) == everything
    assert diagnostics(URI, analysis, limit=0) == everything


def test_over_the_cap_the_most_severe_in_order_then_a_note() -> None:
    analysis = _analysis()
    everything = diagnostics(URI, analysis)
    limit = 2
    capped = diagnostics(URI, analysis, limit=limit)
    shown, note = capped[:-1], capped[-1]
    assert sorted(d["severity"] for d in shown) == sorted(d["severity"] for d in everything)[:limit]
    places = [everything.index(d) for d in shown]
    assert places == sorted(places)  # in document order
    assert shown[0]["severity"] > shown[1]["severity"]  # here the error comes after a warning
    assert note["severity"] == 3 and note["range"]["start"] == {"line": 0, "character": 0}
    hidden = len(everything) - limit
    assert note["message"].startswith(f"{hidden} more problems are not shown: the {limit} most severe are.")
    assert "dockerfileStages.diagnostics.maxProblems" in note["message"]


def test_diagnostics_off_shows_no_note() -> None:
    assert diagnostics(URI, _analysis(), enabled=False, limit=1) == []


def test_the_most_severe_are_the_first_of_a_sort_by_severity_then_place() -> None:
    """most_severe takes severity by severity instead of sorting every finding: the same choice."""
    import random

    from dockerfile_stages.lsp.diagnostic_json import SEVERITIES, most_severe
    from dockerfile_stages.rules.base import Finding, Severity
    from dockerfile_stages.syntax.nodes import Pos, Span

    rng = random.Random(16)
    for _ in range(300):
        severities = rng.sample(list(Severity), rng.randrange(1, len(Severity) + 1))
        findings = [
            Finding("DS100", rng.choice(severities), "m", Span(Pos(line, 0), Pos(line, 1)))
            for line in range(rng.randrange(1, 60))
        ]
        limit = rng.randrange(1, len(findings) + 2)
        ranked = sorted(range(len(findings)), key=lambda index: (SEVERITIES[findings[index].severity], index))
        expected = [findings[index] for index in sorted(ranked[:limit])]
        assert most_severe(findings, limit) == expected
