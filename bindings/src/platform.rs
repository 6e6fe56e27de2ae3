//! The platform key as a trait the app implements (Android Keystore, iOS
//! Keychain / Secure Enclave), adapted to the core's
//! [`binhan_core::vault::PlatformKey`].

use std::sync::Arc;

/// Why the platform key failed. The reason must not contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum PlatformKeyError {
    /// The platform refused or failed.
    #[error("{reason}")]
    Failed {
        /// The platform's reason.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for PlatformKeyError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed {
            reason: error.reason,
        }
    }
}

/// A device-bound key that wraps the vault's PIN-sealed keys a second time,
/// implemented by the app.
///
/// - `wrap` encrypts (authenticated) with the platform key, creating that key
///   first if it does not exist yet;
/// - `unwrap` reverses `wrap`, and fails if the blob was altered or the key
///   is gone;
/// - `erase` deletes the key, so nothing wrapped before can be unwrapped; a
///   later `wrap` creates a new key.
#[uniffi::export(with_foreign)]
pub trait PlatformKey: Send + Sync {
    /// Wraps `plaintext` with the platform key (creating the key if needed).
    fn wrap(&self, plaintext: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError>;
    /// Unwraps a blob made by `wrap`.
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError>;
    /// Deletes the platform key.
    fn erase(&self) -> Result<(), PlatformKeyError>;
}

/// The app's platform key as the core's vault uses it.
pub(crate) struct ForeignPlatformKey(pub(crate) Arc<dyn PlatformKey>);

impl binhan_core::vault::PlatformKey for ForeignPlatformKey {
    fn wrap(&self, plaintext: Vec<u8>) -> Result<Vec<u8>, String> {
        self.0.wrap(plaintext).map_err(|e| e.to_string())
    }

    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, String> {
        self.0.unwrap(wrapped).map_err(|e| e.to_string())
    }

    fn erase(&self) -> Result<(), String> {
        self.0.erase().map_err(|e| e.to_string())
    }
}

/// The core's form of an optional app platform key.
pub(crate) fn adapt(
    key: Option<Arc<dyn PlatformKey>>,
) -> Option<Arc<dyn binhan_core::vault::PlatformKey>> {
    key.map(|k| Arc::new(ForeignPlatformKey(k)) as Arc<dyn binhan_core::vault::PlatformKey>)
}
