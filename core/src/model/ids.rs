//! Random 128-bit identifiers. They carry no meaning, so they may be stored
//! and sent in the clear.

use crate::crypto::random_array;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

macro_rules! random_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub [u8; 16]);

        impl $name {
            /// A new random id.
            pub fn random() -> Self {
                Self(random_array())
            }

            /// The 16 bytes.
            pub fn as_bytes(&self) -> &[u8; 16] {
                &self.0
            }

            /// From stored bytes; `None` unless exactly 16.
            pub fn from_slice(bytes: &[u8]) -> Option<Self> {
                bytes.try_into().ok().map(Self)
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
                parse_hex16(s).map(Self).ok_or_else(|| {
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

random_id!(
    /// Identifies a case.
    CaseId,
    "case_id"
);
random_id!(
    /// Identifies an event.
    EventId,
    "event_id"
);
random_id!(
    /// Identifies a device (an installed vault).
    DeviceId,
    "device_id"
);

fn parse_hex16(s: &str) -> Option<[u8; 16]> {
    let s = s.trim();
    if s.len() != 32 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
