#!/usr/bin/env bash
# Builds when dist/ is missing or older than any source file, so a fresh clone needs only `npm start`;
# says so first, in one line, since a build takes a while and prints nothing until it is done.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=dist/.build-stamp
if [ ! -f "$stamp" ] || [ ! -f dist/src/main.js ] ||
  [ -n "$(find src migrations scripts package-lock.json tsconfig.json tsconfig.build.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "Building the service into dist/ (first start, or the sources changed): this takes 5 to 30 seconds" >&2
  bash scripts/build.sh
fi
