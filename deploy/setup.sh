#!/usr/bin/env bash
# Brings a fresh clone to a runnable state: Debian packages, npm dependencies, the build.
# Called by `npm start` and `npm test`; fast when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-system.sh
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "agora: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
