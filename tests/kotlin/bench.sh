#!/usr/bin/env bash
# FFI benchmarks: listing 10,000 cases from Kotlin (generated bindings, JNA)
# against the same listing in Rust, in one run, on the same vault; then one
# AppCore.send round trip (median, p99) on a light screen, the home screen and
# the case list of that vault. Release builds. Not part of tests/run (it
# takes a few minutes). Usage:
#   tests/kotlin/bench.sh [CASES] [ROUNDS]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
CASES="${1:-10000}"
ROUNDS="${2:-15}"

tests/setup >/dev/null
echo "== building binhan-ffi and the Rust bench (release)"
cargo build --locked --release -p binhan-ffi --lib --example list_bench
echo "== generating and compiling the Kotlin bench"
generate_bindings "$TARGET/release" "$OUT/bench-generated"
compile_kotlin "$OUT/bench-classes" "$JNA_JAR" "$OUT/bench-generated" tests/kotlin/bench

vault="$(mktemp -d)/vault"
trap 'rm -rf "$(dirname "$vault")"' EXIT
echo "== Rust: filling a vault with $CASES synthetic cases, then listing them"
rust_line="$("$TARGET/release/examples/list_bench" "$vault" "$CASES" "$ROUNDS")"
echo "$rust_line"
rust_ms="$(echo "$rust_line" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')"
echo "== Kotlin: listing the same vault through the bindings"
java -Djna.library.path="$TARGET/release" \
    -cp "$OUT/bench-classes:$KOTLIN_STDLIB:$JNA_JAR" vn.binhan.bench.ListBenchKt \
    "$vault" "$ROUNDS" "$rust_ms"
echo "== Rust again (same vault, to check the machine did not change pace)"
"$TARGET/release/examples/list_bench" "$vault" "$CASES" "$ROUNDS"
echo "== Kotlin: one AppCore.send round trip (the shell's every tap), same vault"
java -Djna.library.path="$TARGET/release" \
    -cp "$OUT/bench-classes:$KOTLIN_STDLIB:$JNA_JAR" vn.binhan.bench.SendBenchKt \
    "$vault" 200
