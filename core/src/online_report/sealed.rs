//! The sealed envelope of an online report: parsed alike by the server
//! (which reads only who it is for) and by the managers' phones (which open
//! it); sealed by the page's script, and here for tests.

use super::body::OnlineReport;
use super::Recipient;
use crate::crypto::random_array;
use crate::error::Rule;
use crate::model::DeviceId;
use crate::sync::DeviceIdentity;
use crate::{Error, Result};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

/// The first bytes of every sealed report.
pub const MAGIC: &[u8; 5] = b"BAOR1";
/// Most recipients of one report (a commune has a few case managers).
pub const MAX_RECIPIENTS: usize = 32;
/// Largest sealed report, in bytes.
pub const MAX_SEALED_BYTES: usize = 32 * 1024;

const DOMAIN: &[u8] = b"binhan/online-report/v1";
const NONCE: usize = 24;
const TAG: usize = 16;
const WRAPPED: usize = 32 + TAG;
const WRAP_ENTRY: usize = 16 + NONCE + WRAPPED;

/// One recipient's copy of the content key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCopy {
    /// Who can open it.
    pub recipient: DeviceId,
    nonce: [u8; NONCE],
    wrapped: [u8; WRAPPED],
}

/// A sealed report, its envelope read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedReport {
    eph_pub: [u8; 32],
    /// The content key, for each recipient.
    pub copies: Vec<KeyCopy>,
    body_nonce: [u8; NONCE],
    body: Vec<u8>,
}

fn bad_format() -> Error {
    Error::invalid("online_report", Rule::BadFormat)
}

fn unreadable() -> Error {
    Error::Tampered {
        record: "online report".into(),
    }
}

impl SealedReport {
    /// Reads the envelope of `bytes`, or `online_report`
    /// [`Rule::BadFormat`]: not ours, truncated, too large, or naming no
    /// recipient or more than [`MAX_RECIPIENTS`], or one twice.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > MAX_SEALED_BYTES {
            return Err(bad_format());
        }
        let rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(bad_format)?;
        let (eph_pub, rest) = take::<32>(rest)?;
        let (&n, mut rest) = rest.split_first().ok_or_else(bad_format)?;
        let n = usize::from(n);
        if n == 0 || n > MAX_RECIPIENTS {
            return Err(bad_format());
        }
        let mut copies: Vec<KeyCopy> = Vec::with_capacity(n);
        for _ in 0..n {
            if rest.len() < WRAP_ENTRY {
                return Err(bad_format());
            }
            let (id, after) = take::<16>(rest)?;
            let (nonce, after) = take::<NONCE>(after)?;
            let (wrapped, after) = take::<WRAPPED>(after)?;
            let recipient = DeviceId::from_slice(&id).ok_or_else(bad_format)?;
            if copies.iter().any(|c| c.recipient == recipient) {
                return Err(bad_format());
            }
            copies.push(KeyCopy {
                recipient,
                nonce,
                wrapped,
            });
            rest = after;
        }
        let (body_nonce, body) = take::<NONCE>(rest)?;
        if body.len() < TAG {
            return Err(bad_format());
        }
        Ok(Self {
            eph_pub,
            copies,
            body_nonce,
            body: body.to_vec(),
        })
    }

    /// The devices it is sealed to.
    pub fn recipients(&self) -> impl Iterator<Item = DeviceId> + '_ {
        self.copies.iter().map(|c| c.recipient)
    }
}

fn take<const N: usize>(bytes: &[u8]) -> Result<([u8; N], &[u8])> {
    if bytes.len() < N {
        return Err(bad_format());
    }
    let (head, rest) = bytes.split_at(N);
    Ok((head.try_into().map_err(|_| bad_format())?, rest))
}

/// The key that seals a recipient's copy of the content key.
fn key_encryption_key(
    shared: &[u8; 32],
    eph_pub: &[u8; 32],
    recipient: &Recipient,
) -> Result<Zeroizing<[u8; 32]>> {
    if shared.iter().all(|b| *b == 0) {
        return Err(unreadable());
    }
    let mut info = Vec::with_capacity(80);
    info.extend_from_slice(eph_pub);
    info.extend_from_slice(&recipient.exchange_key);
    info.extend_from_slice(recipient.device_id.as_bytes());
    let mut kek = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(Some(DOMAIN), shared)
        .expand(&info, kek.as_mut())
        .map_err(|_| unreadable())?;
    Ok(kek)
}

fn body_aad(commune: &str) -> Vec<u8> {
    [DOMAIN, commune.as_bytes()].concat()
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.into())
}

/// Seals `report` for `recipients`, as the page does (for tests and tools).
pub fn seal(recipients: &[Recipient], commune: &str, report: &OnlineReport) -> Result<Vec<u8>> {
    if recipients.is_empty() || recipients.len() > MAX_RECIPIENTS {
        return Err(Error::invalid(
            "online_report.recipients",
            Rule::OutOfRange {
                min: 1,
                max: MAX_RECIPIENTS as u64,
            },
        ));
    }
    let eph = StaticSecret::from(random_array::<32>());
    let eph_pub = PublicKey::from(&eph).to_bytes();
    let content_key = Zeroizing::new(random_array::<32>());
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&eph_pub);
    out.push(recipients.len() as u8);
    for recipient in recipients {
        let shared = eph.diffie_hellman(&PublicKey::from(recipient.exchange_key));
        let kek = key_encryption_key(shared.as_bytes(), &eph_pub, recipient)?;
        let nonce: [u8; NONCE] = random_array();
        let wrapped = cipher(&kek)
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: content_key.as_slice(),
                    aad: recipient.device_id.as_bytes(),
                },
            )
            .map_err(|_| unreadable())?;
        out.extend_from_slice(recipient.device_id.as_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&wrapped);
    }
    let nonce: [u8; NONCE] = random_array();
    let json = Zeroizing::new(serde_json::to_vec(report).map_err(|_| bad_format())?);
    let body = cipher(&content_key)
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &json,
                aad: &body_aad(commune),
            },
        )
        .map_err(|_| unreadable())?;
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    Ok(out)
}

/// Opens `bytes`, sealed for the commune `commune`, with this device's
/// key: the report, checked ([`OnlineReport::validate`]). Not sealed to
/// this device, or altered: `Tampered`; not a report the page writes:
/// `Invalid`.
pub fn open(identity: &DeviceIdentity, bytes: &[u8], commune: &str) -> Result<OnlineReport> {
    let sealed = SealedReport::parse(bytes)?;
    let me = identity.public();
    let copy = sealed
        .copies
        .iter()
        .find(|c| c.recipient == me.device_id)
        .ok_or_else(unreadable)?;
    let shared = identity.shared_secret(&sealed.eph_pub);
    let recipient = Recipient {
        device_id: me.device_id,
        exchange_key: me.exchange_key,
    };
    let kek = key_encryption_key(&shared, &sealed.eph_pub, &recipient)?;
    let content_key: Zeroizing<Vec<u8>> = cipher(&kek)
        .decrypt(
            &XNonce::from(copy.nonce),
            Payload {
                msg: &copy.wrapped,
                aad: me.device_id.as_bytes(),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| unreadable())?;
    let content_key: Zeroizing<[u8; 32]> = Zeroizing::new(
        content_key
            .as_slice()
            .try_into()
            .map_err(|_| unreadable())?,
    );
    let json = cipher(&content_key)
        .decrypt(
            &XNonce::from(sealed.body_nonce),
            Payload {
                msg: &sealed.body,
                aad: &body_aad(commune),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| unreadable())?;
    let report: OnlineReport = serde_json::from_slice(&json)
        .map_err(|_| Error::invalid("online_report", Rule::BadFormat))?;
    report.validate(commune)?;
    Ok(report)
}
