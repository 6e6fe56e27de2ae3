//! The new vault a duress unlock turns into, prepared when the duress PIN
//! is set.
//!
//! Setting the duress PIN draws the salt of the vault that will replace this
//! one and derives the duress PIN's key under it; both are sealed, as the
//! duress verifier, under the key the duress PIN derives under the current
//! salt. A duress unlock then runs one derivation, like any unlock, and
//! writes a key file with a salt no earlier copy of the file holds, which
//! costs the same work to unlock as a new vault's.

use zeroize::Zeroizing;

use super::kdf::{self, KdfParams, SALT_LEN};
use super::DURESS;
use crate::crypto::{self, random_array, SecretKey};
use crate::error::Result;

/// What the duress verifier seals: the next salt, then the next key.
const SEED_LEN: usize = SALT_LEN + 32;

/// The salt and PIN-derived key of the vault a duress unlock creates.
pub(super) struct NextVault {
    pub salt: [u8; SALT_LEN],
    pub kek: SecretKey,
}

impl NextVault {
    /// Draws a new salt and derives `duress_pin`'s key under it.
    pub fn prepare(duress_pin: &str, params: &KdfParams) -> Result<Self> {
        let salt = random_array();
        let kek = kdf::derive_kek(duress_pin, &salt, params)?;
        Ok(Self { salt, kek })
    }

    /// The duress verifier: this, sealed under the duress PIN's current key.
    pub fn seal(&self, duress_kek: &SecretKey) -> Vec<u8> {
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        seed[..SALT_LEN].copy_from_slice(&self.salt);
        seed[SALT_LEN..].copy_from_slice(self.kek.as_bytes());
        crypto::seal(duress_kek, DURESS, seed.as_slice())
    }

    /// A verifier of the same size under a throwaway key, for a vault with
    /// no duress PIN, so the file does not tell whether one is set.
    pub fn decoy() -> Vec<u8> {
        crypto::seal(&SecretKey::random(), DURESS, &random_array::<SEED_LEN>())
    }

    /// The vault prepared in an opened verifier. A verifier written before
    /// vaults were prepared holds only random bytes: the next vault is then
    /// prepared now, at the cost of a second derivation.
    pub fn from_seed(seed: &[u8], duress_pin: &str, params: &KdfParams) -> Result<Self> {
        if seed.len() != SEED_LEN {
            return Self::prepare(duress_pin, params);
        }
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&seed[..SALT_LEN]);
        let mut kek = Zeroizing::new([0u8; 32]);
        kek.copy_from_slice(&seed[SALT_LEN..]);
        Ok(Self {
            salt,
            kek: SecretKey::from_bytes(*kek),
        })
    }
}
