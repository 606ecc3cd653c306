#!/usr/bin/env bash
# Type-checks the per-cloud examples against their cloud SDKs (large downloads, so not part of npm test).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
for example in examples/aws examples/azure examples/gcp; do
  echo "== $example" >&2
  (cd "$example" && npm install --no-audit --no-fund --silent && ./node_modules/.bin/tsc -p tsconfig.json)
done
echo "examples type-check" >&2
