//! Vault settings for tests, benchmarks and examples: they create many
//! vaults and measure other things than unlocking, so they derive keys at
//! the cheapest cost a vault accepts, which a phone never should.

use binhan_core::app::VaultOptions;
use binhan_core::vault::{KdfParams, VaultPolicy};

/// The cheapest key derivation a vault accepts: the memory floor, one pass,
/// one lane.
pub fn fast_kdf() -> KdfParams {
    KdfParams::new(KdfParams::MIN_MEMORY_KIB, 1, 1).expect("the floor is accepted")
}

/// Vault options that unlock fast; the rest as on a phone (its failed-unlock
/// policy, the system clock, no platform key).
pub fn fast_vault() -> VaultOptions {
    VaultOptions {
        kdf: fast_kdf(),
        ..VaultOptions::default()
    }
}

/// `attempts` unlock attempts, none of them delayed (tests that enter wrong
/// PINs must not wait).
pub fn no_delays(attempts: u32) -> VaultPolicy {
    VaultPolicy {
        max_attempts: attempts,
        free_attempts: attempts,
        base_delay_secs: 0,
        max_delay_secs: 0,
    }
}
