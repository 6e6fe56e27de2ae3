#!/usr/bin/env bash
# Kotlin binding tests on the JVM: builds the cdylib, generates its Kotlin
# bindings with the workspace's uniffi-bindgen, compiles them with the tests
# (kotlinc), and runs the tests with JUnit 5 against the real library
# through JNA. The sync tests talk to a real binhan-server process, started
# here on loopback with SQLite in a temporary folder and stopped on exit.
# Honours CARGO_TARGET_DIR. Tools: tests/setup.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

echo "== Kotlin: building binhan-ffi, binhan-server and binhan (the CLI signs a test directory)"
# The whole workspace with its tests, so that features resolve as they do for
# cargo nextest: after the Rust tests this builds only the cdylib, where
# `-p binhan-ffi -p binhan-server -p binhan-cli` resolved other features and
# built a second copy of some thirty dependencies (which once filled a CI
# machine's disk).
cargo build --locked --workspace --lib --bins --tests
echo "== Kotlin: generating bindings"
generate_bindings "$TARGET/debug" "$OUT/generated"
echo "== Kotlin: compiling bindings and tests (kotlinc)"
compile_kotlin "$OUT/test-classes" "$JNA_JAR:$JUNIT_JAR:$ZXING_JAR" "$OUT/generated" tests/kotlin/src

echo "== Kotlin: starting binhan-server on loopback (SQLite, temporary folder)"
server_bin="$TARGET/debug/binhan-server"
source "$ROOT/tests/server.sh"
trap stop_server EXIT
start_server "$server_bin"

echo "== Kotlin: running tests (JUnit 5, JNA)"
log="$OUT/junit.log"
set +e
java -Djna.library.path="$TARGET/debug" \
    -Dbinhan.server.url="$server_url" \
    -Dbinhan.server.bin="$server_bin" \
    -Dbinhan.server.data="$server_dir/data" \
    -Dbinhan.cli.bin="$TARGET/debug/binhan" \
    -Dbinhan.fixtures="$ROOT/tests/fixtures/shelters" \
    -cp "$JUNIT_JAR:$OUT/test-classes:$KOTLIN_STDLIB:$JNA_JAR:$ZXING_JAR" \
    org.junit.platform.console.ConsoleLauncher \
    --disable-banner --disable-ansi-colors --details=tree \
    --scan-class-path "$OUT/test-classes" --fail-if-no-tests 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(sed -n 's/^\[ *\([0-9]*\) tests successful *\]$/\1/p' "$log")
failed=$(sed -n 's/^\[ *\([0-9]*\) tests failed *\]$/\1/p' "$log")
echo "kotlin: ${passed:-0} passed, ${failed:-0} failed"
# The server holds only ciphertext: the words the sync test wrote into its
# case never appear in its database or its log.
for word in Quillfeather Vexmorrow; do
    if grep -rqa "$word" "$server_dir"; then
        echo "kotlin: case content ($word) found in the server's data or log" >&2
        status=1
    fi
done
exit "$status"
