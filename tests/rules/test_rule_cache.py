"""A warm ``RuleCache`` gives the same findings as a fresh run, after any sequence of edits (and the
stage model built from the previous one is the one built afresh).

The edits are those of ``tests/test_incremental.py``, on generated files and on corpus files
joined end to end (several chunks, so that most of the file is reused). The chunk size is also
shrunk to a few nodes, so that chunk boundaries fall everywhere.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerfile_stages.model import build_model
from dockerfile_stages.model.stages import StageModel
from dockerfile_stages.rules import RULES, Finding, RuleCache, Scope, run_rules
from dockerfile_stages.sizes.snapshot import snapshot_images
from dockerfile_stages.syntax import Document, document

from ..conftest import corpus_names, corpus_text, needs_corpus
from ..strategies import dockerfiles
from ..test_incremental import EXAMPLES, _outside_crlf, _position, edit_sequences

IMAGES = tuple(snapshot_images())
# (select, .dockerignore, targets): the default rules, and every rule with what only some read
OPTIONS: list[tuple[tuple[str, ...], tuple[str, ...] | None, tuple[str, ...]]] = [
    ((), None, ()),
    (("all",), ("*.md", "secret*", "!keep.md"), ("test", "dev")),
]


def _run(document: Document, model: StageModel | None, cache: RuleCache | None, option: int) -> list[Finding]:
    select, patterns, targets = OPTIONS[option]
    return list(
        run_rules(
            document,
            build_model(document) if model is None else model,
            select=select,
            ignore_patterns=patterns,
            targets=targets,
            images=IMAGES,
            cache=cache,
        )
    )


def check_cached_equals_fresh(text: str, edits: list[tuple[int, int, int, int, str]], option: int) -> None:
    edited = Document(text, encoding="utf-32")
    cache = RuleCache()
    model = build_model(edited)
    _run(edited, model, cache, option)
    expected = text
    for start, end, _, _, new in edits:
        start, end = _outside_crlf(expected, start), _outside_crlf(expected, end)
        edited.apply_change(*_position(expected, start), *_position(expected, end), new)
        expected = expected[:start] + new + expected[end:]
        model = build_model(edited, previous=model)
        fresh = Document(expected, encoding="utf-32")
        fresh_model = build_model(fresh)
        assert model.stages == fresh_model.stages
        assert _run(edited, model, cache, option) == _run(fresh, fresh_model, None, option)


@pytest.fixture(params=[4, document.CHUNK], ids=["chunks of 4", "chunks as shipped"])
def chunk_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(document, "CHUNK", request.param)
    return int(request.param)


@given(data=st.data(), text=dockerfiles(), option=st.sampled_from(range(len(OPTIONS))))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_cached_findings_equal_fresh_ones_on_generated_files(
    chunk_size: int, data: st.DataObject, text: str, option: int
) -> None:
    check_cached_equals_fresh(text, data.draw(edit_sequences(text)), option)


CORPUS_SAMPLE = corpus_names()[::5]


@needs_corpus
@given(data=st.data(), option=st.sampled_from(range(len(OPTIONS))))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_cached_findings_equal_fresh_ones_on_joined_corpus_files(
    chunk_size: int, data: st.DataObject, option: int
) -> None:
    names = data.draw(st.lists(st.sampled_from(CORPUS_SAMPLE or ["none"]), min_size=1, max_size=6))
    text = "\n".join(corpus_text(name) for name in names)
    check_cached_equals_fresh(text, data.draw(edit_sequences(text)), option)


def test_every_rule_declares_how_it_runs() -> None:
    for rule in RULES:
        assert (rule.scope is Scope.INSTRUCTION) == (rule.check_node is not None), rule.id
        assert not rule.cmds or rule.scope is Scope.INSTRUCTION, rule.id


def test_a_run_over_most_stages_reads_their_instructions_in_one_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lookup per stage (a bisect and a walk each) was a seventh of the rules' time at 6,666
    stages. After an edit within one stage, only that stage is read again; after one that moves
    every stage below it, they are read in one walk."""
    from dockerfile_stages.rules import cache

    looked_up: list[int] = []
    per_stage = cache.stage_instructions
    monkeypatch.setattr(
        cache, "stage_instructions", lambda doc, stage: looked_up.append(stage.index) or per_stage(doc, stage)
    )
    text = "".join(f"FROM alpine AS s{index}\nENTRYPOINT run {index}\nWORKDIR app\n" for index in range(50))
    document = Document(text)
    rule_cache = RuleCache()
    for line, column, inserted, looked_up_at_most in ((None, 0, "", 0), (5, 0, "x", 1), (4, 0, "ENV A=b\n", 0)):
        if line is not None:
            document.apply_change(line, column, line, column, inserted)
        looked_up.clear()
        found = run_rules(document, build_model(document), cache=rule_cache)
        assert len(looked_up) <= looked_up_at_most, (line, looked_up)
        assert found == run_rules(document, build_model(document))  # the same findings as a fresh cache
