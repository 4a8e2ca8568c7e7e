#!/usr/bin/env bash
# Compiles the service (src -> dist), its migrations (migrations -> dist/migrations) and copies the one
# runtime file of ReDoc, then stamps the build so `npm start` can tell whether it is current.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
npx tsc -p tsconfig.build.json
npx tsc -p tsconfig.migrations.json
mkdir -p dist/assets
cp node_modules/redoc/bundles/redoc.standalone.js dist/assets/
date -u +%FT%TZ > dist/.build-stamp
