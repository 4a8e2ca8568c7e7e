#!/usr/bin/env bash
# Compiles the service and its migrations (src -> dist/src, migrations -> dist/migrations, the entry
# point dist/src/main.js, as `nest build` does), copies the one runtime file of ReDoc, then stamps the
# build so `npm start` can tell whether it is current.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
npx tsc -p tsconfig.build.json
mkdir -p dist/src/assets
cp node_modules/redoc/bundles/redoc.standalone.js dist/src/assets/
date -u +%FT%TZ > dist/.build-stamp
