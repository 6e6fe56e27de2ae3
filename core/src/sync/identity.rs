//! A device's own keys: Ed25519 to sign what it writes, X25519 to receive
//! case keys. Created with the vault, sealed in its store.

use crate::crypto::random_array;
use crate::model::DeviceId;
use crate::{Error, Result};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Length of an Ed25519 signature.
pub const SIGNATURE_LEN: usize = 64;

/// What others need to know of a device: its id and public keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DevicePublic {
    /// The device.
    pub device_id: DeviceId,
    /// Ed25519 public key (verifies what it signs).
    pub sign_key: [u8; 32],
    /// X25519 public key (receives case keys).
    pub exchange_key: [u8; 32],
}

impl DevicePublic {
    /// A checker of this device's signatures (decodes the key once, for
    /// checking many).
    pub fn verifier(&self) -> Result<Verifier> {
        let key = VerifyingKey::from_bytes(&self.sign_key)
            .map_err(|_| Error::invalid("device.sign_key", "is not a valid Ed25519 key"))?;
        Ok(Verifier {
            device_id: self.device_id,
            key,
        })
    }

    /// Verifies `signature` by this device over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        self.verifier()?.verify(message, signature)
    }
}

/// Checks one device's signatures.
#[derive(Debug, Clone)]
pub struct Verifier {
    device_id: DeviceId,
    key: VerifyingKey,
}

impl Verifier {
    /// The device whose signatures this checks.
    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// Verifies `signature` by the device over `message` (strict Ed25519).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let bytes: [u8; SIGNATURE_LEN] = signature
            .try_into()
            .map_err(|_| Error::invalid("signature", "must be 64 bytes"))?;
        self.key
            .verify_strict(message, &ed25519_dalek::Signature::from_bytes(&bytes))
            .map_err(|_| Error::Tampered {
                record: format!("signature of device {}", self.device_id),
            })
    }
}

/// The device's secret keys, erased from memory when dropped.
#[derive(Clone, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct DeviceIdentity {
    #[zeroize(skip)]
    device_id: DeviceId,
    sign_secret: [u8; 32],
    exchange_secret: [u8; 32],
}

impl std::fmt::Debug for DeviceIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceIdentity({})", self.device_id)
    }
}

impl DeviceIdentity {
    /// New random keys for `device_id`.
    pub fn generate(device_id: DeviceId) -> Self {
        Self {
            device_id,
            sign_secret: random_array(),
            exchange_secret: random_array(),
        }
    }

    /// The device.
    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// The public half.
    pub fn public(&self) -> DevicePublic {
        DevicePublic {
            device_id: self.device_id,
            sign_key: SigningKey::from_bytes(&self.sign_secret)
                .verifying_key()
                .to_bytes(),
            exchange_key: PublicKey::from(&StaticSecret::from(self.exchange_secret)).to_bytes(),
        }
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        SigningKey::from_bytes(&self.sign_secret)
            .sign(message)
            .to_bytes()
            .to_vec()
    }

    /// The X25519 shared secret with `their_exchange_key`.
    pub(crate) fn shared_secret(
        &self,
        their_exchange_key: &[u8; 32],
    ) -> zeroize::Zeroizing<[u8; 32]> {
        let secret = StaticSecret::from(self.exchange_secret);
        zeroize::Zeroizing::new(
            secret
                .diffie_hellman(&PublicKey::from(*their_exchange_key))
                .to_bytes(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_reject_changes() {
        let me = DeviceIdentity::generate(DeviceId::random());
        let public = me.public();
        let sig = me.sign(b"synthetic message");
        public.verify(b"synthetic message", &sig).unwrap();
        assert!(public.verify(b"synthetic messagf", &sig).is_err());
        let other = DeviceIdentity::generate(DeviceId::random()).public();
        assert!(other.verify(b"synthetic message", &sig).is_err());
        assert!(public.verify(b"synthetic message", &sig[..10]).is_err());
    }

    #[test]
    fn both_sides_derive_the_same_shared_secret() {
        let a = DeviceIdentity::generate(DeviceId::random());
        let b = DeviceIdentity::generate(DeviceId::random());
        assert_eq!(
            *a.shared_secret(&b.public().exchange_key),
            *b.shared_secret(&a.public().exchange_key)
        );
    }
}
