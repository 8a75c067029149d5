"""Put into vscode-client/ what the VSIX ships besides the bundled JavaScript: the repository's
LICENSE, and in bundled/libs the server's Python package with its pure-Python dependencies (run by
any Python 3.10+ on PATH when no installed server is found).

    python3 scripts/prepare_package.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

CLIENT = Path(__file__).resolve().parent.parent
ROOT = CLIENT.parent
LIBS = CLIENT / "bundled" / "libs"
# Backports some dependencies need only below Python 3.11/3.13: pip leaves them out when the Python
# building the VSIX is newer, so they are added by name (they are no-ops on newer Pythons).
BACKPORTS = ("exceptiongroup", "typing_extensions")


def install_libs() -> None:
    shutil.rmtree(LIBS, ignore_errors=True)
    LIBS.mkdir(parents=True)
    pip = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--root-user-action=ignore",
    ]
    subprocess.run([*pip, "--target", str(LIBS), str(ROOT), *BACKPORTS], check=True)
    # Compiled modules (PyYAML's libyaml binding, regex for python-hcl2) load only on the Python
    # version and platform that built the VSIX. Elsewhere PyYAML runs as pure Python, and without
    # regex the server skips docker-bake.hcl files when it looks for the targets builds use.
    shutil.rmtree(LIBS / "bin", ignore_errors=True)
    for cache in LIBS.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def main() -> int:
    shutil.copyfile(ROOT / "LICENSE", CLIENT / "LICENSE")
    install_libs()
    print(f"bundled the server into {LIBS.relative_to(CLIENT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
