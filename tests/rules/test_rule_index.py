"""The rule index (rules/index.py) against the rules themselves, and the ``needs`` it loads rules by.

``run_rules`` imports a rule's module only where the document has one of the rule's needs (see
``rules.registry``), so a need that is not necessary would lose findings in a fresh process. These
tests take every rule fixture and corpus file, remove the instructions that have one of a rule's
needs, and require the rule to find nothing in what is left (run in this process, where every rule
module is loaded, so the rule does run).
"""

from __future__ import annotations

import ast
import importlib
import sys
import threading
import time
from pathlib import Path

import pytest

from dockerfile_stages.cli import rule_index
from dockerfile_stages.model import build_model
from dockerfile_stages.rules import ENTRIES, RULES, RULES_BY_ID, index_source, registry, run_rules
from dockerfile_stages.rules.base import Rule
from dockerfile_stages.sizes.snapshot import snapshot_images
from dockerfile_stages.syntax import Document
from dockerfile_stages.syntax.nodes import Instruction

from ..conftest import corpus_names, corpus_text
from .test_buildkit_checks import CHECK_CASES, FIXES
from .test_instruction_errors import ERROR_CASES
from .test_instruction_errors import FIXES as ERROR_FIXES
from .test_rules import CASES

RULES_DIR = Path(index_source.__file__).parent
IMAGES = snapshot_images()


def test_the_index_lists_what_the_rules_say() -> None:
    assert list(ENTRIES) == index_source.entries()  # python -m dockerfile_stages.cli.rule_index rewrites it
    assert rule_index.main(["--check"]) == 0


def test_the_index_is_out_of_date_when_a_rule_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerfile_stages.rules import healthcheck

    monkeypatch.setattr(healthcheck, "RULE", Rule(**{**_fields(healthcheck.RULE), "cmds": ("HEALTHCHECK", "RUN")}))
    assert not index_source.up_to_date()
    assert rule_index.main(["--check"]) == 1


def _fields(rule: Rule) -> dict[str, object]:
    return {name: getattr(rule, name) for name in rule.__struct_fields__}


def test_every_rule_module_rule_is_in_the_index() -> None:
    """Each module-level ``X = Rule(...)`` of rules/*.py is one entry (a new rule cannot be forgotten)."""
    defined = set()
    for path in RULES_DIR.glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "Rule":
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                assert isinstance(target, ast.Name)
                defined.add(f"{path.stem}.{target.id}")
    assert defined == set(index_source.SOURCES)
    assert [rule.id for rule in RULES] == [entry.id for entry in ENTRIES]
    assert all(RULES_BY_ID[entry.id] is rule for entry, rule in zip(ENTRIES, RULES, strict=True))


def _without(text: str, needs: frozenset[str]) -> str:
    """The text less every instruction that has one of ``needs``."""
    document = Document(text, encoding="utf-32")
    kept = []
    for line, node in document.nodes():
        if isinstance(node, Instruction) and not needs.isdisjoint(registry.node_features(node)):
            continue
        kept += [document.line(index) + "\n" for index in range(line, line + node.line_count)]
    return "".join(kept)


def _inputs() -> list[str]:
    fixtures = [case[1] for case in [*CASES, *CHECK_CASES, *ERROR_CASES, *FIXES, *ERROR_FIXES]]
    return list(dict.fromkeys(fixtures)) + [corpus_text(name) for name in corpus_names()]


NEEDS = sorted({frozenset(entry.needs) for entry in ENTRIES if entry.needs}, key=sorted)


@pytest.mark.parametrize("needs", NEEDS, ids=lambda needs: ",".join(sorted(needs)))
def test_a_rule_finds_nothing_without_what_it_needs(needs: frozenset[str]) -> None:
    chosen = [entry for entry in ENTRIES if frozenset(entry.needs) == needs]
    select = [entry.id for entry in chosen]  # named: experimental ones run too
    checked = 0
    for text in _inputs():
        stripped = _without(text, needs)
        document = Document(stripped, encoding="utf-32")
        assert not needs & registry.features(document, needs)
        found = run_rules(document, build_model(document), select=select, images=IMAGES, ignore_patterns=("*",))
        assert not found, (needs, stripped, found)
        checked += stripped != text
    assert checked  # some input had what the rules need


def test_a_rule_finds_something_with_what_it_needs() -> None:
    """Most rules with needs fire on the inputs above, so the test before it can fail."""
    select = [entry.id for entry in ENTRIES if entry.needs]
    fired = set()
    for text in _inputs():
        document = Document(text, encoding="utf-32")
        found = run_rules(document, build_model(document), select=select, images=IMAGES, ignore_patterns=("*",))
        fired |= {finding.rule for finding in found}
    assert fired == set(select), sorted(set(select) - fired)


def test_features_of_an_instruction() -> None:
    document = Document(
        "FROM --platform=$BUILDPLATFORM alpine\nONBUILD COPY --from=x /a /b\nRUN <<EOF\necho $HOME\nEOF\n"
    )
    nodes = [node for _, node in document.nodes() if isinstance(node, Instruction)]
    assert registry.node_features(nodes[0]) == {"FROM", "--platform", "$"}
    assert registry.node_features(nodes[1]) == {"ONBUILD", "COPY", "--from"}
    assert registry.node_features(nodes[2]) == {"RUN", "$"}  # in the heredoc
    assert registry.features(document, {"COPY", "HEALTHCHECK"}) == {"COPY"}


def test_a_rule_module_another_thread_is_still_importing_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server imports every rule module on a thread (``rules.load_all``) while documents are
    analysed: a module is in ``sys.modules`` from its first line, and taking it from there before it
    has run lost every diagnostic of the run (an AttributeError on the worker; BOOTSTRAP=0 servers
    hung without diagnostics in 10 of 12 starts)."""
    package = tmp_path / "slow_rules"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "slow.py").write_text("import time\n\ntime.sleep(0.3)\nRULE = 'the rule'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "PACKAGE", "slow_rules")
    entry = registry.RuleEntry("DS999", "slow", "slow", "RULE", "file")
    importing = threading.Thread(target=importlib.import_module, args=("slow_rules.slow",))
    try:
        importing.start()
        while "slow_rules.slow" not in sys.modules:
            time.sleep(0.001)
        assert registry.load(entry) == "the rule"  # type: ignore[comparison-overlap]
    finally:
        importing.join()
        sys.modules.pop("slow_rules.slow", None)
        sys.modules.pop("slow_rules", None)
