//! The shelter part of the sync protocol, shared by the device and the
//! server: directory publications and the placement mailbox.
//!
//! - The provincial officer's device uploads [`SignedPublication`]s (full or
//!   delta); every enrolled device pulls those newer than the version it
//!   holds, with the provincial key the server registered, and checks the
//!   signature itself before using any of them.
//! - The provincial officer's device uploads the chunks of a road network
//!   version, then its signed [`RoadManifest`](super::roads::RoadManifest);
//!   a device fetches the newest manifest when the mailbox announces a
//!   version newer than its own, checks the signature, and fetches only the
//!   chunks it lacks, checking each one's hash.
//! - A [`Mail`] carries one [`MailMessage`]. To one device it is sealed
//!   to that device's X25519 key (the server sees sender, recipient and
//!   ciphertext only). To every device (free places only) it travels
//!   signed but not sealed: it holds a shelter id and a number, and the
//!   server holds the directory anyway. Either way the sender's Ed25519
//!   signature covers everything.
//!
//! [`SignedPublication`]: super::SignedPublication

use super::ids::MailId;
use super::messages::MailMessage;
use super::roads::ChunkHash;
use super::signing::ProvincialKey;
use crate::error::{Refusal, Rule};
use crate::model::DeviceId;
use crate::sync::{
    open_from_device, seal_to_device, DeviceIdentity, DevicePublic, KeyEndorsement, Purpose,
};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::Digest;

/// Largest mail body the server accepts (a placement message is about
/// 100 bytes).
pub const MAX_MAIL_BYTES: usize = 4 * 1024;
/// Most mail in one push.
pub const MAX_MAIL_ITEMS: usize = 500;

const MAIL: Purpose = Purpose {
    salt: b"binhan/shelter-mail/v1",
    table: "shelter-mail",
    field: "message",
};

/// The provincial officer uploads a publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishRequest {
    /// A [`SignedPublication`](super::SignedPublication) in its encoding.
    pub publication: Vec<u8>,
}

/// What the server did with a publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishResponse {
    /// The version it brings devices to.
    pub version: u64,
    /// False if the server already had it (publishing is idempotent).
    pub stored: bool,
}

/// Most chunks named in one road network request.
pub const MAX_ROAD_CHUNKS_PER_REQUEST: usize = 1024;

/// The provincial officer uploads chunks of a road network (before the
/// manifest naming them). The server names each by its SHA-256 and keeps
/// one copy of each, whatever versions share it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoadChunkUpload {
    /// Chunks' bytes.
    pub chunks: Vec<Vec<u8>>,
}

/// What the server did with uploaded chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoadChunkUploadResponse {
    /// Chunks it did not hold before.
    pub stored: u32,
}

/// The provincial officer publishes a road network version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadPublishRequest {
    /// A signed [`RoadManifest`](super::roads::RoadManifest) in its encoding.
    pub manifest: Vec<u8>,
}

/// What the server did with a road network manifest.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoadPublishResponse {
    /// The version published.
    pub version: u64,
    /// False if it was already published (publishing is idempotent), or if
    /// chunks are missing.
    pub stored: bool,
    /// Chunks the manifest names that the server does not hold: upload
    /// them and publish again. Nothing was published.
    pub missing: Vec<ChunkHash>,
}

/// A device asks for the newest road network manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoadManifestRequest {
    /// The newest version the device holds or knows of (none: no network).
    pub held: Option<u64>,
}

/// The newest road network manifest, if newer than the version held.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoadManifestResponse {
    /// The province's registered key (none before any publication).
    pub provincial_key: Option<ProvincialKey>,
    /// An officer's endorsement of it.
    pub endorsement: Option<KeyEndorsement>,
    /// The signed manifest in its encoding.
    pub manifest: Option<Vec<u8>>,
}

/// A device asks for road network chunks by hash.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoadChunkRequest {
    /// The chunks wanted, in order (at most
    /// [`MAX_ROAD_CHUNKS_PER_REQUEST`]).
    pub chunks: Vec<ChunkHash>,
    /// Roughly how many bytes to return.
    pub max_bytes: u32,
}

/// The first of the chunks asked for, in the order asked, within the byte
/// budget (always at least one): ask again for the rest.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoadChunkResponse {
    /// Chunks' bytes.
    pub chunks: Vec<Vec<u8>>,
}

/// A device asks for the publications newer than the version it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryRequest {
    /// The version held (none: the device has no directory).
    pub held: Option<u64>,
    /// Roughly how many bytes of publications to return.
    pub max_bytes: u32,
}

/// Publications to apply in order: deltas from the version held when they
/// chain from it, else the newest full directory and the deltas after it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DirectoryResponse {
    /// The key the province signs with, as registered on the server by the
    /// first publication (none before it).
    pub provincial_key: Option<ProvincialKey>,
    /// An officer's endorsement of it, which a device that holds no key
    /// checks back to its root before pinning it.
    pub endorsement: Option<KeyEndorsement>,
    /// Encoded publications, oldest first.
    pub publications: Vec<Vec<u8>>,
    /// Newest version on the server (0: none).
    pub latest: u64,
    /// More is waiting: ask again from the version these bring.
    pub more: bool,
}

/// One shelter message on its way: signed by its sender; sealed to its
/// recipient unless it goes to every device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    /// Idempotency key.
    pub id: MailId,
    /// The sending device.
    pub from: DeviceId,
    /// The receiving device; none: every enrolled device.
    pub to: Option<DeviceId>,
    /// The message: sealed to `to`, or in the clear for every device.
    pub body: Vec<u8>,
    /// The sender's Ed25519 signature over [`Mail::signed_message`].
    pub signature: Vec<u8>,
}

impl Mail {
    /// The id of the message at position `seq` of `from`'s outbox.
    pub fn id_for(from: DeviceId, seq: u64) -> MailId {
        let mut hash = sha2::Sha256::new();
        hash.update(b"binhan/shelter-mail-id/v1");
        hash.update(from.as_bytes());
        hash.update(seq.to_le_bytes());
        let mut id = [0u8; 16];
        id.copy_from_slice(&hash.finalize()[..16]);
        MailId(id)
    }

    /// Id, sender and recipient: bound into the seal and the signature.
    fn header(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(49);
        h.extend_from_slice(&self.id.0);
        h.extend_from_slice(self.from.as_bytes());
        match self.to {
            Some(to) => {
                h.push(1);
                h.extend_from_slice(to.as_bytes());
            }
            None => h.push(0),
        }
        h
    }

    /// What the sender signs.
    pub fn signed_message(&self) -> Vec<u8> {
        let mut m = b"binhan/shelter-mail/v1".to_vec();
        m.extend(self.header());
        m.extend_from_slice(&(self.body.len() as u64).to_le_bytes());
        m.extend_from_slice(&self.body);
        m
    }

    /// Seals and signs `message`, the entry `seq` of `sender`'s outbox, for
    /// `to` (none: every device, which only free places may go to).
    pub fn seal(
        sender: &DeviceIdentity,
        seq: u64,
        to: Option<&DevicePublic>,
        message: &MailMessage,
    ) -> Result<Self> {
        let mut mail = Self {
            id: Self::id_for(sender.device_id(), seq),
            from: sender.device_id(),
            to: to.map(|t| t.device_id),
            body: Vec::new(),
            signature: Vec::new(),
        };
        let plain = zeroize::Zeroizing::new(message.encode());
        mail.body = match to {
            Some(recipient) => seal_to_device(MAIL, sender, recipient, &mail.header(), &plain),
            None if matches!(message, MailMessage::Availability(_)) => plain.to_vec(),
            None => return Err(Error::invalid("mail.to", Rule::WrongMessage)),
        };
        mail.signature = sender.sign(&mail.signed_message());
        Ok(mail)
    }

    /// Checks the sender's signature (what the server checks).
    pub fn verify(&self, sender: &DevicePublic) -> Result<()> {
        if sender.device_id != self.from {
            return Err(Error::invalid("mail.from", Rule::SignerMismatch));
        }
        sender.verify(&self.signed_message(), &self.signature)
    }

    /// What a message to every device says, after checking that it is one
    /// and holds free places (what the server checks; no key needed).
    pub fn broadcast(&self) -> Result<MailMessage> {
        if self.to.is_some() {
            return Err(Error::invalid("mail.to", Rule::WrongMessage));
        }
        match MailMessage::decode(&self.body)? {
            message @ MailMessage::Availability(_) => Ok(message),
            _ => Err(Error::invalid("mail", Rule::WrongMessage)),
        }
    }

    /// Verifies and opens mail that `sender` sent to `me` or to every device.
    pub fn open(&self, sender: &DevicePublic, me: &DeviceIdentity) -> Result<MailMessage> {
        self.verify(sender)?;
        let tampered = || Error::Tampered {
            record: format!("shelter message {}", self.id),
        };
        match self.to {
            None => self.broadcast(),
            Some(to) if to == me.device_id() => {
                let plain = open_from_device(MAIL, me, sender, &self.header(), &self.body)
                    .map_err(|_| tampered())?;
                MailMessage::decode(&plain).map_err(|_| tampered())
            }
            Some(_) => Err(Error::NotAllowed(Refusal::MessageForOtherDevice)),
        }
    }
}

/// A device sends mail from its outbox.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MailPush {
    /// The mail, oldest first.
    pub mail: Vec<Mail>,
}

/// What the server did with a push.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MailPushResponse {
    /// Mail stored now or before (sending again stores nothing twice).
    pub stored: u32,
    /// Mail to a device that is not enrolled or was revoked: dropped.
    pub refused: Vec<MailId>,
}

/// A device pulls its mailbox. Pulling after a position acknowledges every
/// message up to it: the server then deletes this device's copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MailPull {
    /// The cursor of the last response (0 the first time).
    pub after: u64,
    /// Roughly how many bytes of mail to return.
    pub max_bytes: u32,
}

/// A bounded chunk of mail for one device, in the order it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MailChunk {
    /// Mail to this device and to every device.
    pub mail: Vec<Mail>,
    /// Where to continue (and what the next pull acknowledges).
    pub cursor: u64,
    /// More is waiting.
    pub more: bool,
    /// The newest directory version published (0: none). A device asks for
    /// the directory only when it holds an older one, so a sync with
    /// nothing new costs one round trip for shelters.
    pub directory_version: u64,
    /// The newest road network version published (0: none); likewise.
    pub road_version: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shelters::{AvailabilityUpdate, CancelRequest, RequestId, ShelterId};
    use chrono::DateTime;

    fn cancel() -> MailMessage {
        MailMessage::Cancel(CancelRequest {
            request: RequestId::random(),
            shelter: ShelterId::random(),
            at: DateTime::from_timestamp(1_794_700_000, 0).unwrap(),
        })
    }

    #[test]
    fn mail_opens_only_for_its_recipient_and_only_untampered() {
        let a = DeviceIdentity::generate(DeviceId::random());
        let b = DeviceIdentity::generate(DeviceId::random());
        let c = DeviceIdentity::generate(DeviceId::random());
        let message = cancel();
        let mail = Mail::seal(&a, 7, Some(&b.public()), &message).unwrap();
        assert_eq!(mail.id, Mail::id_for(a.device_id(), 7));
        mail.verify(&a.public()).unwrap();
        assert_eq!(mail.open(&a.public(), &b).unwrap(), message);
        assert!(mail.open(&a.public(), &c).is_err(), "another device");
        assert!(mail.open(&c.public(), &b).is_err(), "another sender");
        assert!(mail.broadcast().is_err());
        for mutate in [
            |m: &mut Mail| m.body[20] ^= 1,
            |m: &mut Mail| m.id = MailId::random(),
            |m: &mut Mail| m.signature[3] ^= 1,
        ] {
            let mut bad = mail.clone();
            mutate(&mut bad);
            assert!(bad.open(&a.public(), &b).is_err());
        }
        // Re-signed by the sender with another recipient named: the seal
        // is bound to the header and does not open.
        let mut moved = mail.clone();
        moved.to = Some(c.device_id());
        moved.signature = a.sign(&moved.signed_message());
        assert!(moved.open(&a.public(), &c).is_err());
    }

    #[test]
    fn only_free_places_go_to_everyone_and_they_are_signed() {
        let host = DeviceIdentity::generate(DeviceId::random());
        let me = DeviceIdentity::generate(DeviceId::random());
        assert!(Mail::seal(&host, 1, None, &cancel()).is_err());
        let free = MailMessage::Availability(AvailabilityUpdate {
            shelter: ShelterId::random(),
            free_places: 3,
            confirmed_at: DateTime::from_timestamp(1_794_700_000, 0).unwrap(),
        });
        let mail = Mail::seal(&host, 2, None, &free).unwrap();
        assert_eq!(mail.broadcast().unwrap(), free);
        assert_eq!(mail.open(&host.public(), &me).unwrap(), free);
        let mut forged = mail.clone();
        forged.body = cancel().encode();
        assert!(forged.open(&host.public(), &me).is_err());
        assert!(mail.open(&me.public(), &me).is_err(), "not the sender");
    }
}
