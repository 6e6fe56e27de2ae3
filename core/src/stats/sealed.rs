//! Statistics the server cannot read or link: every record and withdrawal
//! leaves the device sealed to the provincial office's key, and only a
//! vault holding that key opens them and makes the report.
//!
//! # The office key
//!
//! The office's X25519 key is derived (HKDF-SHA256) from the provincial
//! signing key's seed, so every officer's vault that holds the provincial
//! key (and only those) holds it too. Its public half travels as an
//! [`OfficeKey`], signed by the provincial key: a device seals only to a key
//! that its pinned provincial key signed, so the server cannot slip in its
//! own.
//!
//! # What the server stores
//!
//! One row per case and team device: its [`StatSlot`] (a hash of the case's
//! secret statistics seed and the device id, so two devices' rows of one
//! case share nothing, and nothing in a row derives from the case id or
//! its clock) and the sealed update. The statistics id and the revision are
//! inside the seal: the office keeps, per statistics id, the update with the
//! largest revision ([`newest_records`]), and a withdrawal removes the
//! record. A device replaces only its own row.
//!
//! Sealing: one ephemeral X25519 key per push, agreed with the office key
//! and expanded by HKDF into the push's key; each row is sealed with
//! XChaCha20-Poly1305 under a random nonce, bound to its slot. The rows of
//! one push share the ephemeral key (the server saw them arrive together),
//! which lets the office open 100,000 rows with a few hundred key
//! agreements instead of 100,000.

use super::{StatRecord, StatSeed, StatUpdate, StatisticsId, STAT_FORMAT_VERSION};
use crate::crypto::random_array;
use crate::error::Rule;
use crate::model::DeviceId;
use crate::shelters::{ProvincialKey, ProvincialSigner, Publication, SignedPublication};
use crate::{Error, Result};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

/// The first bytes of every sealed statistics row.
pub const MAGIC: &[u8; 5] = b"BAST1";
/// Largest sealed row the server keeps, in bytes (a record is a few
/// hundred).
pub const MAX_SEALED_STAT_BYTES: usize = 4 * 1024;

const DOMAIN: &[u8] = b"binhan/statistics/v1";
const OFFICE_KEY_LABEL: &[u8] = b"binhan/statistics-office-key/v1";
const SLOT_LABEL: &[u8] = b"binhan/statistics-slot/v1";
const NONCE: usize = 24;
const TAG: usize = 16;
const HEADER: usize = MAGIC.len() + 32 + NONCE;

fn unreadable() -> Error {
    Error::Tampered {
        record: "statistics record".into(),
    }
}

fn bad_format() -> Error {
    Error::invalid("statistics", Rule::BadFormat)
}

/// Where one device keeps one case's update on the server: random to
/// anyone without the case's seed, different for each device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StatSlot(pub [u8; 16]);

impl StatSeed {
    /// The slot of `device`'s update of this case.
    pub fn slot(&self, device: DeviceId) -> StatSlot {
        let mut hash = Sha256::new();
        hash.update(SLOT_LABEL);
        hash.update(self.0);
        hash.update(device.as_bytes());
        let digest = hash.finalize();
        let mut slot = [0u8; 16];
        slot.copy_from_slice(&digest[..16]);
        StatSlot(slot)
    }
}

/// One sealed update, as devices send it and the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedStat {
    /// Where it is kept.
    pub slot: StatSlot,
    /// [`MAGIC`], the push's ephemeral key, the nonce and the ciphertext.
    pub body: Vec<u8>,
}

impl SealedStat {
    /// Checks the shape the server can check: our magic, a plausible size.
    pub fn check_shape(&self) -> Result<()> {
        let fits = (HEADER + TAG + 1..=MAX_SEALED_STAT_BYTES).contains(&self.body.len());
        if fits && self.body.starts_with(MAGIC) {
            Ok(())
        } else {
            Err(bad_format())
        }
    }

    fn ephemeral(&self) -> Result<[u8; 32]> {
        self.check_shape()?;
        let mut eph = [0u8; 32];
        eph.copy_from_slice(&self.body[MAGIC.len()..MAGIC.len() + 32]);
        Ok(eph)
    }
}

/// The office's public statistics key, published signed by the provincial
/// key (a [`SignedPublication`] of this): a device seals only to the key
/// its pinned provincial key signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeKey {
    /// The office's X25519 public key.
    pub key: [u8; 32],
}

impl Publication for OfficeKey {
    const DOMAIN: &'static [u8] = b"binhan/statistics-office-key/v1\0";
    const WHAT: &'static str = "statistics office key";

    fn check(&self) -> Result<()> {
        Ok(())
    }
}

impl OfficeKey {
    /// The office key of `signer`'s province, signed by it.
    pub fn publish(signer: &ProvincialSigner) -> Result<SignedPublication> {
        signer.sign(&Self {
            key: OfficeSecret::of(signer).public(),
        })
    }

    /// The office key in `publication`, once `provincial` (the key this
    /// device pinned) is found to have signed it.
    pub fn verify(publication: &SignedPublication, provincial: &ProvincialKey) -> Result<Self> {
        publication.verify_as(provincial)
    }
}

/// The office's secret statistics key, derived from the provincial signing
/// key's seed; only an officer's vault holding that key makes it.
pub struct OfficeSecret(StaticSecret);

impl OfficeSecret {
    /// The office key of the province `signer` signs for.
    pub fn of(signer: &ProvincialSigner) -> Self {
        let mut okm = Zeroizing::new([0u8; 32]);
        Hkdf::<Sha256>::new(Some(OFFICE_KEY_LABEL), signer.seed().as_slice())
            .expand(b"x25519", okm.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        Self(StaticSecret::from(*okm))
    }

    /// Its public half.
    pub fn public(&self) -> [u8; 32] {
        PublicKey::from(&self.0).to_bytes()
    }
}

/// The key of one push, from the ephemeral and office keys' agreement.
fn push_key(shared: &[u8; 32], eph: &[u8; 32], office: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>> {
    if shared.iter().all(|b| *b == 0) {
        return Err(unreadable());
    }
    let mut key = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(Some(DOMAIN), shared)
        .expand(&[eph.as_slice(), office.as_slice()].concat(), key.as_mut())
        .map_err(|_| unreadable())?;
    Ok(key)
}

fn aad(slot: &StatSlot) -> Vec<u8> {
    [DOMAIN, slot.0.as_slice()].concat()
}

/// Seals one push's updates to the office key.
pub struct Sealer {
    eph_pub: [u8; 32],
    cipher: XChaCha20Poly1305,
}

impl Sealer {
    /// A sealer with a new ephemeral key, for `office` (checked by the
    /// caller with [`OfficeKey::verify`]).
    pub fn new(office: &OfficeKey) -> Result<Self> {
        let eph = StaticSecret::from(random_array::<32>());
        let eph_pub = PublicKey::from(&eph).to_bytes();
        let shared = eph.diffie_hellman(&PublicKey::from(office.key));
        let key = push_key(shared.as_bytes(), &eph_pub, &office.key)?;
        Ok(Self {
            eph_pub,
            cipher: XChaCha20Poly1305::new(&(*key).into()),
        })
    }

    /// `update`, sealed for `slot`.
    pub fn seal(&self, slot: StatSlot, update: &StatUpdate) -> Result<SealedStat> {
        let mut plain = Zeroizing::new(vec![STAT_FORMAT_VERSION]);
        plain.extend(postcard::to_allocvec(update).map_err(|_| bad_format())?);
        let nonce: [u8; NONCE] = random_array();
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &plain,
                    aad: &aad(&slot),
                },
            )
            .map_err(|_| unreadable())?;
        let mut body = Vec::with_capacity(HEADER + sealed.len());
        body.extend_from_slice(MAGIC);
        body.extend_from_slice(&self.eph_pub);
        body.extend_from_slice(&nonce);
        body.extend_from_slice(&sealed);
        Ok(SealedStat { slot, body })
    }
}

/// Opens sealed rows with the office's secret, agreeing once per push.
pub struct Opener<'a> {
    secret: &'a OfficeSecret,
    office: [u8; 32],
    ciphers: HashMap<[u8; 32], XChaCha20Poly1305>,
}

impl<'a> Opener<'a> {
    /// An opener for rows sealed to `secret`'s public half.
    pub fn new(secret: &'a OfficeSecret) -> Self {
        Self {
            secret,
            office: secret.public(),
            ciphers: HashMap::new(),
        }
    }

    /// How many key agreements it made (one per push opened).
    pub fn agreements(&self) -> usize {
        self.ciphers.len()
    }

    /// The update sealed in `row`: `Tampered` if it does not open (another
    /// key, altered, moved to another slot), `Invalid` if what it holds
    /// breaks the record's rules.
    pub fn open(&mut self, row: &SealedStat) -> Result<StatUpdate> {
        let eph = row.ephemeral()?;
        let cipher = match self.ciphers.get(&eph) {
            Some(cipher) => cipher,
            None => {
                let shared = self.secret.0.diffie_hellman(&PublicKey::from(eph));
                let key = push_key(shared.as_bytes(), &eph, &self.office)?;
                self.ciphers
                    .entry(eph)
                    .or_insert_with(|| XChaCha20Poly1305::new(&(*key).into()))
            }
        };
        let mut nonce = [0u8; NONCE];
        nonce.copy_from_slice(&row.body[MAGIC.len() + 32..HEADER]);
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    &XNonce::from(nonce),
                    Payload {
                        msg: &row.body[HEADER..],
                        aad: &aad(&row.slot),
                    },
                )
                .map_err(|_| unreadable())?,
        );
        let update: StatUpdate = match plain.split_first() {
            Some((&STAT_FORMAT_VERSION, body)) => {
                postcard::from_bytes(body).map_err(|_| unreadable())?
            }
            _ => return Err(unreadable()),
        };
        if let StatUpdate::Record(record) = &update {
            record.validate()?;
        }
        Ok(update)
    }
}

/// What the office reads of a set of sealed rows.
#[derive(Debug, Default)]
pub struct Opened {
    /// The updates that opened and kept the record's rules.
    pub updates: Vec<StatUpdate>,
    /// Rows that did not open, or broke the record's rules.
    pub unreadable: u64,
}

/// Opens every row with the office's secret, on as many threads as the
/// machine offers (each agreeing once per push it meets).
pub fn open_all(secret: &OfficeSecret, rows: &[SealedStat]) -> Opened {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = rows.len().div_ceil(threads).max(1);
    let parts: Vec<Opened> = std::thread::scope(|scope| {
        let running: Vec<_> = rows
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut opener = Opener::new(secret);
                    let mut opened = Opened::default();
                    for row in part {
                        match opener.open(row) {
                            Ok(update) => opened.updates.push(update),
                            Err(_) => opened.unreadable += 1,
                        }
                    }
                    opened
                })
            })
            .collect();
        running
            .into_iter()
            .map(|t| t.join().unwrap_or_default())
            .collect()
    });
    let mut all = Opened::default();
    for part in parts {
        all.updates.extend(part.updates);
        all.unreadable += part.unreadable;
    }
    all
}

/// The records that stand, from every device's newest update: per
/// statistics id the update with the largest revision (a withdrawal wins
/// a tie), and no record whose newest update is a withdrawal. Sorted by
/// statistics id.
pub fn newest_records(updates: impl IntoIterator<Item = StatUpdate>) -> Vec<StatRecord> {
    let mut newest: HashMap<StatisticsId, StatUpdate> = HashMap::new();
    for update in updates {
        let id = update.statistics_id();
        let replaces = newest.get(&id).is_none_or(|held| {
            update.revision() > held.revision()
                || update.revision() == held.revision() && matches!(update, StatUpdate::Withdraw(_))
        });
        if replaces {
            newest.insert(id, update);
        }
    }
    let mut records: Vec<StatRecord> = newest
        .into_values()
        .filter_map(|u| match u {
            StatUpdate::Record(record) => Some(record),
            StatUpdate::Withdraw(_) => None,
        })
        .collect();
    records.sort_by_key(|r| r.statistics_id);
    records
}
