#!/usr/bin/env bash
# `npm run bench`: builds the CLI the benchmarks spawn and runs them, on Node.js >= 22.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node.sh
npm run --silent build
exec npx tsx bench/main.ts "$@"
