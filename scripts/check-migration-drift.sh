#!/usr/bin/env bash
# Fails when the entities and the migrations disagree: on a freshly migrated database of its own,
# `npm run migration:generate` must find nothing to generate. Needs DATABASE_URL (a PostgreSQL server
# URL); the check's database is created beside the one named there and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must name a PostgreSQL server}"
name="drift_check_$$"
export DATABASE_URL="${DATABASE_URL%/*}/${name}"
out=$(mktemp -d)
trap 'rm -rf "$out"; npm run --silent db -- drop --force >/dev/null 2>&1 || true; psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"${name}\"" >/dev/null 2>&1 || true' EXIT
npm run --silent db -- create
if npm run --silent migration:generate -- "$out/Drift" >"$out/log" 2>&1; then
  echo "The entities differ from the migrations; migration:generate wrote:"
  cat "$out"/*.ts
  exit 1
fi
if ! grep -q 'No changes in database schema were found' "$out/log"; then
  cat "$out/log"
  exit 1
fi
echo "no drift: migration:generate finds no change on a freshly migrated database"
