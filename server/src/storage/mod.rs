//! Durable state behind one trait, with two backends: embedded SQLite (the
//! default, a data folder) and PostgreSQL (a connection URL). Both run the
//! same SQL through sqlx's `Any` driver; only the migrations differ (BLOB
//! versus BYTEA).
//!
//! Server processes keep nothing correctness needs in memory: sequence
//! numbers are allocated under a row lock inside the writing transaction,
//! so two processes on one PostgreSQL behave as one. Concurrent pushes
//! share transactions ([`group_commit`]).

mod bundles;
mod cursor;
mod devices;
mod group_commit;
mod online_reports;
mod pull;
mod push;
mod registries;
mod roads;
mod shelters;
mod sql;
mod statistics;
mod team_pages;

pub use cursor::{Cursor, Phase};
pub use devices::root_exists;
pub use group_commit::DevicePush;
pub use roads::NewRoadManifest;
pub use shelters::NewPublication;
pub use sql::SqlStorage;

use crate::error::{Result, ServerError};
use binhan_core::model::{DeviceId, Role};
use binhan_core::stats::registry::{ProgrammeRegistries, RegistryCounts};
use binhan_core::stats::school_use::{SchoolInUse, UseMonth};
use binhan_core::stats::sealed::{SealedStat, StatSlot};
use binhan_core::sync::wire::{DeviceQuery, DeviceRecord, PullResponse, PushRequest, PushResponse};
use binhan_core::sync::{DevicePublic, Grant, Revocation, SchoolGrant};
use std::future::Future;

/// A device's standing as storage reads it (`Some(active)`, or `None` if it
/// is not enrolled), as the answer to its request: go on, or why not.
pub fn still_active(standing: Option<bool>) -> Result<()> {
    match standing {
        Some(true) => Ok(()),
        Some(false) => Err(ServerError::revoked()),
        None => Err(ServerError::unknown_device()),
    }
}

/// A new invitation, as stored (the code itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    /// SHA-256 of the normalised code.
    pub code_hash: [u8; 32],
    /// Role it grants.
    pub role: Role,
    /// Commune it grants.
    pub commune: String,
    /// Expiry, ms since 1970.
    pub expires_at_ms: u64,
    /// The device that issued it (none for the bootstrap command).
    pub issued_by: Option<DeviceId>,
    /// What it grants, signed by the issuer (none for the bootstrap
    /// command: its device becomes the province's root).
    pub grant: Option<Grant>,
    /// A bootstrap invitation that replaces the province's root.
    pub replaces_root: bool,
    /// A school counselor's school, signed by the issuer.
    pub school: Option<SchoolGrant>,
}

/// What a device enrols with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// SHA-256 of the invitation's id.
    pub code_hash: [u8; 32],
    /// The device's public keys.
    pub device: DevicePublic,
    /// Its label.
    pub label: String,
    /// The signature certifying its keys (by the grant key, or its own for
    /// the root).
    pub binding: Vec<u8>,
}

/// Everything the server keeps.
pub trait Storage: Clone + Send + Sync + 'static {
    /// The secret that signs tokens and challenges, shared by every process
    /// (created on first use).
    fn server_secret(&self) -> impl Future<Output = Result<[u8; 32]>> + Send;

    /// Stores an invitation.
    fn create_invitation(
        &self,
        invitation: NewInvitation,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Uses up an invitation and enrols the device with its certificate, in
    /// one transaction; with the bootstrap invitation, the device becomes
    /// the province's root (refused once there is one, unless the
    /// invitation replaces it).
    fn enrol(
        &self,
        enrolment: Enrolment,
        now_ms: u64,
    ) -> impl Future<Output = Result<DeviceRecord>> + Send;

    /// The province's root device and key, once its first officer enrolled.
    fn province_root(&self) -> impl Future<Output = Result<Option<DevicePublic>>> + Send;

    /// A device by id.
    fn device(&self, id: DeviceId) -> impl Future<Output = Result<Option<DeviceRecord>>> + Send;

    /// Devices matching a query.
    fn query_devices(
        &self,
        query: DeviceQuery,
    ) -> impl Future<Output = Result<Vec<DeviceRecord>>> + Send;

    /// Revokes the device `revocation` names (checked by the caller), and
    /// keeps the revocation to hand out: refused from now on, removed from
    /// every team, and those teams marked for key rotation.
    fn revoke(
        &self,
        revocation: &Revocation,
        now_ms: u64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Records a challenge as used; false if it already was (a replay).
    fn use_challenge(
        &self,
        hash: [u8; 32],
        expires_at_ms: u64,
        now_ms: u64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Stores a push from `device` (signatures already verified), all or
    /// nothing. `device` may come from the enrolment cache: a device that
    /// is no longer active is refused here, in the push's own transaction.
    fn push(
        &self,
        device: DeviceRecord,
        request: PushRequest,
        now_ms: u64,
    ) -> impl Future<Output = Result<PushResponse>> + Send;

    /// Stores sealed statistics rows, each replacing the row in its slot;
    /// returns how many were stored.
    fn push_stats(&self, rows: Vec<SealedStat>) -> impl Future<Output = Result<u32>> + Send;

    /// Up to `limit` sealed statistics rows after `after`, in slot order,
    /// and whether more follow.
    fn sealed_stats(
        &self,
        after: Option<StatSlot>,
        limit: u32,
    ) -> impl Future<Output = Result<(Vec<SealedStat>, bool)>> + Send;

    /// Keeps the office's statistics key signed by a provincial key, with
    /// an officer's endorsement of that key; refused when the province's
    /// registered key is another.
    fn publish_office_key(
        &self,
        publish: binhan_core::sync::wire::OfficeKeyPublish,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The office's statistics key of the province's registered key (or
    /// the one published, before any directory), with its endorsement.
    fn office_key(
        &self,
    ) -> impl Future<Output = Result<binhan_core::sync::wire::OfficeKeyResponse>> + Send;

    /// Records programme registry entries, each added or replacing the entry
    /// with the same identity, all or nothing.
    fn record_registries(
        &self,
        entries: ProgrammeRegistries,
    ) -> impl Future<Output = Result<RegistryCounts>> + Send;

    /// Every programme registry entry, in a stable order.
    fn registries(&self) -> impl Future<Output = Result<ProgrammeRegistries>> + Send;

    /// Records the months of school procedure use a counselor's phone sent
    /// (kept once each).
    fn record_school_use(
        &self,
        device: DeviceId,
        months: &[UseMonth],
    ) -> impl Future<Output = Result<()>> + Send;

    /// Every month of school procedure use, with the school and commune of
    /// the counselor that sent it (its certified record's).
    fn school_use(&self) -> impl Future<Output = Result<Vec<SchoolInUse>>> + Send;

    /// Stores a verified shelter directory publication (the caller checked
    /// the role and the signature). The first publication's signer becomes
    /// the province's key and every later one must carry it; the version
    /// must be newer than every other, and a delta must start from the
    /// newest. Returns false if this exact publication was already stored.
    fn publish_directory(
        &self,
        publication: NewPublication,
        now_ms: u64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// What a device holding directory version `held` needs next, about
    /// `max_bytes` of publications, with the province's registered key.
    fn directory_publications(
        &self,
        held: Option<u64>,
        max_bytes: u32,
    ) -> impl Future<Output = Result<binhan_core::shelters::wire::DirectoryResponse>> + Send;

    /// The newest full directory publication, if any (verify it with
    /// `SignedPublication::verify` under its signer to read the directory).
    fn latest_full_directory(
        &self,
    ) -> impl Future<Output = Result<Option<binhan_core::shelters::SignedPublication>>> + Send;

    /// Stores shelter mail (signatures already verified), each message once
    /// by id; mail to a device that is not enrolled or active is refused.
    fn push_mail(
        &self,
        mail: Vec<binhan_core::shelters::wire::Mail>,
        now_ms: u64,
    ) -> impl Future<Output = Result<binhan_core::shelters::wire::MailPushResponse>> + Send;

    /// Deletes `device`'s mail up to `after` (acknowledged), then returns
    /// the next chunk of mail to it and to every device.
    fn pull_mail(
        &self,
        device: DeviceId,
        after: u64,
        max_bytes: u32,
    ) -> impl Future<Output = Result<binhan_core::shelters::wire::MailChunk>> + Send;

    /// Stores road network chunks (the caller named each by its hash), each
    /// once; returns how many were new.
    fn store_road_chunks(
        &self,
        chunks: Vec<(binhan_core::shelters::roads::ChunkHash, Vec<u8>)>,
        now_ms: u64,
    ) -> impl Future<Output = Result<u32>> + Send;

    /// Publishes a verified road network manifest (the caller checked the
    /// role and the signature): its signer must be the province's
    /// registered key (the first publication of either kind registers it),
    /// its version newer than every other. If chunks it names are not
    /// stored, nothing is published and the answer lists them.
    fn publish_roads(
        &self,
        manifest: NewRoadManifest,
        now_ms: u64,
    ) -> impl Future<Output = Result<binhan_core::shelters::wire::RoadPublishResponse>> + Send;

    /// Stores a sealed online report for `commune`'s case managers; reports
    /// older than 30 days are forgotten.
    fn store_online_report(
        &self,
        commune: &str,
        sealed: Vec<u8>,
        now_ms: u64,
    ) -> impl Future<Output = Result<binhan_core::online_report::OnlineReportId>> + Send;

    /// `commune`'s online reports after sequence number `after`, within
    /// about `max_bytes`.
    fn online_reports(
        &self,
        commune: &str,
        after: u64,
        max_bytes: usize,
    ) -> impl Future<Output = Result<binhan_core::online_report::InboxResponse>> + Send;

    /// Stores an officer's endorsement of a provincial key (the newest one
    /// of a key replaces the last).
    fn endorse_key(
        &self,
        endorsement: binhan_core::sync::KeyEndorsement,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The newest road network manifest if newer than `held`, with the
    /// province's registered key.
    fn road_manifest(
        &self,
        held: Option<u64>,
    ) -> impl Future<Output = Result<binhan_core::shelters::wire::RoadManifestResponse>> + Send;

    /// The first of `hashes`' chunks, in order, within about `max_bytes`
    /// (at least one); an unknown hash is refused.
    fn road_chunks(
        &self,
        hashes: Vec<binhan_core::shelters::roads::ChunkHash>,
        max_bytes: u32,
    ) -> impl Future<Output = Result<Vec<Vec<u8>>>> + Send;

    /// The next chunk of what `device` should receive. `device` may come
    /// from the enrolment cache: a device that is no longer active is
    /// refused here, in the pull's first statement.
    fn pull(
        &self,
        device: DeviceRecord,
        cursor: Cursor,
        max_bytes: u32,
    ) -> impl Future<Output = Result<PullResponse>> + Send;
}
