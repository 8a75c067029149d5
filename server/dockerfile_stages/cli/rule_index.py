"""Writes ``rules/index.py`` from the rules themselves: ``python -m dockerfile_stages.cli.rule_index``
(``--check``: exit 1, writing nothing, when the index on disk is not what the rules say). The text is
made by ``rules/index_source.py``; this module only writes it (and formats it where ruff is installed).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from dockerfile_stages.rules import index_source

INDEX = Path(index_source.__file__).with_name("index.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the index is out of date")
    args = parser.parse_args(argv)
    if args.check:
        if not index_source.up_to_date():
            print(f"{INDEX} is out of date: python -m dockerfile_stages.cli.rule_index", file=sys.stderr)
            return 1
        return 0
    INDEX.write_text(index_source.index_source(), encoding="utf-8")
    ruff = shutil.which("ruff")
    if ruff:
        subprocess.run([ruff, "format", "--quiet", str(INDEX)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
