//! Shelters through the sync server, as one step of [`Vault::sync`]: this
//! device's outbox (each message signed, and sealed to its recipient), then
//! its mailbox, whose first chunk also says whether a newer directory is
//! published; if so the publications newer than the one held are fetched
//! and applied first; then each message is verified, opened and applied;
//! last, the road network ([`super::sync_roads`]), whose newest version the
//! mailbox's first chunk announces too.
//!
//! How a device learns the provincial key: the server registers the key
//! of the first publication a provincial officer uploads and refuses any
//! other signer afterwards; the officer's phone, publishing, endorses the
//! key with its certified device key ([`KeyEndorsement`]). The server hands
//! key and endorsement out with the directory (and the road manifest), and
//! a device that holds no key pins it only once the endorsement checks: an
//! officer's signature, whose certificate checks back to the device's root.
//! A device configured with the key beforehand
//! ([`Vault::set_provincial_key`]) refuses a server that offers another.
//! Whatever the server sends, the device uses a publication only after
//! checking the signature itself.

use super::roads::RoadSyncReport;
use super::Vault;
use crate::shelters::wire::{
    DirectoryRequest, DirectoryResponse, Mail, MailChunk, MailPull, MailPush, MailPushResponse,
    PublishRequest, PublishResponse, MAX_MAIL_ITEMS,
};
use crate::shelters::{ProvincialKey, Recipient, SignedPublication};
use crate::sync::wire::DEFAULT_PULL_BYTES;
use crate::sync::{CancelFlag, KeyEndorsement, SyncContext};
use crate::{Error, Result};
use serde::Serialize;

const MAIL_CURSOR_META: &str = "shelters.mail_cursor";

/// What one sync did for shelters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShelterSyncReport {
    /// The directory version held after the sync.
    pub directory_version: Option<u64>,
    /// Directory publications verified and applied.
    pub publications_applied: u64,
    /// Why a publication was refused (the directory held was kept).
    pub directory_refused: Option<String>,
    /// Placement and free-places messages sent.
    pub messages_sent: u64,
    /// Messages received and applied (or already applied).
    pub messages_received: u64,
    /// Messages refused: a bad signature or seal, not from the shelter's
    /// host, to a device no longer enrolled, or out of place.
    pub messages_refused: u64,
    /// The road network: version installed, bytes fetched, an update
    /// waiting for Wi-Fi.
    pub roads: RoadSyncReport,
}

/// Registers this officer's endorsement of the provincial key `signer`
/// with the server, before a publication signed with it (idempotent).
pub(super) async fn endorse_key(ctx: &SyncContext<'_>, signer: [u8; 32]) -> Result<()> {
    let endorsement = KeyEndorsement::sign(ctx.identity, signer);
    ctx.call("/v1/province/key", &endorsement).await
}

/// Whether `error` refuses one publication or message (which is skipped)
/// rather than stopping the sync (network, storage, revocation).
pub(super) fn refuses_item(error: &Error) -> bool {
    matches!(
        error,
        Error::Tampered { .. }
            | Error::NotAllowed(_)
            | Error::NotFound(_)
            | Error::Invalid { .. }
            | Error::Encoding(_)
    )
}

impl Vault {
    /// (Provincial officer) Uploads a signed directory publication (full or
    /// delta, as `binhan shelters sign` writes it) for every enrolled device.
    /// The server refuses every other role, a signature that does not hold,
    /// a signer other than the province's registered key, and a version
    /// that does not follow the newest.
    pub async fn publish_shelter_directory(&self, publication: &[u8]) -> Result<PublishResponse> {
        let decoded = SignedPublication::decode(publication)?;
        decoded.verify(&ProvincialKey(decoded.signer))?;
        let request = PublishRequest {
            publication: publication.to_vec(),
        };
        self.with_sync(None, async |ctx| {
            endorse_key(ctx, decoded.signer).await?;
            ctx.call("/v1/shelters/publish", &request).await
        })
        .await
    }

    /// Pins the provincial key the server hands out, if this device holds
    /// none yet, once `endorsement` checks: signed by a provincial officer
    /// whose certificate checks back to this device's root. A key already
    /// held must be the same.
    pub(super) async fn pin_served_key(
        &self,
        ctx: &SyncContext<'_>,
        key: ProvincialKey,
        endorsement: Option<&KeyEndorsement>,
    ) -> Result<()> {
        if self.provincial_key()?.is_none() {
            let unendorsed = || Error::Tampered {
                record: "endorsement of the provincial key".into(),
            };
            let endorsement = endorsement.ok_or_else(unendorsed)?;
            let officer = ctx
                .devices([endorsement.endorser])
                .await?
                .remove(&endorsement.endorser)
                .ok_or_else(unendorsed)?;
            endorsement.check(&key.0, &officer.public, officer.role)?;
        }
        self.set_provincial_key(key)
    }

    /// The shelter step of a sync (see the module documentation);
    /// `unmetered`: whether the network is unmetered (road updates).
    pub(crate) async fn sync_shelters(
        &self,
        ctx: &SyncContext<'_>,
        unmetered: bool,
        cancel: &CancelFlag,
    ) -> Result<ShelterSyncReport> {
        let mut report = ShelterSyncReport::default();
        self.send_mail(ctx, &mut report).await?;
        let road_version = self.pull_mail(ctx, &mut report).await?;
        // Receiving can queue answers (a cancellation frees places).
        self.send_mail(ctx, &mut report).await?;
        report.directory_version = self.shelter_directory()?.map(|d| d.version);
        // The enrolment may be new even when the directory is not.
        self.refresh_emergency_file();
        report.roads = self
            .sync_roads(ctx, road_version, unmetered, cancel)
            .await?;
        Ok(report)
    }

    pub(super) async fn pull_directory(
        &self,
        ctx: &SyncContext<'_>,
        report: &mut ShelterSyncReport,
    ) -> Result<()> {
        loop {
            let request = DirectoryRequest {
                held: self.shelter_directory()?.map(|d| d.version),
                max_bytes: DEFAULT_PULL_BYTES,
            };
            let chunk: DirectoryResponse = ctx.call("/v1/shelters/directory", &request).await?;
            let pinned = match chunk.provincial_key {
                Some(key) => {
                    self.pin_served_key(ctx, key, chunk.endorsement.as_ref())
                        .await
                }
                None => Ok(()),
            };
            let applied = pinned.and_then(|()| {
                chunk.publications.iter().try_for_each(|publication| {
                    self.load_shelter_directory(publication)?;
                    report.publications_applied += 1;
                    Ok(())
                })
            });
            match applied {
                Err(e) if refuses_item(&e) => {
                    tracing::warn!("a shelter directory publication was refused");
                    report.directory_refused = Some(e.to_string());
                    return Ok(());
                }
                Err(e) => return Err(e),
                Ok(()) if !chunk.more || chunk.publications.is_empty() => return Ok(()),
                Ok(()) => {}
            }
        }
    }

    async fn send_mail(&self, ctx: &SyncContext<'_>, report: &mut ShelterSyncReport) -> Result<()> {
        let outbox = self.shelter_outbox()?;
        let recipients = outbox.iter().filter_map(|e| match e.to {
            Recipient::Device(device) => Some(device),
            Recipient::Everyone => None,
        });
        let devices = ctx.devices(recipients).await?;
        for batch in outbox.chunks(MAX_MAIL_ITEMS) {
            let mut mail = Vec::with_capacity(batch.len());
            for entry in batch {
                let to = match entry.to {
                    Recipient::Everyone => None,
                    Recipient::Device(device) => match devices.get(&device).filter(|r| r.active) {
                        Some(record) => Some(&record.public),
                        None => {
                            report.messages_refused += 1;
                            continue;
                        }
                    },
                };
                mail.push(Mail::seal(ctx.identity, entry.seq, to, &entry.message)?);
            }
            if !mail.is_empty() {
                let response: MailPushResponse =
                    ctx.call("/v1/shelters/send", &MailPush { mail }).await?;
                report.messages_sent += u64::from(response.stored);
                report.messages_refused += response.refused.len() as u64;
            }
            if let Some(last) = batch.last() {
                self.ack_shelter_outbox(last.seq)?;
            }
        }
        Ok(())
    }

    /// Pulls the mailbox; returns the newest road network version the
    /// server announced.
    async fn pull_mail(
        &self,
        ctx: &SyncContext<'_>,
        report: &mut ShelterSyncReport,
    ) -> Result<u64> {
        let mut after: u64 = self.with_store(|s| s.meta(MAIL_CURSOR_META))?.unwrap_or(0);
        let mut directory_checked = false;
        let mut road_version = 0;
        loop {
            let request = MailPull {
                after,
                max_bytes: DEFAULT_PULL_BYTES,
            };
            let chunk: MailChunk = ctx.call("/v1/shelters/mailbox", &request).await?;
            // The directory first: mail may be about shelters it adds.
            let held = self.shelter_directory()?.map(|d| d.version);
            if !directory_checked && chunk.directory_version > held.unwrap_or(0) {
                self.pull_directory(ctx, report).await?;
            }
            directory_checked = true;
            road_version = road_version.max(chunk.road_version);
            let senders = ctx.devices(chunk.mail.iter().map(|m| m.from)).await?;
            for mail in &chunk.mail {
                let applied = senders
                    .get(&mail.from)
                    .ok_or_else(|| Error::Tampered {
                        record: format!("shelter message {} from an unknown device", mail.id),
                    })
                    .and_then(|sender| mail.open(&sender.public, ctx.identity))
                    .and_then(|message| self.receive_mail(mail.from, message));
                match applied {
                    Ok(_) => report.messages_received += 1,
                    Err(e) if refuses_item(&e) => {
                        tracing::warn!(mail = %mail.id, "a shelter message was refused");
                        report.messages_refused += 1;
                    }
                    Err(e) => return Err(e),
                }
            }
            after = chunk.cursor.max(after);
            self.with_store(|s| s.set_meta(MAIL_CURSOR_META, &after))?;
            if !chunk.more {
                return Ok(road_version);
            }
        }
    }
}
