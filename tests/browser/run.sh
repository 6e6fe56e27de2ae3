#!/usr/bin/env bash
# Browser tests of `binhan console`: Debian's Chromium, headless, driven by
# playwright-core (npm, in .tools/), against consoles over real vaults and a
# real binhan-server on loopback. Screenshots of every screen kind at a
# phone's and a desk's size go to target/console-screenshots/. Prints
# "browser: N passed, M failed". Honours CARGO_TARGET_DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

echo "== browser: building binhan and binhan-server"
# The same command as tests/kotlin/run.sh, so nothing is built twice.
cargo build --locked --workspace --lib --bins --tests

echo "== browser: running the console tests (Chromium, headless)"
BINHAN_BIN="$TARGET/debug/binhan" \
BINHAN_SERVER_BIN="$TARGET/debug/binhan-server" \
BINHAN_SCREENSHOTS="$TARGET/console-screenshots" \
NODE_PATH="$ROOT/.tools/node_modules" \
    node "$ROOT/tests/browser/main.mjs"
