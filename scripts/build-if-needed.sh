#!/usr/bin/env bash
# Builds when dist/ is missing or older than any source file, so a fresh clone needs only `npm start`.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=dist/.build-stamp
if [ ! -f "$stamp" ] || [ -n "$(find src migrations package-lock.json tsconfig.json tsconfig.build.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  bash scripts/build.sh
fi
