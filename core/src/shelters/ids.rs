//! Random identifiers of shelters and placement requests. Like the case ids
//! they carry no meaning and may travel and be stored in the clear.

use crate::crypto::random_array;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

macro_rules! shelter_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub [u8; 16]);

        impl $name {
            /// A new random id.
            pub fn random() -> Self {
                Self(random_array())
            }

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

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                for b in self.0 {
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }

        impl FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<Self> {
                from_hex::<16>(s).map(Self).ok_or_else(|| {
                    crate::Error::invalid($what, "must be 32 hexadecimal digits")
                })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if s.is_human_readable() {
                    s.collect_str(self)
                } else {
                    self.0.serialize(s)
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                if d.is_human_readable() {
                    let s = String::deserialize(d)?;
                    s.parse().map_err(serde::de::Error::custom)
                } else {
                    <[u8; 16]>::deserialize(d).map(Self)
                }
            }
        }
    };
}

shelter_id!(
    /// Identifies a shelter in the provincial directory.
    ShelterId,
    "shelter_id"
);
shelter_id!(
    /// Identifies a placement request, from the collaborator's request to
    /// the departure. The host never learns which case it belongs to.
    RequestId,
    "request_id"
);

shelter_id!(
    /// Identifies a shelter message as it travels between devices (the
    /// idempotency key of the mailbox): derived from the sender and its
    /// outbox position, so sending again after a cut stores nothing twice.
    MailId,
    "mail_id"
);

// Ids cross the uniffi boundary as 32 hexadecimal digits, like the case ids.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(ShelterId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

#[cfg(feature = "uniffi")]
uniffi::custom_type!(RequestId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse()?),
});

/// Lower-case hexadecimal of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shelter_ids_round_trip_and_derive_stably() {
        let id = ShelterId::random();
        assert_eq!(id.to_string().parse::<ShelterId>().unwrap(), id);
        assert_eq!(ShelterId::derived("x"), ShelterId::derived("x"));
        assert_ne!(ShelterId::derived("x"), ShelterId::derived("y"));
        assert!("zz".parse::<RequestId>().is_err());
        let bin = postcard::to_allocvec(&id).unwrap();
        assert_eq!(postcard::from_bytes::<ShelterId>(&bin).unwrap(), id);
        assert_eq!(from_hex::<2>("0aff"), Some([10, 255]));
        assert_eq!(hex(&[10, 255]), "0aff");
    }
}
