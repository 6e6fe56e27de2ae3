#!/usr/bin/env bash
# Builds the Rust core for iOS as an XCFramework and generates its Swift
# bindings, for the Swift package in ios/BinhAnCore. Runs on macOS with Xcode
# and the rustup targets aarch64-apple-ios, aarch64-apple-ios-sim and
# x86_64-apple-ios (the script adds them). Not runnable on Linux.
#
#   ios/build-xcframework.sh            # release
#   PROFILE=debug ios/build-xcframework.sh
#
# Produces (build outputs, not committed):
#   ios/BinhAnCore/BinhAnCoreFFI.xcframework   device slice (arm64) and one
#       simulator slice (arm64 + x86_64 joined with lipo), each with the C
#       headers and one module map for BinhAnCoreFFI;
#   ios/BinhAnCore/Sources/BinhAnCore/Generated/*.swift   the Swift API.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PROFILE="${PROFILE:-release}"
PACKAGE="$ROOT/ios/BinhAnCore"
WORK="$TARGET/ios"
LIB=libbinhan_ffi.a

case "$PROFILE" in
    release) PROFILE_FLAG=--release ;;
    debug) PROFILE_FLAG= ;;
    *) echo "PROFILE must be release or debug" >&2; exit 2 ;;
esac

DEVICE=aarch64-apple-ios
SIMULATORS=(aarch64-apple-ios-sim x86_64-apple-ios)

echo "== rust targets"
rustup target add "$DEVICE" "${SIMULATORS[@]}"

export IPHONEOS_DEPLOYMENT_TARGET=15.0
for target in "$DEVICE" "${SIMULATORS[@]}"; do
    echo "== cargo build $target"
    # The static library is asked for here, not in bindings/Cargo.toml, so
    # that Linux builds and tests do not link a 200 MB archive they never use.
    cargo rustc --locked -p binhan-ffi --lib --crate-type staticlib --target "$target" $PROFILE_FLAG
done

rm -rf "$WORK"
mkdir -p "$WORK/device" "$WORK/simulator" "$WORK/headers" "$WORK/swift"

echo "== lipo: one simulator library for arm64 and x86_64"
cp "$TARGET/$DEVICE/$PROFILE/$LIB" "$WORK/device/$LIB"
lipo -create \
    "$TARGET/aarch64-apple-ios-sim/$PROFILE/$LIB" \
    "$TARGET/x86_64-apple-ios/$PROFILE/$LIB" \
    -output "$WORK/simulator/$LIB"

echo "== Swift bindings, headers and module map (uniffi-bindgen-swift)"
cargo uniffi-bindgen-swift "$WORK/device/$LIB" "$WORK/swift" --swift-sources
cargo uniffi-bindgen-swift "$WORK/device/$LIB" "$WORK/headers" --headers --modulemap \
    --module-name BinhAnCoreFFI --modulemap-filename module.modulemap

echo "== XCFramework"
rm -rf "$PACKAGE/BinhAnCoreFFI.xcframework"
xcodebuild -create-xcframework \
    -library "$WORK/device/$LIB" -headers "$WORK/headers" \
    -library "$WORK/simulator/$LIB" -headers "$WORK/headers" \
    -output "$PACKAGE/BinhAnCoreFFI.xcframework"

rm -rf "$PACKAGE/Sources/BinhAnCore/Generated"
mkdir -p "$PACKAGE/Sources/BinhAnCore/Generated"
cp "$WORK/swift/"*.swift "$PACKAGE/Sources/BinhAnCore/Generated/"

echo "== done: add the package ios/BinhAnCore to the Xcode project (File > Add Package Dependencies > Add Local)"
