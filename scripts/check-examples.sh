#!/usr/bin/env bash
# Type-checks the per-cloud examples against their cloud SDKs (large downloads, so not part of npm test), each set
# up as its README says: its own dependencies and this package's `npm pack` tarball installed in the folder
# (--no-save here, so that the examples' package.json stay as they are).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
pack=$(mktemp -d)
trap 'rm -rf "$pack"' EXIT
tarball="$pack/$(npm pack --silent --pack-destination "$pack" | tail -n 1)"
for example in examples/aws examples/azure examples/gcp; do
  echo "== $example" >&2
  (cd "$example" && npm install --no-save --no-audit --no-fund --silent "$tarball" && ./node_modules/.bin/tsc -p tsconfig.json)
done
echo "examples type-check" >&2
