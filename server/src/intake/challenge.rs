//! The anti-flood check of the public intake: a challenge the server MACs
//! (bound to a commune, an expiry and a difficulty, answered once), and a
//! proof of work on it: `SHA-256(challenge || nonce as 8 bytes LE)` must
//! start with `difficulty` zero bits. One phone pays it once; a flood pays
//! it for every submission, since each needs its own challenge.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// How long an intake challenge may be answered (a person types their
/// report after fetching it).
pub const INTAKE_CHALLENGE_TTL_MS: u64 = 10 * 60_000;
/// The default difficulty (leading zero bits); see docs/benchmarks.md.
pub const DEFAULT_DIFFICULTY: u8 = 16;
/// The hardest difficulty the server may be set to.
pub const MAX_DIFFICULTY: u8 = 32;
/// Random bytes, expiry (8, LE), difficulty (1), MAC (32).
const CHALLENGE_BYTES: usize = 16 + 8 + 1 + 32;

fn tag(secret: &[u8; 32], commune: &str, body: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"binhan/intake-challenge");
    mac.update(&(commune.len() as u32).to_le_bytes());
    mac.update(commune.as_bytes());
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// A new challenge for a report to `commune`.
pub fn issue(secret: &[u8; 32], commune: &str, difficulty: u8, now_ms: u64) -> Vec<u8> {
    let mut body = binhan_core::crypto::random_array::<16>().to_vec();
    body.extend((now_ms + INTAKE_CHALLENGE_TTL_MS).to_le_bytes());
    body.push(difficulty);
    let mac = tag(secret, commune, &body);
    [body.as_slice(), &mac].concat()
}

/// A checked challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// Until when it may be answered, ms since 1970.
    pub expires_at_ms: u64,
    /// The zero bits its proof of work needs.
    pub difficulty: u8,
}

/// Checks `challenge` came from this server for `commune` and is fresh.
pub fn check(secret: &[u8; 32], commune: &str, challenge: &[u8], now_ms: u64) -> Option<Checked> {
    if challenge.len() != CHALLENGE_BYTES {
        return None;
    }
    let (body, mac) = challenge.split_at(16 + 8 + 1);
    if !binhan_core::crypto::constant_time_eq(&tag(secret, commune, body), mac) {
        return None;
    }
    let expires_at_ms = u64::from_le_bytes(body[16..24].try_into().ok()?);
    (now_ms <= expires_at_ms).then_some(Checked {
        expires_at_ms,
        difficulty: body[24],
    })
}

/// Leading zero bits of `SHA-256(challenge || nonce LE)`.
pub fn work_bits(challenge: &[u8], nonce: u64) -> u32 {
    let digest: [u8; 32] = Sha256::new()
        .chain_update(challenge)
        .chain_update(nonce.to_le_bytes())
        .finalize()
        .into();
    let mut bits = 0;
    for byte in digest {
        bits += byte.leading_zeros();
        if byte != 0 {
            break;
        }
    }
    bits
}

/// A nonce answering `challenge` at `difficulty` (tests and benchmarks).
pub fn solve(challenge: &[u8], difficulty: u8) -> u64 {
    (0..)
        .find(|&n| work_bits(challenge, n) >= u32::from(difficulty))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_challenge_is_checked_for_its_commune_and_time() {
        let secret = [3u8; 32];
        let c = issue(&secret, "mu_ca", 8, 1_000);
        let checked = check(&secret, "mu_ca", &c, 1_000).unwrap();
        assert_eq!(checked.difficulty, 8);
        assert!(check(&secret, "pa_u", &c, 1_000).is_none(), "other commune");
        assert!(
            check(&[4u8; 32], "mu_ca", &c, 1_000).is_none(),
            "other server"
        );
        assert!(check(&secret, "mu_ca", &c, 1_001 + INTAKE_CHALLENGE_TTL_MS).is_none());
        let mut easier = c.clone();
        easier[24] = 0;
        assert!(
            check(&secret, "mu_ca", &easier, 1_000).is_none(),
            "forged difficulty"
        );
        let nonce = solve(&c, 8);
        assert!(work_bits(&c, nonce) >= 8);
    }
}
