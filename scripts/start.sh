#!/usr/bin/env bash
# `npm start`: installs the local servers if needed, builds, and runs the whole product on this machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/tools.sh
npm run --silent build
exec bin/solicit dev "$@"
