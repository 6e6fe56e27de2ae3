//! The clear header of a sealed online report (format v1, made in the
//! browser, opened on the managers' phones):
//!
//! ```text
//! "BAOR1" | eph_pub (32) | n (1, 1..=32) |
//! n × [ recipient device id (16) | wrap nonce (24) | wrapped key (48) ] |
//! body nonce (24) | body ciphertext (≥ 16)
//! ```
//!
//! The server reads only the recipients' ids, to refuse a report sealed to
//! anyone but the commune's certified managers; it holds no key to open it.

/// The format's first bytes.
pub const MAGIC: &[u8; 5] = b"BAOR1";
/// The largest sealed report the server stores.
pub const MAX_SEALED_BYTES: usize = 32 * 1024;
/// Most recipients of one report.
pub const MAX_RECIPIENTS: usize = 32;
/// One recipient's entry: id, wrap nonce, wrapped content key with its tag.
const RECIPIENT_BYTES: usize = 16 + 24 + 32 + 16;
/// The smallest body: its nonce and the tag of an empty ciphertext.
const MIN_BODY_BYTES: usize = 24 + 16;

/// Why a sealed report is refused before anything else is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeError {
    /// Larger than [`MAX_SEALED_BYTES`].
    TooLarge,
    /// Not the format: wrong magic, recipients out of range, repeated or
    /// truncated.
    Malformed,
}

/// The recipients' device ids of a sealed report, once its header is
/// well-formed.
pub fn recipients(sealed: &[u8]) -> Result<Vec<[u8; 16]>, EnvelopeError> {
    if sealed.len() > MAX_SEALED_BYTES {
        return Err(EnvelopeError::TooLarge);
    }
    let rest = sealed
        .strip_prefix(MAGIC.as_slice())
        .ok_or(EnvelopeError::Malformed)?;
    let (&n, rest) = rest
        .get(32..)
        .and_then(<[u8]>::split_first)
        .ok_or(EnvelopeError::Malformed)?;
    let n = usize::from(n);
    if !(1..=MAX_RECIPIENTS).contains(&n) || rest.len() < n * RECIPIENT_BYTES + MIN_BODY_BYTES {
        return Err(EnvelopeError::Malformed);
    }
    let mut ids: Vec<[u8; 16]> = Vec::with_capacity(n);
    for entry in rest[..n * RECIPIENT_BYTES].chunks_exact(RECIPIENT_BYTES) {
        let id: [u8; 16] = entry[..16].try_into().map_err(|_| EnvelopeError::Malformed)?;
        if ids.contains(&id) {
            return Err(EnvelopeError::Malformed);
        }
        ids.push(id);
    }
    Ok(ids)
}

/// Decodes unpadded base64url (padding tolerated), `None` if it is not.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    };
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= value(c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// Encodes unpadded base64url.
pub fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut acc = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            acc |= u32::from(b) << (16 - 8 * i);
        }
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(acc >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(n: u8, ids: &[[u8; 16]], body: usize) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend([9u8; 32]);
        out.push(n);
        for id in ids {
            out.extend(id);
            out.extend([1u8; 24 + 48]);
        }
        out.extend(vec![2u8; body]);
        out
    }

    #[test]
    fn the_header_names_its_recipients_or_is_refused() {
        let (a, b) = ([1u8; 16], [2u8; 16]);
        assert_eq!(recipients(&sealed(2, &[a, b], 40)), Ok(vec![a, b]));
        assert_eq!(recipients(&sealed(2, &[a, b], 39)), Err(EnvelopeError::Malformed));
        assert_eq!(recipients(&sealed(2, &[a, a], 40)), Err(EnvelopeError::Malformed));
        assert_eq!(recipients(&sealed(0, &[], 40)), Err(EnvelopeError::Malformed));
        assert_eq!(recipients(&sealed(3, &[a, b], 40)), Err(EnvelopeError::Malformed));
        let mut wrong = sealed(1, &[a], 40);
        wrong[4] = b'2';
        assert_eq!(recipients(&wrong), Err(EnvelopeError::Malformed));
        assert_eq!(recipients(b"{\"v\":1}"), Err(EnvelopeError::Malformed));
        assert_eq!(recipients(&sealed(1, &[a], 33_000)), Err(EnvelopeError::TooLarge));
    }

    #[test]
    fn base64url_round_trips() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(base64url_decode(&text), Some(bytes));
        }
        assert_eq!(base64url_decode("a+b/"), None);
        assert_eq!(base64url_decode("abcde"), None);
        assert_eq!(base64url_decode("SGk="), Some(b"Hi".to_vec()));
    }
}
