//! Sealing from one device to another: a case key for one team member, or
//! a shelter placement message for its recipient.
//!
//! The sender's and recipient's X25519 keys agree on a shared secret; HKDF
//! (SHA-256) turns it, with a purpose and a context (for a case key: the
//! case, epoch and both device ids), into a one-purpose key that seals the
//! value. Only the recipient can open it, and opening proves the sender
//! sealed it.

use super::{DeviceIdentity, DevicePublic};
use crate::crypto::{open, seal, Binding, OpenError, SecretKey};
use crate::model::{CaseId, DeviceId};
use crate::{Error, Result};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

fn context(case_id: CaseId, epoch: u32, sender: DeviceId, recipient: DeviceId) -> Vec<u8> {
    let mut info = Vec::with_capacity(68);
    info.extend_from_slice(case_id.as_bytes());
    info.extend_from_slice(&epoch.to_le_bytes());
    info.extend_from_slice(sender.as_bytes());
    info.extend_from_slice(recipient.as_bytes());
    info
}

/// What a device-to-device seal is for: its HKDF salt and the binding of
/// its ciphertext. A seal made for one purpose never opens for another.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Purpose {
    /// HKDF salt.
    pub salt: &'static [u8],
    /// Binding table.
    pub table: &'static str,
    /// Binding field.
    pub field: &'static str,
}

const CASE_KEY: Purpose = Purpose {
    salt: b"binhan/key-wrap/v1",
    table: "key-wrap",
    field: "case_key",
};

/// The one-purpose key and the binding for a seal between two devices
/// whose keys agree on `shared`: sealing and opening must derive both alike.
fn wrapping<'a>(purpose: Purpose, shared: &[u8; 32], info: &'a [u8]) -> (SecretKey, Binding<'a>) {
    let mut okm = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(Some(purpose.salt), shared)
        .expand(info, okm.as_mut())
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    let binding = Binding {
        table: purpose.table,
        row: info,
        field: purpose.field,
    };
    (SecretKey::from_bytes(*okm), binding)
}

/// Seals `plain` from `sender` to `recipient` for `purpose`, bound to
/// `info` (which must name both devices).
pub(crate) fn seal_to_device(
    purpose: Purpose,
    sender: &DeviceIdentity,
    recipient: &DevicePublic,
    info: &[u8],
    plain: &[u8],
) -> Vec<u8> {
    let (key, binding) = wrapping(
        purpose,
        &sender.shared_secret(&recipient.exchange_key),
        info,
    );
    seal(&key, binding, plain)
}

/// Opens what [`seal_to_device`] sealed from `sender` to `recipient`.
pub(crate) fn open_from_device(
    purpose: Purpose,
    recipient: &DeviceIdentity,
    sender: &DevicePublic,
    info: &[u8],
    sealed: &[u8],
) -> std::result::Result<Zeroizing<Vec<u8>>, OpenError> {
    let (key, binding) = wrapping(
        purpose,
        &recipient.shared_secret(&sender.exchange_key),
        info,
    );
    open(&key, binding, sealed)
}

/// Seals `key` (the case key of `epoch`) from `sender` to `recipient`.
pub fn wrap_case_key(
    sender: &DeviceIdentity,
    recipient: &DevicePublic,
    case_id: CaseId,
    epoch: u32,
    key: &SecretKey,
) -> Vec<u8> {
    let info = context(case_id, epoch, sender.device_id(), recipient.device_id);
    seal_to_device(CASE_KEY, sender, recipient, &info, key.as_bytes())
}

/// Opens a case key that `sender` wrapped for `recipient`.
pub fn unwrap_case_key(
    recipient: &DeviceIdentity,
    sender: &DevicePublic,
    case_id: CaseId,
    epoch: u32,
    wrapped: &[u8],
) -> Result<SecretKey> {
    let info = context(case_id, epoch, sender.device_id, recipient.device_id());
    let tampered = || Error::Tampered {
        record: format!("case key of case {case_id}"),
    };
    let bytes =
        open_from_device(CASE_KEY, recipient, sender, &info, wrapped).map_err(|_| tampered())?;
    let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| tampered())?;
    Ok(SecretKey::from_bytes(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_recipient_opens_and_only_for_that_case_and_epoch() {
        let a = DeviceIdentity::generate(DeviceId::random());
        let b = DeviceIdentity::generate(DeviceId::random());
        let c = DeviceIdentity::generate(DeviceId::random());
        let case_id = CaseId::random();
        let key = SecretKey::random();
        let wrapped = wrap_case_key(&a, &b.public(), case_id, 3, &key);
        let opened = unwrap_case_key(&b, &a.public(), case_id, 3, &wrapped).unwrap();
        assert_eq!(opened.as_bytes(), key.as_bytes());
        assert!(unwrap_case_key(&c, &a.public(), case_id, 3, &wrapped).is_err());
        assert!(unwrap_case_key(&b, &a.public(), case_id, 4, &wrapped).is_err());
        assert!(unwrap_case_key(&b, &a.public(), CaseId::random(), 3, &wrapped).is_err());
        assert!(
            unwrap_case_key(&b, &c.public(), case_id, 3, &wrapped).is_err(),
            "sender is authenticated"
        );
    }
}
