#!/usr/bin/env bash
# Compiles only the given directories (and whatever they import) into dist/, with its own incremental
# state, so work on one area does not rebuild (or wait for) the rest. `npm run build` builds everything.
# Usage: bash scripts/build-part.sh services/dns/src/records [more dirs…]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 DIR [DIR…]" >&2; exit 2; }
name=$(echo "$*" | tr -c 'A-Za-z0-9\n' '_' | tr -d '\n')
cfg=".tsconfig-part-${name}.json"
inc=$(printf '"%s",' "$@"); inc="[${inc%,}]"
cat > "$cfg" <<JSON
{ "extends": "./tsconfig.json", "include": ${inc}, "compilerOptions": { "tsBuildInfoFile": "dist/.tsbuildinfo-${name}" } }
JSON
npx tsc -p "$cfg"
npx tsc-alias -p "$cfg"
