//! PIN text: Unicode normalisation and the weak-PIN rules.
//!
//! Android and iOS keyboards may send the same Vietnamese text in composed
//! (NFC) or decomposed (NFD) form, so every PIN is NFC-normalised before it is
//! checked or fed to the key derivation. The rules refuse the PINs an
//! attacker tries first; they are not a substitute for the attempt limit.

use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::error::PinWeakness;

/// Minimum length of a PIN or passphrase, in characters after NFC normalisation.
pub const MIN_PIN_CHARS: u32 = 6;

/// PINs that people choose most often and that the structural rules below do
/// not already catch (or that are worth naming twice), after published
/// studies of 6-digit PIN choice plus locally popular "lucky" numbers.
const COMMON_PINS: &[&str] = &[
    "000000",
    "111111",
    "222222",
    "333333",
    "444444",
    "555555",
    "666666",
    "777777",
    "888888",
    "999999",
    "121212",
    "123123",
    "123321",
    "654321",
    "112233",
    "159753",
    "147258",
    "147369",
    "520520",
    "696969",
    "102030",
    "789456",
    "131313",
    "123654",
    "456123",
    "159357",
    "753951",
    "258369",
    "741852",
    "963852",
    "147852",
    "321654",
    "100200",
    "111222",
    "112211",
    "010203",
    "121314",
    "142536",
    "252525",
    "123000",
    "000123",
    "110110",
    "120120",
    "246810",
    "135790",
    "168168",
    "686868",
    "868686",
    "668668",
    "888999",
    "999888",
    "789789",
    "101010",
    "202020",
    "12344321",
    "11223344",
    "12341234",
    "147258369",
    "159753159",
];

/// The PIN in Unicode NFC, held in memory that is wiped when dropped.
pub(crate) fn normalize(pin: &str) -> Zeroizing<String> {
    // Reserve enough up front (NFC grows UTF-8 by at most three times) so the
    // string never reallocates and leaves unwiped copies behind.
    let mut out = Zeroizing::new(String::with_capacity(
        pin.len().saturating_mul(3).saturating_add(16),
    ));
    out.extend(pin.nfc());
    out
}

/// Checks that a new PIN or passphrase is not among the easiest to guess.
///
/// After NFC normalisation it must have at least [`MIN_PIN_CHARS`]
/// characters and not be one character repeated. A PIN made only of the
/// digits 0–9 must also not be a straight run up or down (wrapping 9→0, so
/// 890123 counts), a short block repeated (121212, 123123, 112112) or one of
/// the most common PINs. Passphrases with other characters need only the
/// length and all-same rules.
pub fn check_pin_strength(pin: &str) -> Result<(), PinWeakness> {
    let pin = normalize(pin);
    let len = pin.chars().count();
    if len < MIN_PIN_CHARS as usize {
        return Err(PinWeakness::TooShort { min: MIN_PIN_CHARS });
    }
    let mut chars = pin.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(PinWeakness::AllSame);
    }
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let digits = pin.as_bytes();
    if is_sequence(digits) {
        return Err(PinWeakness::Sequence);
    }
    if is_repeated_block(digits) {
        return Err(PinWeakness::Repeated);
    }
    if COMMON_PINS.iter().any(|common| common.as_bytes() == digits) {
        return Err(PinWeakness::Common);
    }
    Ok(())
}

/// Every step goes one up, or every step one down, modulo 10.
fn is_sequence(digits: &[u8]) -> bool {
    let step = |w: &[u8]| (10 + w[1] - w[0]) % 10;
    let mut steps = digits.windows(2).map(step);
    match steps.next() {
        Some(first @ (1 | 9)) => steps.all(|s| s == first),
        _ => false,
    }
}

/// The string has a period of at most half its length (121212, 112112, 1231231).
fn is_repeated_block(digits: &[u8]) -> bool {
    (1..=digits.len() / 2)
        .any(|period| (period..digits.len()).all(|i| digits[i] == digits[i - period]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_pins_are_refused_with_their_reason() {
        let cases: &[(&str, PinWeakness)] = &[
            ("", PinWeakness::TooShort { min: 6 }),
            ("12345", PinWeakness::TooShort { min: 6 }),
            ("mậtk", PinWeakness::TooShort { min: 6 }),
            ("000000", PinWeakness::AllSame),
            ("99999999", PinWeakness::AllSame),
            ("aaaaaaaa", PinWeakness::AllSame),
            ("ệệệệệệ", PinWeakness::AllSame),
            ("123456", PinWeakness::Sequence),
            ("987654", PinWeakness::Sequence),
            ("890123", PinWeakness::Sequence),
            ("210987", PinWeakness::Sequence),
            ("1234567890", PinWeakness::Sequence),
            ("121212", PinWeakness::Repeated),
            ("123123", PinWeakness::Repeated),
            ("112112", PinWeakness::Repeated),
            ("1231231", PinWeakness::Repeated),
            ("123321", PinWeakness::Common),
            ("112233", PinWeakness::Common),
            ("159753", PinWeakness::Common),
            ("147258", PinWeakness::Common),
            ("147369", PinWeakness::Common),
            ("102030", PinWeakness::Common),
            ("789456", PinWeakness::Common),
            ("520520", PinWeakness::Repeated),
        ];
        for (pin, reason) in cases {
            assert_eq!(check_pin_strength(pin), Err(*reason), "{pin:?}");
        }
    }

    #[test]
    fn reasonable_pins_and_passphrases_pass() {
        for pin in [
            "274916",
            "8301752",
            "583920",
            "Bản Mù Cả",
            "abc123",
            "hoa ban nở",
        ] {
            assert_eq!(check_pin_strength(pin), Ok(()), "{pin:?}");
        }
        // Passphrases only need length and variety, even if they look like a sequence.
        assert_eq!(check_pin_strength("abcdef"), Ok(()));
    }

    #[test]
    fn length_counts_characters_after_nfc() {
        // Six characters in NFC, more code points in NFD.
        let nfd = "me\u{0302}\u{0323}t kh";
        assert_eq!(nfd.chars().count(), 8);
        assert_eq!(normalize(nfd).chars().count(), 6);
        assert_eq!(check_pin_strength(nfd), Ok(()));
        // Five characters however it is typed.
        let short_nfd = "e\u{0302}\u{0323}abcd";
        assert_eq!(short_nfd.chars().count(), 7);
        assert_eq!(
            check_pin_strength(short_nfd),
            Err(PinWeakness::TooShort { min: 6 })
        );
    }

    #[test]
    fn nfc_and_nfd_normalise_to_the_same_bytes() {
        assert_eq!(*normalize("Bi\u{0300}nh An"), *normalize("B\u{00EC}nh An"));
    }
}
