//! Stateless tokens and challenges, MACed with the server secret that every
//! process shares: any process can check what another issued. A challenge
//! is also recorded when used, so a replayed answer is refused.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use binhan_core::model::DeviceId;

/// How long a challenge may be answered.
pub const CHALLENGE_TTL_MS: u64 = 60_000;
/// How long a token lasts.
pub const TOKEN_TTL_MS: u64 = 15 * 60_000;

const MAC_LEN: usize = 32;

fn mac(secret: &[u8; 32], domain: &[u8], parts: &[&[u8]]) -> [u8; MAC_LEN] {
    let mut m =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(domain);
    for part in parts {
        m.update(&(part.len() as u32).to_le_bytes());
        m.update(part);
    }
    m.finalize().into_bytes().into()
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// A new challenge for `device`: random bytes, expiry and MAC.
pub fn issue_challenge(secret: &[u8; 32], device: DeviceId, now_ms: u64) -> Vec<u8> {
    let nonce: [u8; 16] = binhan_core::crypto::random_array();
    let expires = (now_ms + CHALLENGE_TTL_MS).to_le_bytes();
    let tag = mac(
        secret,
        b"binhan/challenge",
        &[device.as_bytes(), &nonce, &expires],
    );
    [nonce.as_slice(), &expires, &tag].concat()
}

/// Checks a challenge came from this server for `device` and is fresh;
/// returns its expiry.
pub fn check_challenge(
    secret: &[u8; 32],
    device: DeviceId,
    challenge: &[u8],
    now_ms: u64,
) -> Option<u64> {
    if challenge.len() != 16 + 8 + MAC_LEN {
        return None;
    }
    let (nonce, rest) = challenge.split_at(16);
    let (expires, tag) = rest.split_at(8);
    let expected = mac(
        secret,
        b"binhan/challenge",
        &[device.as_bytes(), nonce, expires],
    );
    let expires_at = u64::from_le_bytes(expires.try_into().ok()?);
    (binhan_core::crypto::constant_time_eq(&expected, tag) && now_ms <= expires_at)
        .then_some(expires_at)
}

/// A bearer token for `device` until `expires_at_ms`.
pub fn issue_token(secret: &[u8; 32], device: DeviceId, expires_at_ms: u64) -> String {
    let expires = expires_at_ms.to_le_bytes();
    let tag = mac(secret, b"binhan/token", &[device.as_bytes(), &expires]);
    hex(&[device.as_bytes().as_slice(), &expires, &tag].concat())
}

/// The device a token was issued to, if it is genuine and unexpired.
pub fn check_token(secret: &[u8; 32], token: &str, now_ms: u64) -> Option<DeviceId> {
    let bytes = unhex(token)?;
    if bytes.len() != 16 + 8 + MAC_LEN {
        return None;
    }
    let device = DeviceId::from_slice(&bytes[..16])?;
    let expires = &bytes[16..24];
    let expected = mac(secret, b"binhan/token", &[device.as_bytes(), expires]);
    let expires_at = u64::from_le_bytes(expires.try_into().ok()?);
    (binhan_core::crypto::constant_time_eq(&expected, &bytes[24..]) && now_ms < expires_at)
        .then_some(device)
}

/// Normalises an invitation's id (case, spaces, dashes) and hashes it;
/// only the hash is stored. The id is derived from the code on the phones
/// (`InvitationSecret::id`): the server never sees a code a phone made.
pub fn invitation_hash(code: &str) -> [u8; 32] {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    sha256(normal.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_challenges_verify_only_as_issued() {
        let secret = [7u8; 32];
        let device = DeviceId::random();
        let token = issue_token(&secret, device, 2_000);
        assert_eq!(check_token(&secret, &token, 1_000), Some(device));
        assert_eq!(check_token(&secret, &token, 2_000), None, "expired");
        assert_eq!(check_token(&[8u8; 32], &token, 1_000), None, "other server");
        let mut forged = token.clone();
        forged.replace_range(0..2, if &token[0..2] == "00" { "01" } else { "00" });
        assert_eq!(check_token(&secret, &forged, 1_000), None);
        assert_eq!(check_token(&secret, "zz", 1_000), None);

        let challenge = issue_challenge(&secret, device, 1_000);
        assert!(check_challenge(&secret, device, &challenge, 1_000).is_some());
        assert!(check_challenge(&secret, DeviceId::random(), &challenge, 1_000).is_none());
        assert!(
            check_challenge(&secret, device, &challenge, 1_000 + CHALLENGE_TTL_MS + 1).is_none()
        );
    }

    #[test]
    fn invitation_codes_normalise() {
        let code = binhan_core::sync::new_code(binhan_core::sync::BOOTSTRAP_CODE_CHARS);
        assert_eq!(code.len(), 14);
        assert_eq!(
            invitation_hash(&code),
            invitation_hash(&code.to_lowercase().replace('-', " "))
        );
    }
}
