//! Sealed statistics on the device ([`crate::stats::sealed`]): the officer's
//! phone publishes the office's key and opens what devices sealed to it;
//! every other phone learns the office's key, checked against the
//! provincial key it pinned, before it sends anything.

use super::sync_shelters::refuses_item;
use super::Vault;
use crate::error::Refusal;
use crate::shelters::{ProvincialKey, ShelterSyncReport};
use crate::stats::sealed::{newest_records, open_all, OfficeKey, OfficeSecret};
use crate::stats::StatRecord;
use crate::sync::wire::{
    OfficeKeyPublish, OfficeKeyResponse, SealedStatsPage, SealedStatsRequest, MAX_SEALED_PAGE,
};
use crate::sync::{KeyEndorsement, SyncContext, OFFICE_KEY_META};
use crate::{Error, Result};
use serde::Serialize;

/// The provincial key whose office key this officer's phone last published.
const PUBLISHED_META: &str = "stats.office_key_published";

/// What the officer's vault read of the statistics on the server.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct StatisticsRead {
    /// The records that stand: each case's newest, withdrawn ones left out.
    pub records: Vec<StatRecord>,
    /// Sealed rows stored on the server.
    pub rows: u64,
    /// Rows that did not open with the office's key or broke the record's
    /// rules (left out of every count).
    pub unreadable: u64,
}

impl Vault {
    /// (Provincial officer holding the signing key) Publishes the office's
    /// statistics key, signed with the provincial key and endorsed by this
    /// phone, once per key; part of every sync.
    pub(super) async fn publish_office_key(&self, ctx: &SyncContext<'_>) -> Result<()> {
        if self.officer_only().is_err() {
            return Ok(());
        }
        let Some(signer) = self.signer()? else {
            return Ok(());
        };
        let key = signer.public_key().0;
        if ctx.store.meta::<[u8; 32]>(PUBLISHED_META)? == Some(key) {
            return Ok(());
        }
        let request = OfficeKeyPublish {
            office_key: OfficeKey::publish(&signer)?,
            endorsement: KeyEndorsement::sign(ctx.identity, key),
        };
        let () = ctx.call("/v1/province/office-key", &request).await?;
        ctx.store.set_meta(PUBLISHED_META, &key)
    }

    /// Learns the office's statistics key, if not known yet: the key the
    /// server hands out is used only once the provincial key this phone
    /// pinned (or pins now, from an officer's endorsement that checks back
    /// to its root) is found to have signed it. A key that does not check
    /// is refused and nothing is kept; statistics keep waiting.
    pub(super) async fn learn_office_key(&self, ctx: &SyncContext<'_>) -> Result<()> {
        if ctx.store.meta::<OfficeKey>(OFFICE_KEY_META)?.is_some() {
            return Ok(());
        }
        let response: OfficeKeyResponse = ctx.call("/v1/stats/office-key", &()).await?;
        let Some(publication) = response.office_key else {
            return Ok(());
        };
        let checked = async {
            if self.provincial_key()?.is_none() {
                self.pin_served_key(
                    ctx,
                    ProvincialKey(publication.signer),
                    response.endorsement.as_ref(),
                )
                .await?;
            }
            let pinned = self
                .provincial_key()?
                .ok_or(Error::NotAllowed(Refusal::NoProvincialKey))?;
            OfficeKey::verify(&publication, &pinned)
        };
        match checked.await {
            Ok(key) => ctx.store.set_meta(OFFICE_KEY_META, &key),
            Err(e) if refuses_item(&e) => {
                tracing::warn!("the statistics office key was refused");
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// (Provincial officer holding the signing key) Every sealed statistics
    /// row on the server, opened with the office's key: the records that
    /// stand (each case's newest update; withdrawn ones left out) and how
    /// many rows did not open. The shelter directory is brought up to date
    /// on the way, so that a report made from these counts the newest
    /// directory this phone checked. Refused for another role and without
    /// the signing key.
    pub async fn statistics_records(&self) -> Result<StatisticsRead> {
        self.enrolment()?.ok_or(Error::NotEnrolled)?;
        self.officer_only()?;
        let signer = self
            .signer()?
            .ok_or(Error::NotAllowed(Refusal::NoSigningKey))?;
        let secret = OfficeSecret::of(&signer);
        self.with_sync(None, async |ctx| {
            self.pull_directory(ctx, &mut ShelterSyncReport::default())
                .await?;
            let mut read = StatisticsRead::default();
            let mut rows = Vec::new();
            let mut after = None;
            loop {
                let request = SealedStatsRequest {
                    after,
                    limit: MAX_SEALED_PAGE,
                };
                let page: SealedStatsPage = ctx.call("/v1/stats/sealed", &request).await?;
                after = page.rows.last().map(|r| r.slot);
                rows.extend(page.rows);
                if !page.more || after.is_none() {
                    break;
                }
            }
            read.rows = rows.len() as u64;
            let opened = open_all(&secret, &rows);
            read.unreadable = opened.unreadable;
            if read.unreadable > 0 {
                tracing::warn!(
                    unreadable = read.unreadable,
                    "statistics rows did not open with the office key"
                );
            }
            read.records = newest_records(opened.updates);
            Ok(read)
        })
        .await
    }
}
