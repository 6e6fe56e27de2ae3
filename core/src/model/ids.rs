//! Random 128-bit identifiers, and the one macro ([`random_id!`]) that
//! declares every id type of the crate (cases, events, devices, shelters,
//! placement requests, mail, statistics records). They carry no meaning, so
//! they may be stored and sent in the clear.

use serde::{Serialize, Serializer};
use std::fmt;

/// Declares a 16-byte id type: 32 lower-case hexadecimal digits as text
/// (and in human-readable encodings), the 16 bytes in binary ones.
///
/// After the type and the field name that errors report come the
/// constructors it offers besides its bytes: `random` (a new random id)
/// and `derived` (from a label, for synthetic fixtures that must come out
/// the same on every run).
macro_rules! random_id {
    ($(#[$meta:meta])* $name:ident, $what:literal $(, $ctor:ident)*) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub [u8; 16]);

        impl $name {
            /// The 16 bytes.
            pub fn as_bytes(&self) -> &[u8; 16] {
                &self.0
            }

            /// From stored bytes; `None` unless exactly 16.
            pub fn from_slice(bytes: &[u8]) -> Option<Self> {
                bytes.try_into().ok().map(Self)
            }
        }

        $( $crate::model::random_id!(@$ctor $name); )*

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&$crate::model::HexDigits(&self.0), f)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<Self> {
                $crate::model::from_hex::<16>(s).map(Self).ok_or_else(|| {
                    $crate::Error::invalid($what, $crate::Rule::NotHex { digits: 32 })
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::model::serialize_hex(&self.0, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                if d.is_human_readable() {
                    let s = <String as serde::Deserialize>::deserialize(d)?;
                    s.parse().map_err(serde::de::Error::custom)
                } else {
                    <[u8; 16] as serde::Deserialize>::deserialize(d).map(Self)
                }
            }
        }
    };
    (@random $name:ident) => {
        impl $name {
            /// A new random id.
            pub fn random() -> Self {
                Self($crate::crypto::random_array())
            }
        }
    };
    (@derived $name:ident) => {
        impl $name {
            /// An id derived from a label (for synthetic fixtures that must
            /// come out the same on every run).
            pub fn derived(label: &str) -> Self {
                use sha2::Digest;
                let digest = sha2::Sha256::digest(label.as_bytes());
                let mut out = [0u8; 16];
                out.copy_from_slice(&digest[..16]);
                Self(out)
            }
        }
    };
}
pub(crate) use random_id;

random_id!(
    /// Identifies a case.
    CaseId,
    "case_id",
    random
);
random_id!(
    /// Identifies an event.
    EventId,
    "event_id",
    random
);
random_id!(
    /// Identifies a device (an installed vault).
    DeviceId,
    "device_id",
    random
);

/// Bytes shown as lower-case hexadecimal digits.
pub(crate) struct HexDigits<'a>(pub &'a [u8]);

impl fmt::Display for HexDigits<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Lower-case hexadecimal of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    HexDigits(bytes).to_string()
}

/// Bytes from hexadecimal, `None` unless exactly `N` bytes of hex digits.
pub(crate) fn from_hex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let s = s.trim();
    if s.len() != 2 * N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// Fixed-size bytes as hexadecimal text in human-readable encodings (JSON),
/// as the bytes themselves in binary ones (postcard).
pub(crate) fn serialize_hex<const N: usize, S: Serializer>(
    bytes: &[u8; N],
    s: S,
) -> Result<S::Ok, S::Error>
where
    [u8; N]: Serialize,
{
    if s.is_human_readable() {
        s.collect_str(&HexDigits(bytes))
    } else {
        bytes.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn hex_and_binary_round_trip() {
        let id = CaseId::random();
        let text = id.to_string();
        assert_eq!(text.len(), 32);
        assert_eq!(text.parse::<CaseId>().unwrap(), id);
        assert_eq!(
            serde_json::from_str::<CaseId>(&serde_json::to_string(&id).unwrap()).unwrap(),
            id
        );
        let bin = postcard::to_allocvec(&id).unwrap();
        assert_eq!(bin.len(), 16);
        assert_eq!(postcard::from_bytes::<CaseId>(&bin).unwrap(), id);
        assert!("xyz".parse::<CaseId>().is_err());
        assert!("ễễễễễễễễễễễễễễễễ".parse::<CaseId>().is_err());
    }

    #[test]
    fn hex_helpers_round_trip() {
        assert_eq!(from_hex::<2>("0aff"), Some([10, 255]));
        assert_eq!(hex(&[10, 255]), "0aff");
        assert_eq!(CaseId::from_str(&hex(&[7; 16])).unwrap(), CaseId([7; 16]));
    }
}
