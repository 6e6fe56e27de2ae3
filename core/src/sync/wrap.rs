//! Wrapping a case key for one team member.
//!
//! The sender's and recipient's X25519 keys agree on a shared secret; HKDF
//! (SHA-256) turns it, with the case, epoch and both device ids, into a
//! one-purpose key that seals the case key. Only the recipient can open it,
//! and opening proves the sender wrapped it.

use super::{DeviceIdentity, DevicePublic};
use crate::crypto::{open, seal, Binding, SecretKey};
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

fn wrapping_key(shared: &[u8; 32], info: &[u8]) -> SecretKey {
    let mut okm = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(Some(b"binhan/key-wrap/v1"), shared)
        .expand(info, okm.as_mut())
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    SecretKey::from_bytes(*okm)
}

const BINDING_TABLE: &str = "key-wrap";

/// Seals `key` (the case key of `epoch`) from `sender` to `recipient`.
pub fn wrap_case_key(
    sender: &DeviceIdentity,
    recipient: &DevicePublic,
    case_id: CaseId,
    epoch: u32,
    key: &SecretKey,
) -> Vec<u8> {
    let info = context(case_id, epoch, sender.device_id(), recipient.device_id);
    let kek = wrapping_key(&sender.shared_secret(&recipient.exchange_key), &info);
    seal(
        &kek,
        Binding {
            table: BINDING_TABLE,
            row: &info,
            field: "case_key",
        },
        key.as_bytes(),
    )
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
    let kek = wrapping_key(&recipient.shared_secret(&sender.exchange_key), &info);
    let tampered = || Error::Tampered {
        record: format!("case key of case {case_id}"),
    };
    let bytes = open(
        &kek,
        Binding {
            table: BINDING_TABLE,
            row: &info,
            field: "case_key",
        },
        wrapped,
    )
    .map_err(|_| tampered())?;
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
