"""The invariants of ARCHITECTURE.md, checked on the source: only ``lsp/`` speaks LSP, and only
``sizes/``, ``workspace/`` and ``cli/`` touch files, the network, processes or the environment."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "server" / "dockerfile_stages"
IO_ROOMS = ("sizes", "workspace", "cli")
_LSP = re.compile(r"\b(import|from) (lsprotocol|pygls)\b")
_IO = re.compile(
    r"(?<!def )(?<![.\w])open\(|\.resolve\(\s*\)|\.(read_text|read_bytes|write_text|write_bytes|stat|lstat|exists"
    r"|is_file|is_dir|iterdir|glob|rglob|home|cwd)\(|\bos\.(environ|getenv|walk|stat|listdir|scandir|open|read|replace|remove|chmod)\b"
    r"|\b(import|from) (httpx|socket|subprocess|urllib|shutil|tempfile|glob|platformdirs)\b"
    r"|\b(httpx|socket|subprocess|urllib|shutil|tempfile|glob|platformdirs)\.\w"
    r"|\bimportlib\.resources\b|\bfrom importlib import resources\b"
)
# Calls into workspace/ modules are how the other rooms read (on a worker thread where it matters).
_WORKSPACE_CALL = re.compile(r"\b(build_files|sources|files|context|background)\.\w+\(")
# The language server's own transport: LSP over stdin/stdout or a socket is not the analysis reading files.
TRANSPORT = ("lsp/framing.py", "lsp/bootstrap.py")  # stdin and stdout, before and for the server


def _code(path: Path) -> list[tuple[int, str]]:
    """Each line's code without strings and comments (so docs may name what code must not do)."""
    lines: dict[int, list[str]] = {}
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type in (tokenize.STRING, tokenize.COMMENT) or token.type == getattr(tokenize, "FSTRING_START", -1):
            continue
        lines.setdefault(token.start[0], []).append(token.string)
    return [
        (number, " ".join(parts).replace(" . ", ".").replace(" (", "(").replace(". ", "."))
        for number, parts in lines.items()
    ]


def _modules(*, outside: tuple[str, ...]) -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path.relative_to(PACKAGE).parts[0] not in outside]


@pytest.mark.parametrize("path", _modules(outside=("lsp",)), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_lsp_imports_lsprotocol_or_pygls(path: Path) -> None:
    found = [f"{number}: {code}" for number, code in _code(path) if _LSP.search(code)]
    assert found == [], "LSP types belong in lsp/; the analysis returns plain data"


@pytest.mark.parametrize("path", _modules(outside=IO_ROOMS), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_io_outside_sizes_workspace_and_cli(path: Path) -> None:
    if str(path.relative_to(PACKAGE)) in TRANSPORT:
        return
    found = [f"{number}: {code}" for number, code in _code(path) if _IO.search(_WORKSPACE_CALL.sub("", code))]
    assert found == [], "files, network, processes and the environment belong in sizes/, workspace/ or cli/"


def test_the_checks_can_fail() -> None:
    """The patterns catch what they are for (a check that never matches proves nothing)."""
    assert _LSP.search("from lsprotocol import types") and _LSP.search("import pygls.uris")
    for code in (
        'open("x")',
        "path.read_text()",
        "os.environ.get(x)",
        "import httpx",
        "subprocess.run(x)",
        "p.is_dir()",
    ):
        assert _IO.search(code), code
    assert not _IO.search("document.line(0)") and not _IO.search("span.contains(pos)")
