#!/usr/bin/env bash
# Installs code-server (VS Code in a browser) for the extension's end-to-end test, from the npm
# registry only: its install scripts would fetch ripgrep and Node headers from elsewhere, so they
# are switched off and the native modules are built here against Debian's Node headers, with
# Debian's ripgrep in place of the downloaded one.
# Needs (Debian): nodejs npm build-essential python3 pkg-config libkrb5-dev libxkbfile-dev
# libsecret-1-dev libx11-dev ripgrep.   Usage: install-code-server.sh [DIR]   (prints the binary)
set -euo pipefail
DIR="${1:-${DS_CODE_SERVER_DIR:-$HOME/.cache/dockerfile-stages/code-server}}"
BIN="$DIR/node_modules/.bin/code-server"
mkdir -p "$DIR"
cd "$DIR"
quiet_env() { XDG_CONFIG_HOME="$DIR/.xdg/config" XDG_DATA_HOME="$DIR/.xdg/data" "$@"; }
if [ -x "$BIN" ] && quiet_env "$BIN" --version >/dev/null 2>&1; then
  echo "$BIN"
  exit 0
fi
# a package.json of its own, or npm walks up and installs into a parent project
[ -f package.json ] || printf '{"private": true}\n' > package.json
export npm_config_nodedir=/usr npm_config_unsafe_perm=true npm_config_yes=true
export npm_config_audit=false npm_config_fund=false npm_config_loglevel=error
npm install code-server@4 --ignore-scripts >&2
npm rebuild argon2 --foreground-scripts >&2
VSCODE_DIR="$DIR/node_modules/code-server/lib/vscode"
(
  cd "$VSCODE_DIR"
  npm install --omit=dev --ignore-scripts >&2
  # @vscode/ripgrep's postinstall downloads rg unless its bin/ already exists
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild --foreground-scripts >&2
)
(
  cd "$DIR/node_modules/code-server"
  npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" sh ./postinstall.sh >&2
)
quiet_env "$BIN" --version >&2
echo "$BIN"
