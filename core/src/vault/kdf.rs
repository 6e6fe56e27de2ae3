//! Argon2id: from a PIN to the key that wraps the data key.
//!
//! ## Default parameters
//!
//! 64 MiB of memory, 3 passes, 1 lane (RFC 9106's second recommended option
//! with a single lane). Reasoning:
//!
//! - Memory is what makes guessing expensive on GPUs and ASICs, so it is set
//!   as high as a low-end Android phone (2–3 GB of RAM, the app in the
//!   foreground) can spare without being killed: 64 MiB.
//! - Three passes over 64 MiB: one unlock measured 0.2 s on a server vCPU
//!   (AMD EPYC, `cargo bench -p binhan-core --bench unlock`). Argon2 is bound
//!   by memory bandwidth, which on a Cortex-A53-class phone is some 3–5
//!   times lower, giving an estimated 0.6–1 s: the budget the design guide
//!   sets. Confirm on a real low-end device and lower `iterations` (never
//!   memory) if it is slower.
//! - One lane: the `argon2` crate computes lanes one after another (no
//!   threads), so more lanes would add no speed for the defender while an
//!   attacker's hardware parallelises them anyway.
//! - The floor, 46 MiB with one pass, is OWASP's minimum for Argon2id;
//!   nothing weaker is accepted, not even from a key file on disk.
//!
//! A 6-digit PIN has only a million values, so no setting of Argon2id alone
//! stops someone who copies the key file from trying them all offline; the
//! attempt limit only holds on the phone. That is what the platform key
//! (Android Keystore / iOS Keychain) layer is for.

use crate::error::Rule;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use zeroize::Zeroizing;

use crate::crypto::SecretKey;
use crate::error::{Error, Result};

/// Length of the random salt stored in the key file.
pub(crate) const SALT_LEN: usize = 16;

/// Argon2id cost parameters, recorded in the key file with the wrapped key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct KdfParams {
    /// Memory in KiB (1 KiB blocks).
    pub memory_kib: u32,
    /// Passes over the memory (`t`).
    pub iterations: u32,
    /// Lanes (`p`).
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 passes, 1 lane; see the module documentation.
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        }
    }
}

impl KdfParams {
    /// The least memory accepted: 46 MiB (OWASP's minimum for Argon2id).
    pub const MIN_MEMORY_KIB: u32 = 46 * 1024;
    /// The most memory accepted: 1 GiB (more would not fit on a phone).
    pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
    /// The most passes accepted.
    pub const MAX_ITERATIONS: u32 = 64;
    /// The most lanes accepted.
    pub const MAX_PARALLELISM: u32 = 16;

    /// Checked parameters; refuses anything below the floor or absurdly high.
    pub fn new(memory_kib: u32, iterations: u32, parallelism: u32) -> Result<Self> {
        let params = Self {
            memory_kib,
            iterations,
            parallelism,
        };
        params.validate()?;
        Ok(params)
    }

    /// Refuses parameters below the floor (46 MiB, 1 pass, 1 lane) or above the ceilings.
    pub fn validate(&self) -> Result<()> {
        if self.memory_kib < Self::MIN_MEMORY_KIB {
            return Err(Error::invalid(
                "kdf.memory_kib",
                Rule::AtLeast {
                    min: Self::MIN_MEMORY_KIB.into(),
                },
            ));
        }
        if self.memory_kib > Self::MAX_MEMORY_KIB {
            return Err(Error::invalid(
                "kdf.memory_kib",
                Rule::AtMost {
                    max: Self::MAX_MEMORY_KIB.into(),
                },
            ));
        }
        if !(1..=Self::MAX_ITERATIONS).contains(&self.iterations) {
            return Err(Error::invalid(
                "kdf.iterations",
                Rule::OutOfRange {
                    min: 1,
                    max: Self::MAX_ITERATIONS.into(),
                },
            ));
        }
        if !(1..=Self::MAX_PARALLELISM).contains(&self.parallelism) {
            return Err(Error::invalid(
                "kdf.parallelism",
                Rule::OutOfRange {
                    min: 1,
                    max: Self::MAX_PARALLELISM.into(),
                },
            ));
        }
        Ok(())
    }
}

/// Derives the 32-byte key-encryption key from an NFC-normalised PIN.
///
/// The Argon2 working memory is allocated here (failing cleanly when the
/// phone has too little) and wiped before it is freed, since it is derived
/// from the PIN.
pub(crate) fn derive_kek(pin: &str, salt: &[u8], params: &KdfParams) -> Result<SecretKey> {
    params.validate()?;
    let argon_params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(32),
    )
    .map_err(|_| Error::invalid("kdf", Rule::Unsupported))?;
    let blocks_len = argon_params.block_count();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);

    let mut memory: Zeroizing<Vec<Block>> = Zeroizing::new(Vec::new());
    memory
        .try_reserve_exact(blocks_len)
        .map_err(|_| Error::invalid("kdf.memory_kib", Rule::NotEnoughMemory))?;
    memory.resize(blocks_len, Block::new());

    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into_with_memory(
            pin.as_bytes(),
            salt,
            out.as_mut_slice(),
            memory.as_mut_slice(),
        )
        .map_err(|_| Error::invalid("kdf", Rule::Unsupported))?;
    Ok(SecretKey::from_bytes(*out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick() -> KdfParams {
        KdfParams::new(KdfParams::MIN_MEMORY_KIB, 1, 1).unwrap()
    }

    #[test]
    fn memory_below_46_mib_is_refused() {
        match KdfParams::new(47_103, 3, 1) {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, "kdf.memory_kib"),
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert!(KdfParams::new(47_104, 1, 1).is_ok());
        assert!(KdfParams::new(47_104, 0, 1).is_err());
        assert!(KdfParams::new(47_104, 1, 0).is_err());
        assert!(KdfParams::new(u32::MAX, 1, 1).is_err());
        assert!(KdfParams::default().validate().is_ok());
    }

    #[test]
    fn derivation_is_deterministic_and_salted() {
        let salt = [7u8; SALT_LEN];
        let a = derive_kek("274916", &salt, &quick()).unwrap();
        let b = derive_kek("274916", &salt, &quick()).unwrap();
        let c = derive_kek("274917", &salt, &quick()).unwrap();
        let d = derive_kek("274916", &[8u8; SALT_LEN], &quick()).unwrap();
        assert_eq!(a.as_bytes(), b.as_bytes());
        assert_ne!(a.as_bytes(), c.as_bytes());
        assert_ne!(a.as_bytes(), d.as_bytes());
    }

    #[test]
    fn matches_the_crate_s_own_allocation() {
        let salt = [3u8; SALT_LEN];
        let params = quick();
        let ours = derive_kek("583920", &salt, &params).unwrap();
        let mut theirs = [0u8; 32];
        Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(params.memory_kib, 1, 1, Some(32)).unwrap(),
        )
        .hash_password_into(b"583920", &salt, &mut theirs)
        .unwrap();
        assert_eq!(ours.as_bytes(), &theirs);
    }
}
