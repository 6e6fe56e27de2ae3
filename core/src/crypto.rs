//! Authenticated encryption of stored values and random material.
//!
//! Every sensitive value is sealed with XChaCha20-Poly1305 under a 256-bit key,
//! with a fresh random 24-byte nonce and associated data that binds it to the
//! place it is stored (table, row, field). A value copied to another row or
//! field fails to open, as does any flipped byte.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Format byte at the start of every sealed blob, so the layout can evolve.
const SEALED_V1: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// Bytes a sealed blob adds to its plaintext.
pub const SEAL_OVERHEAD: usize = 1 + NONCE_LEN + TAG_LEN;

/// A 256-bit symmetric key, erased from memory when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    /// A new key from the operating system's random source.
    pub fn random() -> Self {
        Self(random_array())
    }

    /// Wraps existing key bytes (which the caller should zeroize).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.0.into())
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

/// Where a sealed value lives; becomes the associated data of its seal.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    /// Table (or file) that stores the value.
    pub table: &'a str,
    /// Row identifier (a random id, never content).
    pub row: &'a [u8],
    /// Field or column name.
    pub field: &'a str,
}

impl Binding<'_> {
    fn associated_data(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(16 + self.table.len() + self.row.len() + self.field.len());
        aad.extend_from_slice(b"binhan/v1");
        for part in [self.table.as_bytes(), self.row, self.field.as_bytes()] {
            aad.extend_from_slice(&(part.len() as u32).to_le_bytes());
            aad.extend_from_slice(part);
        }
        aad
    }
}

/// The seal did not open: wrong key, wrong binding, or altered bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("tampered or corrupted ciphertext")]
pub struct OpenError;

/// Encrypts `plaintext` under `key`, bound to `binding`.
pub fn seal(key: &SecretKey, binding: Binding<'_>, plaintext: &[u8]) -> Vec<u8> {
    let nonce: [u8; NONCE_LEN] = random_array();
    let aad = binding.associated_data();
    let ciphertext = key
        .cipher()
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .expect("XChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
    let mut out = Vec::with_capacity(SEAL_OVERHEAD + plaintext.len());
    out.push(SEALED_V1);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    out
}

/// Decrypts a blob made by [`seal`] with the same key and binding.
pub fn open(
    key: &SecretKey,
    binding: Binding<'_>,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    if sealed.len() < SEAL_OVERHEAD || sealed[0] != SEALED_V1 {
        return Err(OpenError);
    }
    let (nonce, ciphertext) = sealed[1..].split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| OpenError)?;
    let aad = binding.associated_data();
    key.cipher()
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| OpenError)
}

/// `N` bytes from the operating system's random source.
pub fn random_array<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).expect("the operating system's random source is unavailable");
    out
}

/// Compares two byte strings in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(row: &'a [u8], field: &'a str) -> Binding<'a> {
        Binding {
            table: "events",
            row,
            field,
        }
    }

    #[test]
    fn round_trip() {
        let key = SecretKey::random();
        let sealed = seal(&key, at(b"r1", "body"), "Bản Mù Cả".as_bytes());
        assert_eq!(sealed.len(), SEAL_OVERHEAD + "Bản Mù Cả".len());
        let opened = open(&key, at(b"r1", "body"), &sealed).unwrap();
        assert_eq!(opened.as_slice(), "Bản Mù Cả".as_bytes());
    }

    #[test]
    fn binding_and_bytes_are_authenticated() {
        let key = SecretKey::random();
        let sealed = seal(&key, at(b"r1", "body"), b"synthetic");
        assert_eq!(open(&key, at(b"r2", "body"), &sealed), Err(OpenError));
        assert_eq!(open(&key, at(b"r1", "summary"), &sealed), Err(OpenError));
        assert_eq!(
            open(&SecretKey::random(), at(b"r1", "body"), &sealed),
            Err(OpenError)
        );
        for i in 0..sealed.len() {
            let mut flipped = sealed.clone();
            flipped[i] ^= 0x01;
            assert_eq!(
                open(&key, at(b"r1", "body"), &flipped),
                Err(OpenError),
                "byte {i}"
            );
        }
        assert_eq!(open(&key, at(b"r1", "body"), &sealed[..10]), Err(OpenError));
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
