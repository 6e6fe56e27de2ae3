//! The workspace's own `uniffi-bindgen-swift`: Swift sources, C headers and
//! a single module map for every crate in the library, as an XCFramework
//! needs (`ios/build-xcframework.sh`).

fn main() {
    uniffi::uniffi_bindgen_swift()
}
