# Paths shared by tests/kotlin/run.sh and tests/kotlin/bench.sh (sourced).
# Tools come from tests/setup: kotlinc from the npm package kotlin-compiler in
# .tools/, JNA, JUnit 5 and ZXing from Debian (libjna-java, junit5,
# libzxing-core-java).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
KOTLIN_HOME="$ROOT/.tools/node_modules/kotlin-compiler"
KOTLINC="$KOTLIN_HOME/bin/kotlinc"
KOTLIN_STDLIB="$KOTLIN_HOME/lib/kotlin-stdlib.jar"
JNA_JAR=/usr/share/java/jna.jar
JUNIT_JAR=/usr/share/java/junit-platform-console-standalone.jar
# ZXing core (Debian libzxing-core-java): decodes the QR code a test scans.
ZXING_JAR=/usr/share/java/core.jar
OUT="$TARGET/kotlin"

case "$(uname -s)" in
    Darwin) LIB_FILE=libbinhan_ffi.dylib ;;
    *) LIB_FILE=libbinhan_ffi.so ;;
esac

# generate_bindings PROFILE_DIR OUT_DIR: Kotlin for the library in PROFILE_DIR,
# by the workspace's own uniffi-bindgen.
generate_bindings() {
    rm -rf "$2"
    (cd "$ROOT" && cargo uniffi-bindgen generate --library "$1/$LIB_FILE" \
        --language kotlin --no-format --out-dir "$2")
}

# compile_kotlin CLASSES_DIR CLASSPATH SOURCES...: compiles unless the same
# sources were compiled into CLASSES_DIR before.
compile_kotlin() {
    local classes="$1" classpath="$2"
    shift 2
    local stamp
    stamp="$(cat $(find "$@" -name '*.kt' | sort) | sha256sum | cut -d' ' -f1)"
    if [ -f "$classes.stamp" ] && [ "$(cat "$classes.stamp")" = "$stamp" ]; then
        echo "   (sources unchanged, reusing $classes)"
        return
    fi
    rm -rf "$classes" "$classes.stamp"
    "$KOTLINC" -nowarn -jvm-target 17 -cp "$classpath" -d "$classes" "$@"
    echo "$stamp" >"$classes.stamp"
}
