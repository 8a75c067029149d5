"""The stage model and the rules' findings after edits, built from the previous model (stage records
taken over per FROM node, ``RuleCache`` keeping the results of unchanged stages), equal a fresh
build: seeded random edits on many-stage generated files and on corpus files joined end to end,
with the chunk size shrunk so that chunk boundaries fall everywhere. And the reuse is real: a
keystroke on one FROM line keeps every other stage's record (the very object), a line added above
moves them without reading their FROM lines again."""

from __future__ import annotations

import contextlib
import random

import pytest

from dockerfile_stages.model.stages import StageModel, build_model
from dockerfile_stages.rules import RuleCache
from dockerfile_stages.syntax import Document, document

from ..conftest import corpus_names, corpus_text, needs_corpus
from ..rules.test_rule_cache import OPTIONS, _run

HEADS = ["", "ARG BASE=alpine\n", "ARG TAG=1.2\nARG V\n", "ARG A=b\nARG B=${A}\n"]
STAGE_LINES = [
    "FROM {base} AS s{i}",
    "FROM s{j} AS s{i}",
    "FROM ${{BASE}}:${{TAG:-3}} AS s{i}",
    "FROM --platform=$BUILDPLATFORM golang:1.22 AS s{i}",
    "FROM s{j}",
    "FROM scratch AS S{j}",
    "FROM a AS b",
]
BODY_LINES = [
    "RUN make",
    "COPY --from=s{j} /out /out",
    "RUN --mount=type=cache,target=/c,from=s{j} true",
    "ONBUILD COPY --from=s{j} / /",
    "ENV X=1",
    "WORKDIR app",
    "CMD echo",
    'CMD ["a"]',
    "# a comment",
    "",
    "ARG V=2",
    "COPY $UNDEFINED /x",
    "RUN a \\\n  && b",
]
EDITS = [
    "x", "", "\n", "\n\n", "FROM a AS c\n", "FROM s1 AS s9\n", " AS n", "${A:-${A:-", "--from=s2 ", "ARG Q=1\n",
    "COPY --from=b / /\n", "RUN --mount=from=s0 x\n", "\\\n", "# ", "CMD x\n", "s", "0", "$BASE",
]  # fmt: skip


def many_stages(rng: random.Random, stages: int) -> str:
    lines = [rng.choice(HEADS)]
    for i in range(stages):
        j = rng.randrange(max(1, i + 2))
        lines.append(rng.choice(STAGE_LINES).format(i=i, j=j, base=rng.choice(["alpine", "b", "s0", "x:1"])))
        for _ in range(rng.randrange(3)):
            lines.append(rng.choice(BODY_LINES).format(j=rng.randrange(max(1, i + 2))))
    return "\n".join(lines) + "\n"


def model_facts(model: StageModel) -> tuple[object, ...]:
    return (model.stages, model.meta_args, model.refs, model.names, model.dependencies)


def random_edit(text: str, rng: random.Random) -> tuple[int, int, str]:
    start = rng.randrange(len(text) + 1)
    if rng.random() < 0.5:  # at a line start or end, where FROM lines are made and unmade
        start = text.rfind("\n", 0, start) + 1 if rng.random() < 0.5 else max(start, text.find("\n", start))
    end = min(len(text), start + rng.choice([0, 0, 0, 1, 2, 5, 12, 40]))
    return start, end, rng.choice(EDITS)


def position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n"), offset - (before.rfind("\n") + 1)


def check_edits(text: str, rng: random.Random, edits: int, option: int) -> None:
    edited = Document(text, encoding="utf-32")
    cache = RuleCache()
    model = build_model(edited)
    _run(edited, model, cache, option)
    for _ in range(edits):
        start, end, new = random_edit(text, rng)
        edited.apply_change(*position(text, start), *position(text, end), new)
        text = text[:start] + new + text[end:]
        model = build_model(edited, previous=model)
        fresh = Document(text, encoding="utf-32")
        fresh_model = build_model(fresh)
        assert model_facts(model) == model_facts(fresh_model), (start, end, new)
        assert _run(edited, model, cache, option) == _run(fresh, fresh_model, None, option), (start, end, new)


@pytest.fixture(params=[4, document.CHUNK], ids=["chunks of 4", "chunks as shipped"])
def chunk_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(document, "CHUNK", request.param)
    return int(request.param)


@pytest.mark.parametrize("seed", range(12))
def test_edits_on_many_stages_give_what_a_fresh_build_gives(chunk_size: int, seed: int) -> None:
    rng = random.Random(seed)
    check_edits(many_stages(rng, rng.choice([3, 20, 120])), rng, 25, seed % len(OPTIONS))


@needs_corpus
@pytest.mark.parametrize("seed", range(6))
def test_edits_on_corpus_files_give_what_a_fresh_build_gives(chunk_size: int, seed: int) -> None:
    rng = random.Random(seed)
    names = corpus_names()
    text = "\n".join(corpus_text(name) for name in rng.sample(names, 8)).replace("\r", "")
    check_edits(text, rng, 25, seed % len(OPTIONS))


SHAPE = "RUN " + "FROM a AS b\n" * 300 + "\nFROM x\n"


def test_a_keystroke_on_one_from_line_keeps_every_other_stage_record() -> None:
    edited = Document(SHAPE, encoding="utf-32")
    before = build_model(edited)
    edited.apply_change(150, 5, 150, 5, "${A:-${A:-")
    after = build_model(edited, previous=before)
    pairs = list(enumerate(zip(before.stages, after.stages, strict=True)))
    assert [index for index, (was, now) in pairs if was != now] == [149]  # stage 0 is on line 1, after the RUN
    # The parser reads the node above an edit again (an equal node, another object): its stage is rebuilt.
    assert [index for index, (was, now) in pairs if was is not now] == [148, 149]
    assert after.stages == build_model(Document(edited.text, encoding="utf-32")).stages


def test_a_line_added_above_moves_the_records_without_reading_the_from_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerfile_stages.model import stages as stages_module

    edited = Document(SHAPE, encoding="utf-32")
    before = build_model(edited)
    edited.apply_change(5, 0, 5, 0, "FROM c AS d\n\n")
    read: list[int] = []
    built = stages_module._Builder._built

    def counting(self: stages_module._Builder, line: int, node: object, end_line: int) -> object:
        read.append(line)
        return built(self, line, node, end_line)  # type: ignore[arg-type]

    monkeypatch.setattr(stages_module._Builder, "_built", counting)
    after = build_model(edited, previous=before)
    assert 5 in read and len(read) <= 3, read  # the new FROM and those the parser read again around it
    assert after.stages == build_model(Document(edited.text, encoding="utf-32")).stages
    assert after.stages[10].start_line == before.stages[9].start_line + 2


def test_a_reference_changed_in_place_is_seen_by_what_reads_every_reference() -> None:
    """A new model whose stage records are all the old ones: a rule's memo of the model's references
    (``COPY --from`` of a whole stage, memo of no stage) is worked out again."""
    text = "FROM alpine AS a\nRUN make\nFROM scratch AS b\nFROM alpine\nCOPY --from=b / /\n"
    edited = Document(text, encoding="utf-32")
    cache = RuleCache()
    model = build_model(edited)
    _run(edited, model, cache, 1)
    edited.apply_change(4, 12, 4, 13, "a")
    after = build_model(edited, previous=model)
    assert after is not model and after.stages == model.stages
    fresh = Document(edited.text, encoding="utf-32")
    expected = _run(fresh, build_model(fresh), None, 1)
    assert any("whole filesystem" in finding.message for finding in expected)
    assert _run(edited, after, cache, 1) == expected


def ends_by_walk(document: Document, starts: list[int]) -> list[int]:
    """Each stage's end found as BuildKit reports it: the last line of the last instruction that
    starts before the next FROM (walking the tree back from it)."""
    from dockerfile_stages.syntax.nodes import Instruction

    stops = [*starts[1:], document.line_count][: len(starts)]
    found = [document.last_line_of_node_before(stop, lambda node: isinstance(node, Instruction)) for stop in stops]
    return [end if end is not None and end >= start else start for start, end in zip(starts, found, strict=True)]


@pytest.mark.parametrize("seed", range(6))
def test_stage_ends_are_the_last_lines_of_their_last_instructions(seed: int) -> None:
    rng = random.Random(seed)
    texts = [many_stages(rng, 40) + "# trailing\n\n", "FROM a\n# c\n\nRUN x \\\n  y\n# d\n"]
    with contextlib.suppress(OSError, ValueError):  # no shared corpus here: the generated files only
        texts += [corpus_text(name) for name in rng.sample(corpus_names(), 40)]
    for text in texts:
        edited = Document(text, encoding="utf-32")
        model = build_model(edited)
        starts = [stage.start_line for stage in model.stages]
        assert [stage.end_line for stage in model.stages] == ends_by_walk(edited, starts)


@pytest.mark.parametrize("seed", range(6))
def test_instructions_by_stage_are_each_stages_instructions(seed: int) -> None:
    from dockerfile_stages.model.stages import instructions_by_stage, stage_instructions

    rng = random.Random(seed)
    texts = [many_stages(rng, 40) + "# trailing\n\nRUN x\n", "# c\nRUN x\n\n", "ARG A\nFROM a\n# c\n\nRUN x \\\n  y\n"]
    with contextlib.suppress(OSError, ValueError):  # no shared corpus here: the generated files only
        texts += [corpus_text(name) for name in rng.sample(corpus_names(), 40)]
    for text in texts:
        edited = Document(text, encoding="utf-32")
        model = build_model(edited)
        assert instructions_by_stage(edited, model) == [stage_instructions(edited, stage) for stage in model.stages]


STAGES_ON_BASE = "FROM alpine AS base\n" + "".join(f"FROM base AS s{i}\nRUN make\n" for i in range(200))


def _probe_after(edit: tuple[int, int, int, int, str]) -> tuple[list[int], list[list[str]], list[list[str]]]:
    """The stages a STAGE rule's ``stage_values`` works out again after ``edit`` (with the values
    before and after): a rule that reads its stage's record only."""
    from dockerfile_stages.model.stages import Stage
    from dockerfile_stages.rules import run_rules

    edited = Document(STAGES_ON_BASE, encoding="utf-32")
    cache = RuleCache()
    model = build_model(edited)
    computed: list[int] = []

    def probe(stage: Stage) -> list[str]:
        computed.append(stage.index)
        return [stage.label, stage.base]

    run_rules(edited, model, cache=cache)
    before = list(cache.stage_values("probe", probe, with_bases=False))
    assert computed == list(range(201))
    computed.clear()
    edited.apply_change(*edit)
    model = build_model(edited, previous=model)
    run_rules(edited, model, cache=cache)
    after = cache.stage_values("probe", probe, with_bases=False)
    worked_out = list(computed)
    assert after == [probe(stage) for stage in build_model(Document(edited.text, encoding="utf-32")).stages]
    return worked_out, before, after


def test_a_from_unmade_keeps_the_work_of_the_stages_above_it() -> None:
    """A stage count that changes no longer drops every stage's work: only the stages from the
    edit on are worked out again (the stage above, whose lines now take the unmade FROM, and those
    moved to other indexes). Their values equal to the old ones are the old objects."""
    line = 1 + 2 * 150  # the FROM of s150 (stage 151)
    computed, before, after = _probe_after((line, 0, line, 1, ""))  # "ROM base AS s150"
    assert computed == list(range(150, 200))
    assert after[:150] == before[:150] and all(now is was for now, was in zip(after[:150], before[:150], strict=True))
    assert after[160] is before[161]  # moved up one index, the same value: kept


def test_a_from_made_keeps_the_work_of_the_stages_above_it() -> None:
    line = 1 + 2 * 150
    computed, before, after = _probe_after((line, 0, line, 0, "FROM base AS new\n"))
    assert computed == list(range(151, 202))
    assert all(now is was for now, was in zip(after[:151], before[:151], strict=True))
