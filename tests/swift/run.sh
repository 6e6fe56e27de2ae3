#!/usr/bin/env bash
# Swift binding tests on Linux: generates the Swift bindings of the library
# binhan_ffi (the three uniffi crates — binhan-core, binhan-ui, binhan-ffi —
# compiled into one Swift module over the C module BinhAnCoreFFI, as
# ios/build-xcframework.sh does for iOS), compiles them with the tests in
# tests/swift/Sources by Swift 6 (Debian trixie's swiftlang, in the chroot
# .tools/swift-root made by tests/setup), and runs the tests against the
# Linux build of the library, libbinhan_ffi.so. Only Foundation is
# available there: no SwiftUI, no Keychain or CryptoKit. The iOS app's
# Foundation-only model, ios/BinhAn/AppModel.swift, is compiled in too and
# driven by AppModelTests.swift; the SwiftUI files of ios/BinhAn are only
# parsed.
#
# The generated sources, AppModel.swift and the tests are compiled together
# into one module (the tests' own, not BinhAnCore as on iOS) in Swift 6
# language mode, with its strict concurrency checks. Needs root (chroot,
# mount). The library, the generated sources, the tests and ios/BinhAn are
# bind-mounted read-only into the chroot; the test binary is built inside
# the chroot's own file system.
# Every mount is undone on exit, also after a failure or Ctrl-C.
# Honours CARGO_TARGET_DIR. Prints "swift: N passed, M failed".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
source "$ROOT/tests/server.sh"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
TARGET="$(mkdir -p "$TARGET" && cd "$TARGET" && pwd)"
OUT="$TARGET/swift"
SWIFT_ROOT="$ROOT/.tools/swift-root"
LIB="$TARGET/debug/libbinhan_ffi.so"

if [ ! -f "$SWIFT_ROOT/.binhan-swift-ready" ]; then
    echo "no Swift chroot at $SWIFT_ROOT: run tests/setup" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

echo "== Swift: building binhan-ffi"
# The same command as tests/kotlin/run.sh, so that features resolve as they
# do for cargo nextest and nothing is built twice.
cargo build --locked --workspace --lib --bins --tests

echo "== Swift: generating bindings, headers and module map (uniffi-bindgen-swift)"
rm -rf "$OUT/generated"
mkdir -p "$OUT/generated/sources" "$OUT/generated/include"
cargo uniffi-bindgen-swift "$LIB" "$OUT/generated/sources" --swift-sources
cargo uniffi-bindgen-swift "$LIB" "$OUT/generated/include" --headers --modulemap \
    --module-name BinhAnCoreFFI --modulemap-filename module.modulemap

# Inside the chroot: /binhan.PID/{generated,tests,app,lib} (read-only binds) and
# /binhan.PID.build (the chroot's own, writable), so that two runs do not
# meet.
run_dir="/binhan.$$"
build_dir="$run_dir.build"
mounts=()
cleanup() {
    local i
    stop_server
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        $sudo umount "${mounts[$i]}" 2>/dev/null || $sudo umount -l "${mounts[$i]}" 2>/dev/null || true
    done
    # Only empty mount points are left; rmdir never crosses a mount.
    $sudo rmdir "$SWIFT_ROOT$run_dir"/generated "$SWIFT_ROOT$run_dir"/tests \
        "$SWIFT_ROOT$run_dir"/app "$SWIFT_ROOT$run_dir"/lib "$SWIFT_ROOT$run_dir" 2>/dev/null || true
    $sudo rm -rf "$SWIFT_ROOT$build_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
bind_ro() { # SOURCE NAME
    local point="$SWIFT_ROOT$run_dir/$2"
    $sudo mkdir -p "$point"
    $sudo mount --bind "$1" "$point"
    mounts+=("$point")
    $sudo mount -o remount,bind,ro "$point"
}
# swiftc finds its own libraries through /proc. Each run mounts its own
# (mounts stack) and takes it away again.
$sudo mount -t proc proc "$SWIFT_ROOT/proc"
mounts+=("$SWIFT_ROOT/proc")
bind_ro "$OUT/generated" generated
bind_ro "$ROOT/tests/swift/Sources" tests
bind_ro "$ROOT/ios/BinhAn" app
bind_ro "$(dirname "$LIB")" lib

in_chroot() {
    $sudo chroot "$SWIFT_ROOT" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 \
        TMPDIR=/tmp "$@"
}

echo "== Swift: compiling bindings, the iOS app model and tests (swiftc $(in_chroot swiftc --version 2>/dev/null | sed -n 's/^Swift version \([^ ]*\).*/\1/p'))"
started=$(date +%s)
in_chroot sh -c "
    set -e
    mkdir -p $build_dir
    # Swift 6.0's libswiftObservation.so on Linux leaves
    # swift::threading::fatal undefined (swiftlang/swift#75670, fixed
    # upstream by #85278); it is only reached on a fatal threading error,
    # so the link allows it.
    swiftc -swift-version 6 -Onone -g -module-name BinhAnSwiftTests \
        -Xlinker --allow-shlib-undefined \
        -I $run_dir/generated/include \
        -L $run_dir/lib -lbinhan_ffi \
        -o $build_dir/binhan-swift-tests \
        $run_dir/generated/sources/*.swift $run_dir/app/AppModel.swift $run_dir/tests/*.swift
"
echo "   compiled in $(($(date +%s) - started)) s"
# The SwiftUI files need Apple's SDK: here they are only parsed (syntax).
in_chroot sh -c "swiftc -parse -swift-version 6 $run_dir/app/*.swift"
echo "   ios/BinhAn/*.swift parsed"

echo "== Swift: starting binhan-server on loopback (SQLite, temporary folder)"
start_server "$TARGET/debug/binhan-server"
code="$("$TARGET/debug/binhan-server" bootstrap-officer --data "$server_dir/data" 2>/dev/null |
    sed -n 's/.*"code": *"\([^"]*\)".*/\1/p')"

echo "== Swift: running tests"
log="$OUT/tests.log"
set +e
in_chroot env LD_LIBRARY_PATH="$run_dir/lib" BINHAN_SERVER_URL="$server_url" \
    BINHAN_BOOTSTRAP_CODE="$code" "$build_dir/binhan-swift-tests" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
summary="$(sed -n 's/^== \([0-9]* passed, [0-9]* failed\)$/\1/p' "$log")"
echo "swift: ${summary:-0 passed, 0 failed (the runner did not finish)}"
[ -n "$summary" ] || status=1
exit "$status"
