//! Sync as the app calls it: enrol, sync, invite, revoke, change teams.
//! A revoked device erases its vault the moment it is shown a revocation
//! signed by a device allowed to revoke it, never on the server's word.

use super::Vault;
use crate::model::{CaseId, DeviceId, Role};
use crate::sync::wire::Invitation;
use crate::sync::{
    enrolment, CancelFlag, Enrolment, HttpTransport, ProgressFn, SyncContext, SyncReport, Transport,
};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

const LAST_SYNC_META: &str = "sync.last";
/// Meta key: team members the last full sync found without consent.
const WITHOUT_CONSENT_META: &str = "sync.members_without_consent";
const OVERDUE_META: &str = "sync.overdue_referrals";
/// Meta key: statistics the last full sync kept back for want of the
/// office's key.
const STATS_WAITING_META: &str = "sync.statistics_waiting";
/// The code of the server's refusal of a revoked device.
const REVOKED: &str = "revoked";

/// The last full sync of this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LastSync {
    /// When it ended (UTC, by this device's clock).
    pub at: chrono::DateTime<chrono::Utc>,
    /// Events this device pushed.
    pub events_pushed: u64,
    /// Events received and merged.
    pub events_pulled: u64,
}

/// What the shell tells a sync about the moment it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncOptions {
    /// The network is unmetered (Wi-Fi). False when unknown: a road network
    /// update then waits if the person chose Wi-Fi only.
    pub unmetered: bool,
}

impl Vault {
    /// Makes every sync step (enrolment included) go over `transport`
    /// instead of HTTP to the server's URL, e.g. a server run in the same
    /// process by tests; `None` goes back to HTTP.
    pub fn set_transport(&self, transport: Option<Arc<dyn Transport>>) {
        *self.transport.write().unwrap_or_else(|p| p.into_inner()) = transport;
    }

    /// The transport set with [`Self::set_transport`], else HTTP to
    /// `server_url` or to the server this device is enrolled with.
    fn transport(&self, server_url: Option<&str>) -> Result<Arc<dyn Transport>> {
        let set = self.transport.read().unwrap_or_else(|p| p.into_inner());
        if let Some(transport) = set.as_ref() {
            return Ok(transport.clone());
        }
        let url = match server_url {
            Some(url) => url.to_string(),
            None => {
                enrolment(&self.session()?.store)?
                    .ok_or(Error::NotEnrolled)?
                    .server_url
            }
        };
        Ok(Arc::new(HttpTransport::new(&url)?))
    }

    /// Runs `step` with a sync context. When the server refuses this device
    /// as revoked, it asks for the signed revocation and erases the vault
    /// only if it checks ([`SyncContext::check_own_revocation`]); otherwise
    /// it keeps everything and fails with `Tampered { "revocation" }`.
    pub(crate) async fn with_sync<T>(
        &self,
        server_url: Option<&str>,
        step: impl AsyncFnOnce(&SyncContext<'_>) -> Result<T>,
    ) -> Result<T> {
        let session = self.session()?;
        let transport = self.transport(server_url)?;
        let ctx = SyncContext {
            store: &session.store,
            identity: &session.identity,
            clock: &session.clock,
            transport: transport.as_ref(),
        };
        let result = step(&ctx).await;
        let said_revoked = matches!(&result, Err(Error::Refused { code, .. }) if code == REVOKED);
        if !said_revoked || enrolment(ctx.store)?.is_none() {
            return result;
        }
        ctx.check_own_revocation().await?;
        drop(session);
        self.panic_wipe()?;
        Err(Error::Revoked)
    }

    /// Enrols this device with the server at `server_url` using a one-time
    /// invitation code from a commune case manager.
    pub async fn enrol(&self, server_url: &str, code: &str, label: &str) -> Result<Enrolment> {
        self.with_sync(Some(server_url), async |ctx| {
            crate::sync::enrol(ctx, code, label).await
        })
        .await
    }

    /// Records an enrolment as `role` in `commune` without a server, for
    /// tests of what a role may do (the server still checks every call).
    #[cfg(any(test, feature = "testing"))]
    pub fn enrol_offline(&self, role: crate::model::Role, commune: &str) -> Result<()> {
        let enrolment = Enrolment {
            server_url: "http://127.0.0.1:9".into(),
            role,
            commune: commune.into(),
        };
        crate::sync::set_enrolment(&self.session()?.store, &enrolment)
    }

    /// The enrolment of this device, if any.
    pub fn enrolment(&self) -> Result<Option<Enrolment>> {
        enrolment(&self.session()?.store)
    }

    /// The school this device's inviter certified it for (a school
    /// counselor's), if any.
    pub fn own_school(&self) -> Result<Option<String>> {
        let session = self.session()?;
        crate::sync::own_school(&session.store, session.device)
    }

    /// Pushes this device's changes and pulls everyone else's, reporting
    /// progress; then the shelter directory, placement messages and the
    /// road network, on a network of unknown cost ([`SyncOptions`]'s
    /// default). Cancellable between steps and safe to cut anywhere.
    pub async fn sync(&self, progress: &ProgressFn, cancel: &CancelFlag) -> Result<SyncReport> {
        self.sync_with(SyncOptions::default(), progress, cancel)
            .await
    }

    /// [`Self::sync`], told whether the network is unmetered.
    pub async fn sync_with(
        &self,
        options: SyncOptions,
        progress: &ProgressFn,
        cancel: &CancelFlag,
    ) -> Result<SyncReport> {
        // A referral whose send a killed phone left half done leaves now.
        self.finish_interrupted_send()?;
        self.with_sync(None, async |ctx| {
            let start = ctx.transport.counts();
            let mut report = ctx.sync(progress, cancel).await?;
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            // A teammate may have recorded the survivor's withdrawal of
            // consent: referrals this phone sent under it go now, and the
            // team learns it in this sync.
            if self.withdraw_unconsented_referrals()? > 0 {
                ctx.push_again(&mut report, progress, cancel).await?;
            }
            report.shelters = self.sync_shelters(ctx, options.unmetered, cancel).await?;
            self.publish_office_key(ctx).await?;
            if report.statistics_waiting > 0 {
                self.learn_office_key(ctx).await?;
            }
            // Mail may have recorded steps on cases (a provider's answer to
            // a referral, a host's to a placement): the team and the
            // statistics learn them in this sync, not the next; statistics
            // that waited for the office's key go once it is known.
            if report.shelters.messages_received > 0 || report.statistics_waiting > 0 {
                ctx.push_again(&mut report, progress, cancel).await?;
            }
            report.traffic = ctx.transport.counts().since(start);
            ctx.store.set_meta(
                LAST_SYNC_META,
                &LastSync {
                    at: crate::events::Hlc::from_wall_ms(self.wall_ms()).to_utc(),
                    events_pushed: report.events_pushed,
                    events_pulled: report.events_pulled,
                },
            )?;
            ctx.store
                .set_meta(WITHOUT_CONSENT_META, &report.members_without_consent)?;
            let overdue = self.overdue_referrals()?.len() as u64;
            ctx.store.set_meta(OVERDUE_META, &overdue)?;
            ctx.store
                .set_meta(STATS_WAITING_META, &report.statistics_waiting)?;
            Ok(report)
        })
        .await
    }

    /// Statistics the last full sync kept on this phone because the
    /// office's key was not known yet (sent at a later sync).
    pub fn statistics_waiting_at_last_sync(&self) -> Result<u64> {
        Ok(self.session()?.store.meta(STATS_WAITING_META)?.unwrap_or(0))
    }

    /// Referrals overdue for an answer when the last sync ended, on the
    /// cases this phone holds ([`Vault::overdue_referrals`] lists them).
    pub fn overdue_referrals_at_last_sync(&self) -> Result<u64> {
        Ok(self.session()?.store.meta(OVERDUE_META)?.unwrap_or(0))
    }

    /// Members of case teams the last full sync found without the
    /// survivor's consent (`crate::sync::members_without_consent`); on the
    /// creator's or a manager's phone that sync also removed them.
    pub fn members_without_consent(&self) -> Result<u64> {
        Ok(self
            .session()?
            .store
            .meta(WITHOUT_CONSENT_META)?
            .unwrap_or(0))
    }

    /// When this device last synced in full, and what it carried (kept in
    /// the vault, so it survives a restart).
    pub fn last_sync(&self) -> Result<Option<LastSync>> {
        self.session()?.store.meta(LAST_SYNC_META)
    }

    /// Issues a one-time invitation code (commune case managers, provincial
    /// officers).
    pub async fn invite(&self, role: Role, commune: &str, valid_hours: u32) -> Result<Invitation> {
        self.with_sync(None, async |ctx| {
            ctx.invite(role, commune, None, valid_hours).await
        })
        .await
    }

    /// Issues a one-time invitation code for a school counselor of
    /// `school`: the school's counselors share the cases its counselors
    /// record, with the commune's case managers.
    pub async fn invite_counselor(
        &self,
        commune: &str,
        school: &str,
        valid_hours: u32,
    ) -> Result<Invitation> {
        self.with_sync(None, async |ctx| {
            ctx.invite(Role::SchoolCounselor, commune, Some(school), valid_hours)
                .await
        })
        .await
    }

    /// The active devices of this device's commune (commune case managers
    /// look after them), from the server's directory.
    pub async fn commune_devices(&self) -> Result<Vec<crate::sync::wire::DeviceRecord>> {
        let commune = self
            .enrolment()?
            .map(|e| e.commune)
            .ok_or(Error::NotEnrolled)?;
        self.with_sync(None, async |ctx| ctx.commune_devices(&commune, None).await)
            .await
    }

    /// Revokes another device: it is refused from now on and erases itself
    /// on its next contact.
    pub async fn revoke_device(&self, device: DeviceId) -> Result<()> {
        self.with_sync(None, async |ctx| ctx.revoke(device).await)
            .await
    }

    /// Adds a device to a case's team (it receives every key of the case at
    /// the next sync).
    pub async fn add_team_member(&self, case_id: CaseId, device: DeviceId) -> Result<()> {
        self.with_sync(None, async |ctx| ctx.add_member(case_id, device).await)
            .await
    }

    /// Removes a device from a case's team and rotates the case key; the
    /// server stops serving the case to it. What it already holds cannot be
    /// recalled.
    pub async fn remove_team_member(&self, case_id: CaseId, device: DeviceId) -> Result<()> {
        self.with_sync(None, async |ctx| ctx.remove_member(case_id, device).await)
            .await
    }

    /// Members of a case's team (current epoch).
    pub fn team_members(&self, case_id: CaseId) -> Result<Vec<DeviceId>> {
        let team: Option<crate::sync::TeamState> = self.session()?.store.team(case_id)?;
        Ok(team.map(|t| t.members().to_vec()).unwrap_or_default())
    }

    /// Pulled items refused and held back (kind, case, signer, reason
    /// code; no content), newest last.
    pub fn held_items(&self) -> Result<Vec<crate::sync::HeldItem>> {
        crate::sync::held_items(&self.session()?.store)
    }

    /// Events recorded here and not yet acknowledged by the server.
    pub fn pending_events(&self) -> Result<u64> {
        self.session()?.store.unpushed_count()
    }
}
