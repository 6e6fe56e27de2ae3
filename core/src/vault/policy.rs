//! How many wrong PINs are tolerated, and how long to wait between them.

use crate::error::Rule;
use crate::error::{Error, Result};

/// Failed-unlock policy, recorded in the key file when the vault is created.
///
/// The first `free_attempts` failures cost nothing; after that each attempt
/// must wait `base_delay_secs` after the last failure, doubling with every
/// further failure up to `max_delay_secs`. After `max_attempts` consecutive
/// failures the keys are erased. With the defaults (10, 3, 30 s, 900 s) the
/// waits are 30 s, 1, 2, 4, 8, 15 and 15 min: about 45 minutes of waiting
/// for an attacker to spend all ten attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VaultPolicy {
    /// Consecutive failures that erase the vault (at least 1).
    pub max_attempts: u32,
    /// Failures before delays start.
    pub free_attempts: u32,
    /// The first delay, in seconds.
    pub base_delay_secs: u64,
    /// The longest delay, in seconds.
    pub max_delay_secs: u64,
}

impl Default for VaultPolicy {
    /// 10 attempts, 3 free, delays from 30 s doubling up to 15 min.
    fn default() -> Self {
        Self {
            max_attempts: 10,
            free_attempts: 3,
            base_delay_secs: 30,
            max_delay_secs: 900,
        }
    }
}

impl VaultPolicy {
    /// The most attempts a policy may allow.
    pub const MAX_ATTEMPTS_CEILING: u32 = 1000;

    /// Refuses a policy that never erases or allows no attempt at all.
    pub fn validate(&self) -> Result<()> {
        if !(1..=Self::MAX_ATTEMPTS_CEILING).contains(&self.max_attempts) {
            return Err(Error::invalid(
                "policy.max_attempts",
                Rule::OutOfRange {
                    min: 1,
                    max: Self::MAX_ATTEMPTS_CEILING.into(),
                },
            ));
        }
        Ok(())
    }

    /// Seconds that must pass after the last failure, given `failed` consecutive failures.
    pub fn delay_after(&self, failed: u32) -> u64 {
        // With no free attempts the first failure already starts the delays.
        let first_delayed = self.free_attempts.max(1);
        if failed < first_delayed {
            return 0;
        }
        let doublings = failed - first_delayed;
        let factor = 1u64.checked_shl(doublings).unwrap_or(u64::MAX);
        self.base_delay_secs
            .saturating_mul(factor)
            .min(self.max_delay_secs)
    }

    /// Seconds still to wait at `now`, or `None` if an attempt may be made.
    pub(crate) fn wait_at(&self, failed: u32, last_failure: u64, now: u64) -> Option<u64> {
        let ready_at = last_failure.saturating_add(self.delay_after(failed));
        (now < ready_at).then(|| ready_at - now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_starts_after_free_attempts_doubles_and_caps() {
        let p = VaultPolicy::default();
        let delays: Vec<u64> = (0..12).map(|f| p.delay_after(f)).collect();
        assert_eq!(delays, [0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900, 900]);
        assert_eq!(p.delay_after(u32::MAX), 900);
        let none = VaultPolicy {
            free_attempts: 0,
            ..p
        };
        assert_eq!(none.delay_after(0), 0);
        assert_eq!(none.delay_after(1), 30);
        assert_eq!(none.delay_after(2), 60);
    }

    #[test]
    fn wait_counts_from_the_last_failure() {
        let p = VaultPolicy::default();
        assert_eq!(p.wait_at(2, 1000, 1000), None);
        assert_eq!(p.wait_at(3, 1000, 1000), Some(30));
        assert_eq!(p.wait_at(3, 1000, 1029), Some(1));
        assert_eq!(p.wait_at(3, 1000, 1030), None);
    }

    #[test]
    fn policy_must_allow_and_limit_attempts() {
        assert!(VaultPolicy::default().validate().is_ok());
        let zero = VaultPolicy {
            max_attempts: 0,
            ..VaultPolicy::default()
        };
        assert!(matches!(zero.validate(), Err(Error::Invalid { .. })));
    }
}
