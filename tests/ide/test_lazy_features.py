"""``ide/analysis.py`` imports each feature's module in the method that uses it (the bootstrap's first
diagnostics need the rules only); ``load_features`` must know every one of them, or the language
server's first request of that kind waits for the import."""

from __future__ import annotations

import ast
import inspect

from dockerfile_stages.ide import analysis


def imported_in_methods() -> set[str]:
    tree = ast.parse(inspect.getsource(analysis))
    found: set[str] = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef) or function.name == "load_features":
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.module == "dockerfile_stages.ide":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dockerfile_stages.ide."):
                found.add((node.module or "").removeprefix("dockerfile_stages.ide."))
    return found


def test_load_features_names_every_module_the_methods_import() -> None:
    used = imported_in_methods()
    assert {"completion", "hover", "formatting"} <= used  # the scan sees the lazy imports
    assert used <= set(analysis.FEATURE_MODULES)
