#!/usr/bin/env bash
# `npm test`: makes sure the local servers are installed, builds the CLI the process tests spawn, runs jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node.sh
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
bash scripts/tools.sh
npm run --silent build
exec npx jest "$@"
