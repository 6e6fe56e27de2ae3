//! The second wrap of the keys by a key the phone's hardware keeps.
//!
//! The app supplies an implementation backed by the Android Keystore or the
//! iOS Keychain / Secure Enclave (through a uniffi foreign trait). The
//! PIN-sealed keys are wrapped again with it before they are written, so a
//! key file copied off the phone cannot be attacked offline with a PIN
//! dictionary: the platform key never leaves the device.

use std::sync::Arc;

use crate::error::{Error, Result};

/// A device-bound key that wraps and unwraps opaque blobs.
///
/// Contract for implementations:
/// - `wrap` encrypts (authenticated) with the platform key, creating that
///   key first if it does not exist yet (get-or-create);
/// - `unwrap` reverses `wrap`, and fails if the blob was altered or the key
///   is gone;
/// - `erase` deletes the key, so that every blob wrapped before can never be
///   unwrapped again; a later `wrap` creates a new key.
///
/// Error strings are shown in [`Error::PlatformKey`] and must not contain
/// key material.
pub trait PlatformKey: Send + Sync {
    /// Wraps `plaintext` with the platform key (creating the key if needed).
    fn wrap(&self, plaintext: Vec<u8>) -> Result<Vec<u8>, String>;
    /// Unwraps a blob made by [`PlatformKey::wrap`].
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, String>;
    /// Deletes the platform key.
    fn erase(&self) -> Result<(), String>;
}

/// The platform key a vault uses, if any.
pub(crate) type Platform = Option<Arc<dyn PlatformKey>>;

/// Applies the platform wrap when there is a platform key.
pub(crate) fn wrap(platform: &Platform, inner: Vec<u8>) -> Result<Vec<u8>> {
    match platform {
        Some(p) => p.wrap(inner).map_err(Error::PlatformKey),
        None => Ok(inner),
    }
}

/// Removes the platform wrap when there is a platform key.
pub(crate) fn unwrap(platform: &Platform, stored: Vec<u8>) -> Result<Vec<u8>> {
    match platform {
        Some(p) => p.unwrap(stored).map_err(Error::PlatformKey),
        None => Ok(stored),
    }
}

/// Deletes the platform key, if there is one.
pub(crate) fn erase(platform: &Platform) -> Result<()> {
    match platform {
        Some(p) => p.erase().map_err(Error::PlatformKey),
        None => Ok(()),
    }
}
