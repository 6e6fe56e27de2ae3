//! The workspace's own `uniffi-bindgen`, pinned to the same uniffi version as
//! `binhan-ffi`: `cargo uniffi-bindgen generate --library <lib> --language kotlin …`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
