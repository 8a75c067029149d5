"""msgspec imported lean, for the program's own start (issue 15: start-up).

``install()`` is called by the command line's ``main`` (``cli/main.py``: every command, ``serve`` too)
before anything imports msgspec. Importing ``dockerfile_stages`` does not call it: a process that uses
the package as a library imports msgspec as it always does.

While msgspec's package runs (once; the finder leaves ``sys.meta_path`` at msgspec's import):

- ``typing_extensions`` is marked absent (``sys.modules[name] = None`` makes its import fail), so
  msgspec's ``_utils`` takes ``get_type_hints``, ``Required`` and ``NotRequired`` from ``typing``, which
  has what our records need on the Pythons we support. typing_extensions brings inspect (ast, dis,
  tokenize, linecache) with it: about 6 of the 12 ms of ``import msgspec``. Afterwards it imports as
  usual (pygls and lsprotocol need it).
- The submodules msgspec's ``__init__`` imports although a run may not use them (``msgspec.json``
  with its schema generator, ``inspect``, ``msgpack``, ``toml``, ``yaml``: about 2 ms, ``textwrap``
  among them) are created empty and run at the first look at one of their attributes, as
  ``importlib.util.LazyLoader`` does, under a lock so that a second thread waits for the first.
  ``msgspec.structs`` and the C core load as usual.
- On Linux before Python 3.13, ``platform`` is a stand-in with ``system()`` only: msgspec's core imports
  ``uuid``, which imports ``platform`` (~1.3 ms, most of it patterns compiled at import) for one call,
  ``platform.system()``, to set its ``_LINUX`` flag (3.13 tests ``sys.platform`` instead). The stand-in
  answers as ``platform.system()`` does there (``os.uname().sysname``) and leaves ``sys.modules`` with
  msgspec's import: ``import platform`` afterwards loads the real module.

Where msgspec or typing_extensions is loaded already, nothing changes.
"""

from __future__ import annotations

import sys
from _thread import RLock
from importlib.machinery import PathFinder
from types import ModuleType

TYPE_CHECKING = False  # not ``typing``'s: this runs for ``--version`` too
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from typing import Any

HIDDEN = "typing_extensions"
DEFERRED = frozenset({"msgspec.inspect", "msgspec.json", "msgspec.msgpack", "msgspec.toml", "msgspec.yaml"})


def install() -> bool:
    """Put the one-shot finder first on ``sys.meta_path``; False (nothing done) where msgspec or
    typing_extensions is imported already or the finder is there."""
    if "msgspec" in sys.modules or HIDDEN in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return False
    sys.meta_path.insert(0, _Finder())
    return True


def installed() -> bool:
    """Whether the finder is waiting on ``sys.meta_path`` for msgspec's import."""
    return any(isinstance(finder, _Finder) for finder in sys.meta_path)


class _Finder:
    """Finds msgspec as the path finder does, with its loader wrapped (``_Lean``); then leaves."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != "msgspec":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or HIDDEN in sys.modules:
            return spec
        spec.loader = _Lean(spec.loader)  # type: ignore[assignment]
        return spec


class _Wrapper:
    """A module's own loader, wrapped: the module is created by it and, once run, names it as its loader."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)  # type: ignore[no-any-return]

    def hand_back(self, module: ModuleType) -> None:
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader


class _Lean(_Wrapper):
    """msgspec's own loader, run with typing_extensions absent and the ``DEFERRED`` submodules deferred."""

    def exec_module(self, module: ModuleType) -> None:
        self.hand_back(module)
        sys.modules[HIDDEN] = None  # type: ignore[assignment]
        deferring = _DeferringFinder()
        sys.meta_path.insert(0, deferring)
        platform = _platform_stand_in()
        if platform is not None:
            sys.modules["platform"] = platform
        try:
            self.loader.exec_module(module)
        finally:
            if deferring in sys.meta_path:
                sys.meta_path.remove(deferring)
            if sys.modules.get(HIDDEN, ()) is None:
                del sys.modules[HIDDEN]
            if platform is not None and sys.modules.get("platform") is platform:
                del sys.modules["platform"]


def _platform_stand_in() -> ModuleType | None:
    """For ``uuid``'s one call, where it makes it and nothing has imported ``platform`` or ``uuid`` yet."""
    if not sys.platform.startswith("linux") or sys.version_info >= (3, 13):
        return None
    if "platform" in sys.modules or "uuid" in sys.modules:
        return None
    import os

    stand_in = ModuleType("platform", "uuid's platform.system(), while msgspec loads (dockerfile_stages.lean_msgspec)")
    stand_in.system = lambda: os.uname().sysname  # type: ignore[attr-defined]
    return stand_in


class _DeferringFinder:
    """While msgspec's package runs: its ``DEFERRED`` submodules get a ``_Deferred`` loader."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name not in DEFERRED:
            return None
        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _Deferred(spec.loader)  # type: ignore[assignment]
        return spec


_LOCK = RLock()
_PENDING: dict[str, Any] = {}  # module name -> the loader that will run it


class _Deferred(_Wrapper):
    def exec_module(self, module: ModuleType) -> None:
        self.hand_back(module)
        with _LOCK:
            _PENDING[module.__name__] = self.loader
            module.__class__ = _DeferredModule


# What the import system asks of a module it has imported: answered without running it.
_AS_IS = frozenset({"__name__", "__spec__", "__class__", "__loader__", "__path__", "__package__"})


class _DeferredModule(ModuleType):
    """A module whose code runs at the first look at any other attribute (``__dict__`` included)."""

    def __getattribute__(self, name: str) -> Any:
        if name not in _AS_IS:
            _run(self)
        return ModuleType.__getattribute__(self, name)


def _run(module: ModuleType) -> None:
    with _LOCK:  # re-entrant: the module's own code, run here, looks at its attributes as usual
        loader = _PENDING.pop(ModuleType.__getattribute__(module, "__name__"), None)
        if loader is None:
            return
        try:
            loader.exec_module(module)
        finally:
            module.__class__ = ModuleType
