//! Signed publications: the provincial office signs each full directory,
//! each delta and each road network manifest with its Ed25519 key; a device
//! uses one only after checking that the signer is the provincial key it was
//! configured with and that the signature holds. Each kind of publication
//! ([`Publication`]) signs under its own domain tag, so a signature over one
//! kind can never be taken for another.

use super::directory::{DirectoryDelta, ShelterDirectory};
use crate::error::{Refusal, Rule};
use crate::model::{from_hex, hex};
use crate::{Error, Result};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What the province signs: each kind with its own domain tag.
pub trait Publication: Serialize + DeserializeOwned {
    /// Domain separation: a signature over one kind of publication can never
    /// be taken for a signature over anything else the system signs.
    const DOMAIN: &'static [u8];
    /// What it is, as errors name it ("shelter directory").
    const WHAT: &'static str;
    /// The checks the signer makes before signing.
    fn check(&self) -> Result<()>;
}

/// First bytes of an encoded publication (of any kind).
const MAGIC: &[u8; 4] = b"BHSD";

/// Version of the publication encoding. 2: the directory lists each
/// commune's emergency contacts and deltas carry their changes (a device
/// refuses version 1 with `unknown_version`; the province publishes the next
/// version whole after upgrading, see docs/shelters.md).
pub const PUBLICATION_FORMAT_VERSION: u8 = 2;

/// Largest publication a device accepts (a directory of 20,000 shelters is
/// far smaller).
pub const MAX_PUBLICATION_BYTES: usize = 16 * 1024 * 1024;

/// The provincial office's public key, which every device is configured
/// with at enrolment. Hex in JSON.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProvincialKey(pub [u8; 32]);

impl fmt::Debug for ProvincialKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProvincialKey({})", hex(&self.0))
    }
}

impl fmt::Display for ProvincialKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

impl std::str::FromStr for ProvincialKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bytes = from_hex::<32>(s)
            .ok_or_else(|| Error::invalid("provincial_key", Rule::NotHex { digits: 64 }))?;
        VerifyingKey::from_bytes(&bytes)
            .map_err(|_| Error::invalid("provincial_key", Rule::BadKey))?;
        Ok(Self(bytes))
    }
}

impl Serialize for ProvincialKey {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for ProvincialKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            s.parse().map_err(serde::de::Error::custom)
        } else {
            <[u8; 32]>::deserialize(d).map(Self)
        }
    }
}

/// What a publication carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectoryUpdate {
    /// A whole directory.
    Full(ShelterDirectory),
    /// The changes from one version to a later one.
    Delta(DirectoryDelta),
}

impl Publication for DirectoryUpdate {
    const DOMAIN: &'static [u8] = b"binhan/shelter-directory/v1\0";
    const WHAT: &'static str = "shelter directory";

    fn check(&self) -> Result<()> {
        match self {
            DirectoryUpdate::Full(d) => d.validate(),
            DirectoryUpdate::Delta(d) => {
                if d.to_version <= d.from_version {
                    return Err(Error::invalid(
                        "directory.to_version",
                        Rule::VersionNotHigher,
                    ));
                }
                d.upserts.iter().try_for_each(|s| s.validate())?;
                d.contact_upserts.iter().try_for_each(|c| c.validate())?;
                d.service_upserts.iter().try_for_each(|o| o.validate())
            }
        }
    }
}

impl DirectoryUpdate {
    /// The version it brings a device to.
    pub fn version(&self) -> u64 {
        match self {
            Self::Full(d) => d.version,
            Self::Delta(d) => d.to_version,
        }
    }
}

/// A signed publication as it travels and is stored before verification:
/// the exact bytes signed, the signer's key and the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedPublication {
    /// Ed25519 public key of the signer.
    pub signer: [u8; 32],
    /// The signed body: a [`Publication`] (a [`DirectoryUpdate`], a road
    /// network manifest) in its binary encoding.
    pub body: Vec<u8>,
    /// Ed25519 signature over the domain tag and `body`.
    pub signature: Vec<u8>,
}

fn signed_message(domain: &[u8], body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(domain.len() + body.len());
    message.extend_from_slice(domain);
    message.extend_from_slice(body);
    message
}

impl SignedPublication {
    /// The file and wire encoding: magic, version byte, then the fields.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(PUBLICATION_FORMAT_VERSION);
        // Serialising plain data into a Vec cannot fail.
        out.extend(postcard::to_allocvec(self).unwrap_or_default());
        out
    }

    /// Decodes [`SignedPublication::encode`]'s output.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > MAX_PUBLICATION_BYTES {
            return Err(Error::invalid(
                "publication",
                Rule::TooLarge {
                    max_mib: (MAX_PUBLICATION_BYTES / (1024 * 1024)) as u32,
                },
            ));
        }
        let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
            return Err(Error::invalid("publication", Rule::WrongFileKind));
        };
        match rest.split_first() {
            Some((&PUBLICATION_FORMAT_VERSION, body)) => postcard::from_bytes(body)
                .map_err(|_| Error::invalid("publication", Rule::Corrupted)),
            Some((v, _)) => Err(Error::invalid(
                "publication",
                Rule::UnknownVersion {
                    version: (*v).into(),
                },
            )),
            None => Err(Error::invalid("publication", Rule::Corrupted)),
        }
    }

    /// Checks that the provincial key `trusted` signed this directory
    /// publication and returns what it carries. A publication from any other
    /// key, or whose signature does not hold, is refused.
    pub fn verify(&self, trusted: &ProvincialKey) -> Result<DirectoryUpdate> {
        self.verify_as(trusted)
    }

    /// Checks that the provincial key `trusted` signed this publication as a
    /// `T` and returns it. A publication from any other key, of another
    /// kind, or whose signature does not hold, is refused.
    pub fn verify_as<T: Publication>(&self, trusted: &ProvincialKey) -> Result<T> {
        if self.signer != trusted.0 {
            return Err(Error::NotAllowed(Refusal::NotSignedByProvince));
        }
        let tampered = |part: &str| Error::Tampered {
            record: format!("{} {part}", T::WHAT),
        };
        let key = VerifyingKey::from_bytes(&self.signer).map_err(|_| tampered("signature"))?;
        let signature: [u8; 64] = self
            .signature
            .as_slice()
            .try_into()
            .map_err(|_| tampered("signature"))?;
        key.verify_strict(
            &signed_message(T::DOMAIN, &self.body),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| tampered("signature"))?;
        postcard::from_bytes(&self.body).map_err(|_| tampered("body"))
    }
}

/// The provincial office's signing key. Lives on the office's machine, never
/// on a collaborator's phone; erased from memory when dropped.
pub struct ProvincialSigner {
    key: SigningKey,
}

impl fmt::Debug for ProvincialSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProvincialSigner({})", self.public_key())
    }
}

impl ProvincialSigner {
    /// A new random key.
    pub fn generate() -> Self {
        Self::from_seed(crate::crypto::random_array())
    }

    /// The key with this 32-byte secret seed.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// The key from a seed in hexadecimal (64 digits).
    pub fn from_hex_seed(hex_seed: &str) -> Result<Self> {
        let mut seed = from_hex::<32>(hex_seed)
            .ok_or_else(|| Error::invalid("signing_key", Rule::NotHex { digits: 64 }))?;
        let signer = Self::from_seed(seed);
        zeroize::Zeroize::zeroize(&mut seed);
        Ok(signer)
    }

    /// The secret seed, for keys derived from it (the office's statistics
    /// key).
    pub(crate) fn seed(&self) -> zeroize::Zeroizing<[u8; 32]> {
        zeroize::Zeroizing::new(self.key.to_bytes())
    }

    /// The public key devices are configured with.
    pub fn public_key(&self) -> ProvincialKey {
        ProvincialKey(self.key.verifying_key().to_bytes())
    }

    /// Signs a publication after checking what it carries.
    pub fn sign<T: Publication>(&self, publication: &T) -> Result<SignedPublication> {
        publication.check()?;
        let body =
            postcard::to_allocvec(publication).map_err(|e| Error::Encoding(e.to_string()))?;
        let signature = self
            .key
            .sign(&signed_message(T::DOMAIN, &body))
            .to_bytes()
            .to_vec();
        Ok(SignedPublication {
            signer: self.public_key().0,
            body,
            signature,
        })
    }
}

/// What a device does with a verified publication, given the directory it
/// holds: the directory to keep from now on. Refuses an older version
/// (replay), a different directory under the same version, and a delta that
/// does not start from the version held.
pub fn next_directory(
    current: Option<&ShelterDirectory>,
    trusted: &ProvincialKey,
    publication: &SignedPublication,
) -> Result<ShelterDirectory> {
    let update = publication.verify(trusted)?;
    match (update, current) {
        (DirectoryUpdate::Full(new), current) => {
            new.validate()?;
            if let Some(current) = current {
                if new.version < current.version {
                    return Err(Error::NotAllowed(Refusal::DirectoryOlder {
                        got: new.version,
                        held: current.version,
                    }));
                }
                if new.version == current.version && new.digest() != current.digest() {
                    return Err(Error::NotAllowed(Refusal::DirectorySameVersion {
                        version: new.version,
                    }));
                }
            }
            Ok(new)
        }
        (DirectoryUpdate::Delta(delta), Some(current)) => current.apply(&delta),
        (DirectoryUpdate::Delta(_), None) => Err(Error::NotAllowed(Refusal::NoDirectory)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shelters::model::tests::shelter;
    use chrono::DateTime;

    fn directory(version: u64, names: &[&str]) -> ShelterDirectory {
        let at = DateTime::from_timestamp(1_794_700_000 + version as i64, 0).unwrap();
        ShelterDirectory::new(version, at, names.iter().map(|n| shelter(n)).collect())
    }

    #[test]
    fn signed_directories_verify_only_under_the_provincial_key() {
        let province = ProvincialSigner::from_seed([7; 32]);
        let key = province.public_key();
        let v1 = directory(1, &["A", "B"]);
        let signed = province.sign(&DirectoryUpdate::Full(v1.clone())).unwrap();
        let decoded = SignedPublication::decode(&signed.encode()).unwrap();
        assert_eq!(next_directory(None, &key, &decoded).unwrap(), v1);

        // Another key, even with a valid signature of its own: refused.
        let impostor = ProvincialSigner::from_seed([8; 32]);
        let forged = impostor.sign(&DirectoryUpdate::Full(v1.clone())).unwrap();
        assert!(matches!(
            next_directory(None, &key, &forged),
            Err(Error::NotAllowed(_))
        ));
        // The impostor claims to be the province: the signature fails.
        let claimed = SignedPublication {
            signer: key.0,
            ..forged
        };
        assert!(matches!(
            next_directory(None, &key, &claimed),
            Err(Error::Tampered { .. })
        ));
        // One flipped byte of the body: refused.
        let mut flipped = signed.clone();
        let last = flipped.body.len() - 1;
        flipped.body[last] ^= 1;
        assert!(matches!(
            next_directory(None, &key, &flipped),
            Err(Error::Tampered { .. })
        ));
        // Truncated signature: refused.
        let short = SignedPublication {
            signature: signed.signature[..10].to_vec(),
            ..signed
        };
        assert!(matches!(
            next_directory(None, &key, &short),
            Err(Error::Tampered { .. })
        ));
    }

    #[test]
    fn deltas_and_replays() {
        let province = ProvincialSigner::from_seed([7; 32]);
        let key = province.public_key();
        let (v1, v2) = (directory(1, &["A", "B"]), directory(2, &["A", "C"]));
        let delta = province
            .sign(&DirectoryUpdate::Delta(v1.delta_to(&v2).unwrap()))
            .unwrap();
        assert_eq!(next_directory(Some(&v1), &key, &delta).unwrap(), v2);
        assert!(next_directory(None, &key, &delta).is_err());
        // Replaying version 1 over version 2 is refused.
        let old = province.sign(&DirectoryUpdate::Full(v1.clone())).unwrap();
        let err = next_directory(Some(&v2), &key, &old).unwrap_err();
        assert!(matches!(
            err,
            Error::NotAllowed(Refusal::DirectoryOlder { got: 1, held: 2 })
        ));
        // The same version again is harmless.
        assert_eq!(next_directory(Some(&v1), &key, &old).unwrap(), v1);
    }

    #[test]
    fn the_province_signs_only_valid_contact_numbers() {
        use crate::shelters::contacts::tests::contacts;
        let province = ProvincialSigner::from_seed([7; 32]);
        let key = province.public_key();
        let v1 = directory(1, &["A"]).with_contacts(vec![contacts("pa_u", "0200000001")]);
        let signed = province.sign(&DirectoryUpdate::Full(v1.clone())).unwrap();
        let held = next_directory(None, &key, &signed).unwrap();
        assert_eq!(held.contacts_of("pa_u"), v1.contacts_of("pa_u"));

        let bad = directory(2, &["A"]).with_contacts(vec![contacts("pa_u", "113 ext 4")]);
        let refused = |update: DirectoryUpdate| match province.sign(&update) {
            Err(Error::Invalid { field, rule }) => (field, rule),
            other => panic!("expected invalid, got {other:?}"),
        };
        let expected = ("directory.contacts.phone".to_string(), Rule::BadDialNumber);
        assert_eq!(refused(DirectoryUpdate::Full(bad.clone())), expected);
        assert_eq!(
            refused(DirectoryUpdate::Delta(v1.delta_to(&bad).unwrap())),
            expected
        );
    }

    #[test]
    fn malformed_files_and_keys_are_named() {
        assert!(SignedPublication::decode(b"nonsense").is_err());
        assert!(SignedPublication::decode(b"BHSD\x09").is_err());
        assert!(SignedPublication::decode(b"BHSD\x02\xff\xff").is_err());
        // The format before emergency contacts: named, not taken for corrupt.
        assert!(matches!(
            SignedPublication::decode(b"BHSD\x01\x00"),
            Err(Error::Invalid {
                rule: Rule::UnknownVersion { version: 1 },
                ..
            })
        ));
        assert!("00".parse::<ProvincialKey>().is_err());
        let key = ProvincialSigner::from_seed([1; 32]).public_key();
        assert_eq!(key.to_string().parse::<ProvincialKey>().unwrap(), key);
        assert!(ProvincialSigner::from_hex_seed("xyz").is_err());
    }
}
