#!/usr/bin/env bash
# `npm start`: installs what the stack needs if missing (npm packages, the Temporal CLI, the SQS server),
# builds, and runs the whole product on this machine, one line per step.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node.sh
if [ ! -d node_modules ]; then
  printf 'start: installing the npm packages (npm ci)\n' >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/tools.sh temporal sqs-server
printf 'start: building\n' >&2
npm run --silent build
# In place of this shell, so that a signal sent to `npm start` reaches `solicit dev` itself.
exec bin/solicit dev "$@"
