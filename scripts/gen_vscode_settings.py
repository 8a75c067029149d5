"""Write the server's settings schema into the VS Code extension's package.json, and its version
(the project's, ``dockerfile_stages.__version__``, which pyproject.toml reads too). ``--check`` only
says whether package.json is up to date (exit 1 if not).

    python3 scripts/gen_vscode_settings.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_JSON = ROOT / "vscode-client" / "package.json"
GENERATED_SECTION = "dockerfileStages.analysis"

sys.path.insert(0, str(ROOT / "server"))
from dockerfile_stages import __version__  # noqa: E402
from dockerfile_stages.lsp.settings_schema import configuration_properties  # noqa: E402


def generated(package: dict[str, Any]) -> dict[str, Any]:
    """package.json with the generated settings section and version filled in."""
    updated = json.loads(json.dumps(package))
    updated["version"] = __version__
    sections = updated["contributes"]["configuration"]
    section = next((s for s in sections if s.get("id") == GENERATED_SECTION), None)
    if section is None:
        raise SystemExit(f"package.json has no configuration section with id {GENERATED_SECTION}")
    section["properties"] = configuration_properties()
    return updated


def render(package: dict[str, Any]) -> str:
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    current = PACKAGE_JSON.read_text(encoding="utf-8")
    wanted = render(generated(json.loads(current)))
    if "--check" in argv:
        if current != wanted:
            print(f"{PACKAGE_JSON} is out of date: run python3 scripts/gen_vscode_settings.py", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        PACKAGE_JSON.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
