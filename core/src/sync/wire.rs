//! The sync protocol's messages, shared by the device and the server.
//!
//! Every body is one version byte followed by the message in postcard, a
//! compact binary encoding. Case content only ever travels inside
//! ciphertexts sealed with a case key the server does not have.

use super::certificate::{DeviceCertificate, Grant};
use super::revocation::Revocation;
use super::school::SchoolGrant;
use super::team::TeamChange;
use super::DevicePublic;
use crate::model::{CaseId, DeviceId, EventId, Role};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Version byte at the start of every body.
pub const PROTOCOL_VERSION: u8 = 2;
/// Content type of protocol bodies.
pub const CONTENT_TYPE: &str = "application/vnd.binhan.v2";
/// Largest request body the server accepts.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024 * 1024;
/// Largest single event (ciphertext) the server accepts.
pub const MAX_EVENT_BYTES: usize = 3 * 1024 * 1024;
/// Most items (events, team entries, snapshots, bundles) in one push.
pub const MAX_PUSH_ITEMS: usize = 5_000;
/// Most cases in one snapshot bundle.
pub const MAX_BUNDLE_CASES: usize = 1_000;
/// Most recipients of one snapshot bundle.
pub const MAX_BUNDLE_RECIPIENTS: usize = 64;
/// Most members of a case team, in any one epoch, and so in any one team
/// entry (an entry lists every member of its epoch).
///
/// A case is worked by its commune: the case managers of the commune, the
/// collaborators of its villages (a Lai Châu commune has some ten to thirty
/// villages), a few school counsellors and shelter hosts, and provincial
/// officers; some dozens of devices at most. 256 leaves several times that
/// room, while keeping what the server does per team change (compare the
/// members with the last epoch's, write their member rows, all under its
/// single writer) small and bounded.
pub const MAX_TEAM_MEMBERS: usize = 256;
/// Most members listed by the team entries of one push together.
///
/// A device's push holds about 1 MiB of items (`PUSH_BATCH_BYTES` in the
/// sync engine, which checks at compile time that it stays under this), 16
/// bytes a member: at most 65,536 members and one more team's. The cap
/// refuses what no device sends, and so bounds the member rows a push can
/// make the server's single writer add (without it, 8 MiB of full teams
/// are half a million).
pub const MAX_PUSH_TEAM_MEMBERS: usize = (1 << 20) / 16 + MAX_TEAM_MEMBERS;
/// Response size a pull asks for by default.
pub const DEFAULT_PULL_BYTES: u32 = 1 << 20;

/// A body that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// Empty body.
    #[error("empty body")]
    Empty,
    /// A version this side does not speak.
    #[error("unsupported protocol version {0}")]
    Version(u8),
    /// Not a well-formed message.
    #[error("malformed message")]
    Malformed,
}

/// Encodes a message: version byte + postcard.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    let mut out = vec![PROTOCOL_VERSION];
    // Serialising plain data into a Vec cannot fail.
    out.extend(postcard::to_allocvec(message).unwrap_or_default());
    out
}

/// Decodes a message made by [`encode`]; trailing bytes are refused.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WireError> {
    match bytes.split_first() {
        None => Err(WireError::Empty),
        Some((&PROTOCOL_VERSION, body)) => match postcard::take_from_bytes(body) {
            Ok((message, [])) => Ok(message),
            _ => Err(WireError::Malformed),
        },
        Some((&v, _)) => Err(WireError::Version(v)),
    }
}

/// A manager registers an invitation its phone made: the code's id (the
/// code itself stays on the phones) and the signed grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRequest {
    /// The id derived from the code ([`InvitationSecret::id`](super::InvitationSecret::id)).
    pub id: String,
    /// What it grants, signed by the inviter and with the code's key.
    pub grant: Grant,
    /// A school counselor's school, signed by the inviter.
    pub school: Option<SchoolGrant>,
}

/// Longest an invitation stays valid, in hours.
pub const MAX_INVITATION_HOURS: u32 = 168;

/// A one-time invitation code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Invitation {
    /// The code to type on the new device.
    pub code: String,
    /// Role it grants.
    pub role: Role,
    /// Commune it grants.
    pub commune: String,
    /// When it expires (UTC; on the wire, milliseconds since 1970).
    #[serde(rename = "expires_at_ms", with = "chrono::serde::ts_milliseconds")]
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A device enrols with an invitation, proving it holds its keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    /// The invitation's id, derived from the code (never the code).
    pub code: String,
    /// The device's public keys.
    pub device: DevicePublic,
    /// A label for managers, e.g. "CTV bản Nậm Sỏ" (no personal data needed).
    pub label: String,
    /// Signature by the device over [`enrol_message`].
    pub signature: Vec<u8>,
    /// The signature that certifies the device's keys: by the code's grant
    /// key (with the grant the inviter registered, its certificate), or,
    /// with the bootstrap code, by the device itself, as the root.
    pub binding: Vec<u8>,
}

/// What an enrolling device signs.
pub fn enrol_message(code: &str, device: &DevicePublic) -> Vec<u8> {
    let mut m = b"binhan/enrol/v1".to_vec();
    m.extend(postcard::to_allocvec(&(code, device)).unwrap_or_default());
    m
}

/// The server accepted an enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    /// Role granted.
    pub role: Role,
    /// Commune granted.
    pub commune: String,
    /// A first access token.
    pub token: Token,
    /// The device's certificate: its keys, the grant and the binding.
    pub certificate: DeviceCertificate,
    /// The certificates of the issuers above it, back to the root.
    pub chain: Vec<DeviceCertificate>,
    /// A school counselor's school, as its inviter signed it.
    pub school: Option<SchoolGrant>,
}

/// A device asks for a challenge to sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeRequest {
    /// The device.
    pub device_id: DeviceId,
}

/// A challenge, valid for a minute and only once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// Opaque bytes to sign.
    pub challenge: Vec<u8>,
}

/// A signed challenge, exchanged for a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    /// The device.
    pub device_id: DeviceId,
    /// The challenge as received.
    pub challenge: Vec<u8>,
    /// Signature over [`challenge_message`].
    pub signature: Vec<u8>,
}

/// What a device signs to answer a challenge.
pub fn challenge_message(challenge: &[u8]) -> Vec<u8> {
    let mut m = b"binhan/challenge/v1".to_vec();
    m.extend_from_slice(challenge);
    m
}

/// A short-lived bearer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The token, sent as `Authorization: Bearer …`.
    pub token: String,
    /// When it expires (ms since 1970, UTC).
    pub expires_at_ms: u64,
}

/// Which devices to list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeviceQuery {
    /// These devices, whatever their commune or role.
    pub ids: Vec<DeviceId>,
    /// Or: active devices of this commune…
    pub commune: Option<String>,
    /// …with this role.
    pub role: Option<Role>,
}

/// A device as the directory knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRecord {
    /// Id and public keys.
    pub public: DevicePublic,
    /// Role.
    pub role: Role,
    /// Commune (code).
    pub commune: String,
    /// Label given at enrolment.
    pub label: String,
    /// False once revoked (the server's word: devices then wrap it no key,
    /// but count it as revoked only by a `revocation` that checks).
    pub active: bool,
    /// Its certificate, as registered at enrolment (none for a device
    /// enrolled before certificates, which no device trusts).
    pub certificate: Option<DeviceCertificate>,
    /// The signed revocation, once revoked.
    pub revocation: Option<Revocation>,
    /// A school counselor's school, as its inviter signed it (counted only
    /// once checked, like the certificate; see [`super::school`]).
    #[serde(with = "super::school::trailing", default)]
    pub school: Option<SchoolGrant>,
}

/// Devices found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeviceList {
    /// The devices.
    pub devices: Vec<DeviceRecord>,
    /// The certificates that check them back to the root: their issuers',
    /// and their revokers' with theirs (so that one question is enough).
    pub chain: Vec<super::DeviceCertificate>,
}

/// An event as it travels: header in the clear, body sealed with the case
/// key, all signed by the author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireEvent {
    /// Event id (idempotency key).
    pub id: EventId,
    /// The case.
    pub case_id: CaseId,
    /// Case key epoch that sealed it.
    pub epoch: u32,
    /// Author device.
    pub author: DeviceId,
    /// Hybrid logical clock reading.
    pub hlc: u64,
    /// Compressed, then sealed, event.
    pub ciphertext: Vec<u8>,
    /// Author's Ed25519 signature over header and ciphertext.
    pub signature: Vec<u8>,
}

impl WireEvent {
    /// What the author signs.
    pub fn signed_message(&self) -> Vec<u8> {
        let mut m = b"binhan/event/v1".to_vec();
        m.extend(self.header());
        m.extend_from_slice(&(self.ciphertext.len() as u64).to_le_bytes());
        m.extend_from_slice(&self.ciphertext);
        m
    }

    /// The clear header, bound into the seal and the signature.
    pub fn header(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(60);
        h.extend_from_slice(self.id.as_bytes());
        h.extend_from_slice(self.case_id.as_bytes());
        h.extend_from_slice(&self.epoch.to_le_bytes());
        h.extend_from_slice(self.author.as_bytes());
        h.extend_from_slice(&self.hlc.to_le_bytes());
        h
    }
}

/// A case key sealed for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyWrap {
    /// Who can open it.
    pub recipient: DeviceId,
    /// Which epoch's key it holds.
    pub epoch: u32,
    /// The sealed key.
    pub sealed: Vec<u8>,
}

/// A change to a case's team: the members of an epoch and keys for those
/// who need them, signed by a member allowed to change the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamEntry {
    /// Random id (idempotency key).
    pub id: EventId,
    /// The case.
    pub case_id: CaseId,
    /// The epoch this entry sets the members of.
    pub epoch: u32,
    /// Every member of the epoch.
    pub members: Vec<DeviceId>,
    /// Keys for members who need them (all epochs, for a new member).
    pub wraps: Vec<KeyWrap>,
    /// Who made the change.
    pub signer: DeviceId,
    /// Signer's signature over everything above.
    pub signature: Vec<u8>,
}

impl TeamEntry {
    /// The change, as the team rules see it.
    pub fn change(&self) -> TeamChange<'_> {
        TeamChange {
            epoch: self.epoch,
            members: &self.members,
            signer: self.signer,
        }
    }

    /// What the signer signs.
    pub fn signed_message(&self) -> Vec<u8> {
        let mut m = b"binhan/team/v1".to_vec();
        let unsigned = (
            &self.id,
            &self.case_id,
            self.epoch,
            &self.members,
            &self.wraps,
            &self.signer,
        );
        m.extend(postcard::to_allocvec(&unsigned).unwrap_or_default());
        m
    }
}

/// One case's change in a [`TeamPage`]: the epoch whose members it sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageChange {
    /// The case.
    pub case_id: CaseId,
    /// The epoch this change sets the members of.
    pub epoch: u32,
}

/// The case keys a [`TeamPage`] carries for one of its members, sealed
/// from the page's signer to that member once for the whole page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageKeys {
    /// Who can open it.
    pub recipient: DeviceId,
    /// The sealed keys ([`crate::sync::open_page_keys`]).
    pub sealed: Vec<u8>,
}

/// Changes to the teams of several cases that have the same members, made
/// together by one device: signed once, and each member's case keys sealed
/// once for the page. Every device a page is served to was on all of its
/// teams when it was made. Apart from the cases, the same as one
/// [`TeamEntry`] per case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamPage {
    /// Random id (idempotency key).
    pub id: EventId,
    /// Every member of each change's epoch.
    pub members: Vec<DeviceId>,
    /// The cases, each at most once (at most [`MAX_PAGE_CHANGES`]).
    pub changes: Vec<PageChange>,
    /// Keys for members who need them, one sealed list per member.
    pub keys: Vec<PageKeys>,
    /// Who made the changes.
    pub signer: DeviceId,
    /// Signer's signature over everything above.
    pub signature: Vec<u8>,
}

/// Most cases one [`TeamPage`] changes.
pub const MAX_PAGE_CHANGES: usize = 500;

impl TeamPage {
    /// What the signer signs.
    pub fn signed_message(&self) -> Vec<u8> {
        let mut m = b"binhan/team-page/v1".to_vec();
        let unsigned = (
            &self.id,
            &self.members,
            &self.changes,
            &self.keys,
            &self.signer,
        );
        m.extend(postcard::to_allocvec(&unsigned).unwrap_or_default());
        m
    }

    /// Each case's change, as the team rules see it.
    pub fn team_changes(&self) -> impl Iterator<Item = (CaseId, TeamChange<'_>)> {
        self.changes.iter().map(|c| {
            let change = TeamChange {
                epoch: c.epoch,
                members: &self.members,
                signer: self.signer,
            };
            (c.case_id, change)
        })
    }
}

/// A case's merged state up to a server sequence number, sealed with the
/// case key and signed by its author (a member of the case's team at its
/// epoch), so a new member starts from it instead of every event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireSnapshot {
    /// The case.
    pub case_id: CaseId,
    /// Case key epoch that sealed it.
    pub epoch: u32,
    /// It holds exactly the case's events with sequence number up to this.
    pub covers_seq: u64,
    /// The device that made it.
    pub author: DeviceId,
    /// Compressed, then sealed, state.
    pub ciphertext: Vec<u8>,
    /// Author's Ed25519 signature over everything above.
    pub signature: Vec<u8>,
}

impl WireSnapshot {
    /// The clear header, bound into the seal: case, epoch, what it covers
    /// and its author.
    pub fn header(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(44);
        h.extend_from_slice(self.case_id.as_bytes());
        h.extend_from_slice(&self.epoch.to_le_bytes());
        h.extend_from_slice(&self.covers_seq.to_le_bytes());
        h.extend_from_slice(self.author.as_bytes());
        h
    }

    /// What the author signs.
    pub fn signed_message(&self) -> Vec<u8> {
        let mut m = b"binhan/snapshot/v1".to_vec();
        let unsigned = (
            &self.case_id,
            self.epoch,
            self.covers_seq,
            &self.author,
            &self.ciphertext,
        );
        m.extend(postcard::to_allocvec(&unsigned).unwrap_or_default());
        m
    }
}

/// Where one case of a [`WireBundle`] stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundledCase {
    /// The case.
    pub case_id: CaseId,
    /// The team epoch the signer was a member of when it made the bundle.
    pub epoch: u32,
    /// Its state holds exactly the case's events with sequence number up to this.
    pub covers_seq: u64,
}

/// A bundle's key sealed for one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleKey {
    /// Who can open it.
    pub recipient: DeviceId,
    /// The sealed key.
    pub sealed: Vec<u8>,
}

/// The states of many cases with the same team, compressed together and
/// sealed for the team's other members, so a device starting on them
/// downloads what the cases share (structure, wording) once. Signed by a
/// member of every case in it; the server stores it for its recipients
/// only, next to each case's own snapshot (which serves later members).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireBundle {
    /// Random id (idempotency key).
    pub id: EventId,
    /// The member that made it.
    pub signer: DeviceId,
    /// The cases, in the order of the states inside.
    pub cases: Vec<BundledCase>,
    /// The bundle key, for each recipient.
    pub keys: Vec<BundleKey>,
    /// The states, compressed together, then sealed with the bundle key.
    pub ciphertext: Vec<u8>,
    /// Signer's signature over everything above.
    pub signature: Vec<u8>,
}

impl WireBundle {
    /// What the ciphertext is bound to: id, signer and cases.
    pub fn header(&self) -> Vec<u8> {
        postcard::to_allocvec(&(&self.id, &self.signer, &self.cases)).unwrap_or_default()
    }

    /// What the signer signs.
    pub fn signed_message(&self) -> Vec<u8> {
        let mut m = b"binhan/bundle/v1".to_vec();
        let unsigned = (
            &self.id,
            &self.signer,
            &self.cases,
            &self.keys,
            &self.ciphertext,
        );
        m.extend(postcard::to_allocvec(&unsigned).unwrap_or_default());
        m
    }
}

/// An item with the server's sequence number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequenced<T> {
    /// Server sequence number (orders everything the server stored).
    pub seq: u64,
    /// The item.
    pub item: T,
}

/// A device pushes what it made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PushRequest {
    /// Team changes made one case at a time (queued before team pages),
    /// applied in order.
    pub team: Vec<TeamEntry>,
    /// Team changes made together, applied in order after `team`.
    pub pages: Vec<TeamPage>,
    /// Events, by their authors only.
    pub events: Vec<WireEvent>,
    /// Snapshots of cases the device is fully up to date on.
    pub snapshots: Vec<WireSnapshot>,
    /// The same states bundled for the cases' other members.
    pub bundles: Vec<WireBundle>,
}

/// What the server stored (or already had).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PushResponse {
    /// Sequence number of each event.
    pub events: Vec<Sequenced<EventId>>,
    /// Team entries accepted.
    pub team: u32,
    /// Team pages accepted.
    pub pages: u32,
    /// Snapshots accepted.
    pub snapshots: u32,
    /// Bundles accepted.
    pub bundles: u32,
}

/// A device asks for what changed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PullRequest {
    /// Cursor from the last response; empty the first time.
    pub cursor: Vec<u8>,
    /// Roughly how many bytes of items to return.
    pub max_bytes: u32,
    /// A commune case manager's place in its inbox of online reports: the
    /// last chunk then brings what is waiting after it (so that no second
    /// question is needed when nothing is).
    pub inbox_after: Option<u64>,
}

/// A bounded chunk of changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PullResponse {
    /// Team entries, in sequence order.
    pub team: Vec<Sequenced<TeamEntry>>,
    /// Team pages, in sequence order (applied with `team`, by sequence).
    pub pages: Vec<Sequenced<TeamPage>>,
    /// Starting states of cases the device newly joined, bundled for it
    /// (applied after `team`, before `snapshots`).
    pub bundles: Vec<WireBundle>,
    /// Starting states of cases the device newly joined.
    pub snapshots: Vec<WireSnapshot>,
    /// Events, in sequence order per case.
    pub events: Vec<Sequenced<WireEvent>>,
    /// Where to continue.
    pub cursor: Vec<u8>,
    /// More is waiting: pull again with the cursor.
    pub more: bool,
    /// Cases whose team lost a member: rotate the key if allowed to.
    pub rotate: Vec<CaseId>,
    /// When `more` is false: every item of the device's cases with a
    /// sequence number up to this has now been sent (or was its own).
    pub complete_through: u64,
    /// When `more` is false and the request had `inbox_after`: the first
    /// chunk of the commune's online reports after it.
    pub inbox: Option<crate::online_report::InboxResponse>,
}

/// De-identified statistics a device sends: each case's record or
/// withdrawal sealed to the provincial office's key
/// ([`crate::stats::sealed`]), signed by the device.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StatsPush {
    /// Sealed rows, each replacing the one in its slot.
    pub rows: Vec<crate::stats::sealed::SealedStat>,
    /// The device's signature over [`stats_message`].
    pub signature: Vec<u8>,
}

/// What a device signs when it sends statistics.
pub fn stats_message(rows: &[crate::stats::sealed::SealedStat]) -> Vec<u8> {
    let mut m = b"binhan/stats/v2".to_vec();
    m.extend(postcard::to_allocvec(rows).unwrap_or_default());
    m
}

/// How many sealed rows the server stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StatsPushResponse {
    /// Rows stored.
    pub applied: u32,
}

/// The office's statistics key as the server hands it out (none before an
/// officer published it), with an officer's endorsement of the provincial
/// key that signed it, for a device that has not pinned one yet.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OfficeKeyResponse {
    /// [`crate::stats::sealed::OfficeKey`], signed by the provincial key.
    pub office_key: Option<crate::shelters::SignedPublication>,
    /// An officer's endorsement of the key that signed it.
    pub endorsement: Option<super::KeyEndorsement>,
}

/// An officer's phone publishes the office's statistics key, endorsing the
/// provincial key that signed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeKeyPublish {
    /// [`crate::stats::sealed::OfficeKey`], signed by the provincial key.
    pub office_key: crate::shelters::SignedPublication,
    /// The officer's endorsement of that provincial key.
    pub endorsement: super::KeyEndorsement,
}

/// Most sealed statistics rows in one page.
pub const MAX_SEALED_PAGE: u32 = 5_000;

/// The officer asks for the sealed statistics rows after `after` (in slot
/// order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SealedStatsRequest {
    /// The last slot of the page before (none: from the start).
    pub after: Option<crate::stats::sealed::StatSlot>,
    /// At most this many rows (at most [`MAX_SEALED_PAGE`]).
    pub limit: u32,
}

/// One page of sealed statistics rows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SealedStatsPage {
    /// Rows in slot order.
    pub rows: Vec<crate::stats::sealed::SealedStat>,
    /// More rows follow the last one.
    pub more: bool,
}

/// The server's error code for an invitation code unknown, used or
/// expired (the app asks for a new code).
pub const INVALID_INVITATION: &str = "invalid_invitation";

/// The error body of a refused request (JSON, for people and logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable code, e.g. `bad_signature`.
    pub error: String,
    /// A sentence saying why.
    pub reason: String,
    /// The server says the device was revoked: a hint only. The device
    /// asks for the proof (`/v1/devices/revocation`) and erases its vault
    /// only if the revocation checks.
    #[serde(default)]
    pub erase: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_bad_bytes_are_refused() {
        let msg = PullRequest {
            cursor: vec![1, 2, 3],
            max_bytes: 1000,
            inbox_after: Some(7),
        };
        let bytes = encode(&msg);
        assert_eq!(decode::<PullRequest>(&bytes), Ok(msg));
        assert_eq!(decode::<PullRequest>(&[]), Err(WireError::Empty));
        assert_eq!(decode::<PullRequest>(&[9, 0]), Err(WireError::Version(9)));
        assert_eq!(
            decode::<PullRequest>(&bytes[..2]),
            Err(WireError::Malformed)
        );
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert_eq!(decode::<PullRequest>(&trailing), Err(WireError::Malformed));
    }
}
