#!/usr/bin/env bash
# Bundles the intake page's script (src/main.js and the pinned @noble
# libraries from .tools/, installed by tests/setup) into app.js, the one
# file the server embeds. The bundle is committed: building the server
# needs no npm. tests/browser checks that a fresh build equals it.
# Usage: build.sh [OUTPUT] (default: app.js beside this script).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
OUT="${1:-$HERE/app.js}"
NODE_PATH="$ROOT/.tools/node_modules" "$ROOT/.tools/node_modules/.bin/esbuild" \
    "$HERE/src/main.js" --bundle --minify --format=iife --target=es2020 \
    --legal-comments=none --charset=utf8 --log-level=warning --outfile="$OUT"
