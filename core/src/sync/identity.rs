//! A device's own keys: Ed25519 to sign what it writes, X25519 to receive
//! case keys. Created with the vault, sealed in its store.

use crate::crypto::random_array;
use crate::error::Rule;
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
    /// checking many). A key of small order, which would let anyone sign
    /// for it, is refused.
    pub fn verifier(&self) -> Result<Verifier> {
        let bad_key = || Error::invalid("device.sign_key", Rule::BadKey);
        let decoded = VerifyingKey::from_bytes(&self.sign_key).map_err(|_| bad_key())?;
        if decoded.is_weak() {
            return Err(bad_key());
        }
        Ok(Verifier {
            device_id: self.device_id,
            key: ed25519_zebra::VerificationKey::try_from(self.sign_key).map_err(|_| bad_key())?,
        })
    }

    /// Verifies `signature` by this device over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        self.verifier()?.verify(message, signature)
    }
}

/// Checks one device's signatures, by the rules of ZIP 215 (the cofactored
/// Ed25519 equation, canonical `s`): the rules under which checking many
/// signatures together accepts exactly what checking each alone accepts, so
/// the server, which checks a push's signatures together, and a teammate,
/// which checks each, never disagree about one.
#[derive(Debug, Clone)]
pub struct Verifier {
    device_id: DeviceId,
    key: ed25519_zebra::VerificationKey,
}

impl Verifier {
    /// The device whose signatures this checks.
    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// Verifies `signature` by the device over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let signature = signature_of(signature).ok_or_else(|| {
            Error::invalid(
                "signature",
                Rule::WrongLength {
                    bytes: SIGNATURE_LEN as u32,
                },
            )
        })?;
        self.key
            .verify(&signature, message)
            .map_err(|_| Error::Tampered {
                record: format!("signature of device {}", self.device_id),
            })
    }

    /// Verifies many (message, signature) pairs by the device in one check,
    /// at about a third of the cost of checking each for 20 pairs (one
    /// multi-scalar multiplication instead of one per signature), with the
    /// same verdict as [`Self::verify`] on each. On failure, the position of
    /// the first pair that does not verify.
    pub fn verify_all<M: AsRef<[u8]>, S: AsRef<[u8]>>(
        &self,
        signed: impl IntoIterator<Item = (M, S)>,
    ) -> std::result::Result<(), usize> {
        let key = ed25519_zebra::VerificationKeyBytes::from(self.key);
        let items: Vec<Option<ed25519_zebra::batch::Item>> = signed
            .into_iter()
            .map(|(message, signature)| {
                let signature = signature_of(signature.as_ref())?;
                Some((key, signature, message.as_ref()).into())
            })
            .collect();
        if items.iter().all(Option::is_some) {
            let mut batch = ed25519_zebra::batch::Verifier::new();
            items.iter().flatten().cloned().for_each(|i| batch.queue(i));
            let random = getrandom::rand_core::UnwrapErr(getrandom::SysRng);
            if batch.verify(random).is_ok() {
                return Ok(());
            }
        }
        // Which one failed: each alone, in order (one always does: the
        // batch equation is a random combination of the single ones).
        Err(items
            .into_iter()
            .position(|item| item.is_none_or(|i| i.verify_single().is_err()))
            .unwrap_or(0))
    }
}

fn signature_of(bytes: &[u8]) -> Option<ed25519_zebra::Signature> {
    let bytes: [u8; SIGNATURE_LEN] = bytes.try_into().ok()?;
    Some(ed25519_zebra::Signature::from_bytes(&bytes))
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

    /// Fixed keys, for the fuzz targets' parties (whose seeds must open
    /// on every run).
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn from_secrets(
        device_id: DeviceId,
        sign_secret: [u8; 32],
        exchange_secret: [u8; 32],
    ) -> Self {
        Self {
            device_id,
            sign_secret,
            exchange_secret,
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

    /// Twenty signed synthetic messages of one device.
    fn signed_batch(me: &DeviceIdentity) -> Vec<(Vec<u8>, Vec<u8>)> {
        (0..20)
            .map(|i| {
                let message = format!("synthetic message {i}").into_bytes();
                let signature = me.sign(&message);
                (message, signature)
            })
            .collect()
    }

    #[test]
    fn checking_together_agrees_with_checking_each() {
        let me = DeviceIdentity::generate(DeviceId::random());
        let verifier = me.public().verifier().unwrap();
        let good = signed_batch(&me);
        assert_eq!(verifier.verify_all(good.clone()), Ok(()));
        assert_eq!(
            verifier.verify_all(Vec::<(Vec<u8>, Vec<u8>)>::new()),
            Ok(())
        );
        type Damage = fn(&mut (Vec<u8>, Vec<u8>));
        let damages: [(&str, Damage); 5] = [
            ("message", |(m, _)| m[0] ^= 1),
            ("R", |(_, s)| s[3] ^= 1),
            ("s", |(_, s)| s[40] ^= 1),
            ("s not canonical", |(_, s)| s[32..].fill(0xff)),
            ("length", |(_, s)| s.truncate(63)),
        ];
        for (what, damage) in damages {
            for position in [0, 7, 19] {
                let mut batch = good.clone();
                damage(&mut batch[position]);
                let (message, signature) = &batch[position];
                assert!(verifier.verify(message, signature).is_err(), "{what}");
                assert_eq!(verifier.verify_all(batch.clone()), Err(position), "{what}");
                if position > 0 {
                    // An earlier failure is the one reported.
                    damage(&mut batch[position / 2]);
                    assert_eq!(verifier.verify_all(batch), Err(position / 2), "{what}");
                }
            }
        }
        let other = DeviceIdentity::generate(DeviceId::random());
        assert_eq!(verifier.verify_all(signed_batch(&other)), Err(0));
    }

    /// A signature whose R carries a point of order 8 satisfies the
    /// cofactored equation but not the cofactorless one: the case in which
    /// a batch check of the cofactorless rule may disagree with a single
    /// check. Under ZIP 215 both accept it, and both reject it once `s` is
    /// changed.
    #[test]
    fn a_signature_valid_only_up_to_the_cofactor_gets_one_verdict() {
        use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT as B, EIGHT_TORSION};
        use curve25519_dalek::Scalar;
        use sha2::{Digest, Sha512};
        let a = Scalar::from_bytes_mod_order(random_array());
        let public = DevicePublic {
            device_id: DeviceId::random(),
            sign_key: (a * B).compress().to_bytes(),
            exchange_key: [9; 32],
        };
        let verifier = public.verifier().unwrap();
        let message = b"synthetic message".to_vec();
        let r = Scalar::from_bytes_mod_order(random_array());
        let big_r = (r * B + EIGHT_TORSION[1]).compress();
        let k = Scalar::from_hash(
            Sha512::new()
                .chain_update(big_r.as_bytes())
                .chain_update(public.sign_key)
                .chain_update(&message),
        );
        let signature = [big_r.to_bytes(), (r + k * a).to_bytes()].concat();
        let strict = VerifyingKey::from_bytes(&public.sign_key)
            .unwrap()
            .verify_strict(
                &message,
                &ed25519_dalek::Signature::from_slice(&signature).unwrap(),
            );
        assert!(strict.is_err(), "the cofactorless rule refuses it");
        verifier.verify(&message, &signature).unwrap();
        let mut batch = vec![(message.clone(), signature.clone()); 20];
        assert_eq!(verifier.verify_all(batch.clone()), Ok(()));
        batch[5].1[33] ^= 1;
        assert!(verifier.verify(&batch[5].0, &batch[5].1).is_err());
        assert_eq!(verifier.verify_all(batch), Err(5));
    }

    #[test]
    fn keys_of_small_order_are_refused() {
        use curve25519_dalek::constants::EIGHT_TORSION;
        for point in EIGHT_TORSION {
            let public = DevicePublic {
                device_id: DeviceId::random(),
                sign_key: point.compress().to_bytes(),
                exchange_key: [9; 32],
            };
            assert!(public.verifier().is_err());
        }
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
