#!/usr/bin/env bash
# `npm start`: installs what the stack needs if missing (npm packages, the Temporal CLI, the SQS server),
# builds if the sources changed, and runs the whole product on this machine, one line per step. npm runs it
# with `exec`, and it execs `solicit dev` in turn, so that a signal sent to `npm start` reaches it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf 'start: %s\n' "$*" >&2; }

# Each step runs in the background and is waited for, so that a stop signal ends it at once rather than
# after it (bash runs a trap only once the foreground command is over).
step_pid=
trap '[ -z "$step_pid" ] || kill -TERM "$step_pid" 2>/dev/null; exit 130' INT TERM HUP
step() {
  "$@" &
  step_pid=$!
  wait "$step_pid"
  step_pid=
}

source scripts/node.sh
if [ ! -d node_modules ]; then
  say 'installing the npm packages (npm ci)'
  step npm ci --no-audit --no-fund --loglevel=error
fi
step bash scripts/tools.sh temporal sqs-server
# The workflow bundle is the build's last output.
if [ -f dist/workflow-bundle.js ] && [ -z "$(find src scripts/bundle-workflows.mjs tsconfig*.json package-lock.json \
  -newer dist/workflow-bundle.js -print -quit)" ]; then
  say 'build up to date'
else
  say 'building (npm run build)'
  step npm run --silent build
fi
exec bin/solicit dev "$@"
