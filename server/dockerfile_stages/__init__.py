"""dockerfile-stages: a language server and command line for multi-stage Dockerfiles."""

from __future__ import annotations

import sys
from importlib.machinery import PathFinder

TYPE_CHECKING = False  # not ``typing``'s: this runs for ``--version`` too
if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType
    from typing import Any

__version__ = "0.1.0"


class _LeanMsgspec:
    """Imports msgspec without typing_extensions (issue 15: start-up).

    msgspec's ``_utils`` takes ``get_type_hints``, ``Required`` and ``NotRequired`` from
    typing_extensions when it can, else from ``typing``; importing typing_extensions brings inspect
    (ast, dis, tokenize, linecache) with it, about 6 of the 12 ms of ``import msgspec`` and a fifth
    of a cold ``check``. On the Pythons we support ``typing`` has what msgspec needs for our records
    (no ``typing_extensions`` types in them), so while msgspec's package runs, typing_extensions is
    marked absent (``sys.modules[name] = None`` makes its import fail); afterwards it imports as
    usual (pygls and lsprotocol need it). Where typing_extensions or msgspec is loaded already,
    nothing changes. Registered on ``sys.meta_path`` until msgspec is imported, then removed.
    """

    def find_spec(self, name: str, path: Any = None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name != "msgspec":
            return None
        self._remove()
        spec = PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or "typing_extensions" in sys.modules:
            return spec
        spec.loader = _WithoutTypingExtensions(spec.loader)  # type: ignore[assignment]
        return spec

    def _remove(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)


class _WithoutTypingExtensions:
    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        sys.modules["typing_extensions"] = None  # type: ignore[assignment]
        try:
            self.loader.exec_module(module)
        finally:
            if sys.modules.get("typing_extensions", ()) is None:
                del sys.modules["typing_extensions"]


if "msgspec" not in sys.modules and "typing_extensions" not in sys.modules:
    sys.meta_path.insert(0, _LeanMsgspec())
