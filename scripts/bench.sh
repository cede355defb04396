#!/usr/bin/env bash
# `npm run bench`: installs what the benchmarks start if needed (the dev server, the time-skipping test
# server, the SQS server), builds the CLI they spawn and runs them, on Node.js >= 22.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node.sh
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
bash scripts/tools.sh temporal temporal-test-server sqs-server
npm run --silent build
exec npx tsx bench/main.ts "$@"
