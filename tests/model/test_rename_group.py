"""``Variables.rename_group`` drops a definition from the candidates once it is linked to the group:
the group equals the closure worked out pair by pair (as before), and a name declared thousands of
times no longer takes seconds."""

from __future__ import annotations

import random
import time

import pytest

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.model.variables import Definition, Variables


def closure(variables: Variables, definition: Definition) -> set[int]:
    """The group as ``rename_group`` built it before: every candidate tested against every member."""
    if definition.stage is None:
        pool = variables.definitions
    else:
        near = variables._descendants(definition.stage) | variables._lineage(definition.stage)
        pool = [d for step in variables._global_steps for d in step.definitions]
        pool += [d for index in sorted(near) for step in variables._steps_of(index) for d in step.definitions]
    related = [d for d in pool if d.name == definition.name]
    group: dict[int, Definition] = {}
    todo = [definition]
    while todo:
        current = todo.pop()
        if id(current) in group:
            continue
        group[id(current)] = current
        if current.inherits is not None and not current.inherits.predefined:
            todo.append(current.inherits)
        todo += [
            other
            for other in related
            if other.inherits is current or variables._shadows(other, current) or variables._shadows(current, other)
        ]
    return set(group)


LINES = ["ARG {n}", "ARG {n}=1", "ENV {n}=2", "ARG {n} {m}", "RUN echo ${n}", "COPY $m /x", "ENV {n}=${m}"]


def generated(rng: random.Random) -> str:
    lines = [rng.choice(["", "ARG A\n", "ARG A=0 B\n"])]
    for stage in range(rng.randrange(1, 6)):
        base = f"s{rng.randrange(stage)}" if stage and rng.random() < 0.6 else "alpine"
        lines.append(f"FROM {base} AS s{stage}")
        for _ in range(rng.randrange(8)):
            lines.append(rng.choice(LINES).format(n=rng.choice("AB"), m=rng.choice("AB")))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(40))
def test_the_group_is_the_pairwise_closure(seed: int) -> None:
    variables = Analysis.of_text(generated(random.Random(seed))).variables
    for definition in variables.definitions:
        members, _ = variables.rename_group(definition)
        assert {id(member) for member in members} == closure(variables, definition)


def test_a_name_declared_thousands_of_times_on_two_lines() -> None:
    """The analysis fuzzer's input 904 (issue 16): references took 6.5 s of CPU time."""
    line = "ARG" + " X" * 2917
    analysis = Analysis.of_text(line + "\n" + line)
    analysis.variables  # noqa: B018 (built first: its own time is not what is measured)
    started = time.process_time()
    assert len(analysis.references(0, 4, True)) == 5834
    assert time.process_time() - started < 0.5
