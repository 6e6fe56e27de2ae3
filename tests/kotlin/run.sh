#!/usr/bin/env bash
# Kotlin binding tests on the JVM: builds the cdylib, generates its Kotlin
# bindings with the workspace's uniffi-bindgen, compiles them with the tests
# (kotlinc), and runs the tests with JUnit 5 against the real library
# through JNA. Honours CARGO_TARGET_DIR. Tools: tests/setup.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

echo "== Kotlin: building binhan-ffi"
cargo build --locked -p binhan-ffi
echo "== Kotlin: generating bindings"
generate_bindings "$TARGET/debug" "$OUT/generated"
echo "== Kotlin: compiling bindings and tests (kotlinc)"
compile_kotlin "$OUT/test-classes" "$JNA_JAR:$JUNIT_JAR" "$OUT/generated" tests/kotlin/src

echo "== Kotlin: running tests (JUnit 5, JNA)"
log="$OUT/junit.log"
set +e
java -Djna.library.path="$TARGET/debug" \
    -cp "$JUNIT_JAR:$OUT/test-classes:$KOTLIN_STDLIB:$JNA_JAR" \
    org.junit.platform.console.ConsoleLauncher \
    --disable-banner --disable-ansi-colors --details=tree \
    --scan-class-path "$OUT/test-classes" --fail-if-no-tests 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(sed -n 's/^\[ *\([0-9]*\) tests successful *\]$/\1/p' "$log")
failed=$(sed -n 's/^\[ *\([0-9]*\) tests failed *\]$/\1/p' "$log")
echo "kotlin: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
