//! Sync as the apps call it: enrol, sync, invite, revoke and case teams, a
//! thin wrapper of `binhan_core::app::Vault`'s sync calls (`core/src/app/sync.rs`).
//!
//! Everything that talks to the server is a long operation on the layer's
//! runtime ([`crate::task`]): it returns a [`TaskHandle`] at once, reports to
//! the app's [`TaskListener`], ends with exactly one [`TaskOutcome`] and can
//! be cancelled. What only reads the vault (enrolment, team, pending events)
//! is an ordinary call.
//!
//! A device the server says was revoked erases its vault in core before the
//! error comes back: the operation ends with `Failed(Revoked)`, and the
//! [`Vault`] then behaves as after `panicWipe` (locked, and `unlock` says
//! `Erased`).
//!
//! The sync types of core do not derive uniffi traits, so the few the apps
//! see are mirrored here and filled by `From`.

use crate::error::{BinhAnError, Result};
use crate::task::{self, ProgressPhase, TaskHandle, TaskListener, TaskOutcome};
use crate::vault::Vault;
use binhan_core::model::{CaseId, DeviceId, Role};
use binhan_core::sync;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// An instant (UTC), as core's `Timestamp` custom type carries it.
type Timestamp = DateTime<Utc>;

impl From<sync::SyncPhase> for ProgressPhase {
    fn from(phase: sync::SyncPhase) -> Self {
        match phase {
            sync::SyncPhase::Authenticating => Self::Authenticating,
            sync::SyncPhase::Pushing => Self::Pushing,
            sync::SyncPhase::Pulling => Self::Pulling,
            sync::SyncPhase::Snapshots => Self::Snapshots,
        }
    }
}

/// Round trips and bytes of one sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct TrafficCounts {
    /// HTTP requests made (each one round trip).
    pub round_trips: u64,
    /// Request bytes (bodies and headers) sent.
    pub bytes_sent: u64,
    /// Response bytes (bodies and headers) received.
    pub bytes_received: u64,
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Events this device pushed.
    pub events_pushed: u64,
    /// Events received and merged.
    pub events_pulled: u64,
    /// Team changes sent.
    pub team_changes_pushed: u64,
    /// Team changes received.
    pub team_changes_pulled: u64,
    /// Snapshots uploaded.
    pub snapshots_pushed: u64,
    /// Snapshots received and merged.
    pub snapshots_pulled: u64,
    /// De-identified statistics records and withdrawals sent.
    pub statistics_sent: u64,
    /// Case keys rotated after a member left.
    pub keys_rotated: u64,
    /// The shelter directory and placement messages.
    pub shelters: ShelterSyncReport,
    /// Round trips and bytes.
    pub traffic: TrafficCounts,
}

/// What one sync did for shelters.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    /// Messages refused (bad signature or seal, wrong sender, out of place).
    pub messages_refused: u64,
}

impl From<binhan_core::shelters::ShelterSyncReport> for ShelterSyncReport {
    fn from(r: binhan_core::shelters::ShelterSyncReport) -> Self {
        Self {
            directory_version: r.directory_version,
            publications_applied: r.publications_applied,
            directory_refused: r.directory_refused,
            messages_sent: r.messages_sent,
            messages_received: r.messages_received,
            messages_refused: r.messages_refused,
        }
    }
}

impl From<sync::SyncReport> for SyncReport {
    fn from(r: sync::SyncReport) -> Self {
        Self {
            events_pushed: r.events_pushed,
            events_pulled: r.events_pulled,
            team_changes_pushed: r.team_changes_pushed,
            team_changes_pulled: r.team_changes_pulled,
            snapshots_pushed: r.snapshots_pushed,
            snapshots_pulled: r.snapshots_pulled,
            statistics_sent: r.statistics_sent,
            keys_rotated: r.keys_rotated,
            shelters: r.shelters.into(),
            traffic: TrafficCounts {
                round_trips: r.traffic.round_trips,
                bytes_sent: r.traffic.bytes_sent,
                bytes_received: r.traffic.bytes_received,
            },
        }
    }
}

/// What this device was enrolled as.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Enrolment {
    /// The server it is enrolled with.
    pub server_url: String,
    /// Its role.
    pub role: Role,
    /// Its commune (code; `province` for a provincial officer).
    pub commune: String,
}

impl From<sync::Enrolment> for Enrolment {
    fn from(e: sync::Enrolment) -> Self {
        Self {
            server_url: e.server_url,
            role: e.role,
            commune: e.commune,
        }
    }
}

/// A one-time invitation code, to be typed on the new device.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Invitation {
    /// The code.
    pub code: String,
    /// The role it grants.
    pub role: Role,
    /// The commune it grants (code).
    pub commune: String,
    /// When it expires.
    pub expires_at: Timestamp,
}

impl TryFrom<sync::wire::Invitation> for Invitation {
    type Error = BinhAnError;

    fn try_from(i: sync::wire::Invitation) -> Result<Self> {
        let expires_at = i64::try_from(i.expires_at_ms)
            .ok()
            .and_then(DateTime::from_timestamp_millis)
            .ok_or_else(|| BinhAnError::Internal {
                reason: "invitation expiry out of range".into(),
            })?;
        Ok(Self {
            code: i.code,
            role: i.role,
            commune: i.commune,
            expires_at,
        })
    }
}

#[uniffi::export]
impl Vault {
    /// Enrols this device with the server at `server_url` using a one-time
    /// invitation code from a commune case manager (or the provincial
    /// office). The outcome is `TaskOutcome.Enrolled`.
    pub fn enrol(
        &self,
        server_url: String,
        code: String,
        label: String,
        listener: Arc<dyn TaskListener>,
    ) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |_, _| async move {
            let enrolment = app.enrol(&server_url, &code, &label).await?;
            Ok(TaskOutcome::Enrolled {
                enrolment: enrolment.into(),
            })
        })
    }

    /// What this device is enrolled as, or nothing before enrolment.
    pub fn enrolment(&self) -> Result<Option<Enrolment>> {
        Ok(self.app().enrolment()?.map(Enrolment::from))
    }

    /// Pushes this device's changes and pulls everyone else's in the
    /// background, then the shelter directory (newer signed publications,
    /// verified on the device) and placement messages. Progress carries the
    /// phase (`AUTHENTICATING`, `PUSHING`, `PULLING`, `SNAPSHOTS`); the
    /// outcome is `TaskOutcome.Synced` with the report. Cancelling keeps what
    /// was done, and the next sync resumes. A revoked device ends with
    /// `Failed(Revoked)`, its vault already erased.
    pub fn sync(&self, listener: Arc<dyn TaskListener>) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |reporter, cancel| async move {
            let progress = move |p: sync::SyncProgress| {
                reporter.progress(p.phase.into(), p.done, p.total);
            };
            let report = app.sync(&progress, &cancel).await?;
            Ok(TaskOutcome::Synced {
                report: report.into(),
            })
        })
    }

    /// Events recorded on this device that the server has not yet
    /// acknowledged (what the next sync will push).
    pub fn pending_events(&self) -> Result<u64> {
        Ok(self.app().pending_events()?)
    }

    /// Issues a one-time invitation code for a device with `role` in
    /// `commune`, valid `valid_hours` (1–168) (commune case managers and
    /// provincial officers). The outcome is `TaskOutcome.Invited`.
    pub fn invite(
        &self,
        role: Role,
        commune: String,
        valid_hours: u32,
        listener: Arc<dyn TaskListener>,
    ) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |_, _| async move {
            let invitation = app.invite(role, &commune, valid_hours).await?;
            Ok(TaskOutcome::Invited {
                invitation: invitation.try_into()?,
            })
        })
    }

    /// Revokes another device: the server refuses it from now on and it
    /// erases its vault on its next contact. The outcome is `TaskOutcome.Done`.
    pub fn revoke_device(
        &self,
        device: DeviceId,
        listener: Arc<dyn TaskListener>,
    ) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |_, _| async move {
            app.revoke_device(device).await?;
            Ok(TaskOutcome::Done)
        })
    }

    /// Adds a device to a case's team; it receives every key of the case at
    /// its next sync. The outcome is `TaskOutcome.Done`.
    pub fn add_team_member(
        &self,
        case_id: CaseId,
        device: DeviceId,
        listener: Arc<dyn TaskListener>,
    ) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |_, _| async move {
            app.add_team_member(case_id, device).await?;
            Ok(TaskOutcome::Done)
        })
    }

    /// Removes a device from a case's team and rotates the case key; the
    /// server stops serving the case to it (what it already holds cannot be
    /// recalled). The outcome is `TaskOutcome.Done`.
    pub fn remove_team_member(
        &self,
        case_id: CaseId,
        device: DeviceId,
        listener: Arc<dyn TaskListener>,
    ) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |_, _| async move {
            app.remove_team_member(case_id, device).await?;
            Ok(TaskOutcome::Done)
        })
    }

    /// (Provincial officer) Uploads a signed shelter directory publication
    /// (full or delta, as `binhan shelters sign` writes it) for every
    /// enrolled device; they fetch it at their next sync. The server refuses
    /// other roles (`Forbidden`), a signer other than the province's
    /// registered key and a version that does not follow the newest. The
    /// outcome is `TaskOutcome.DirectoryPublished`.
    pub fn publish_shelter_directory(
        &self,
        publication: Vec<u8>,
        listener: Arc<dyn TaskListener>,
    ) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |_, _| async move {
            let published = app.publish_shelter_directory(&publication).await?;
            Ok(TaskOutcome::DirectoryPublished {
                version: published.version,
                stored: published.stored,
            })
        })
    }

    /// The devices on a case's team (current key epoch), as this device
    /// last synced it.
    pub fn team_members(&self, case_id: CaseId) -> Result<Vec<DeviceId>> {
        Ok(self.app().team_members(case_id)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_and_invitations_cross_unchanged() {
        let report = sync::SyncReport {
            events_pushed: 3,
            events_pulled: 5,
            keys_rotated: 1,
            traffic: sync::TrafficCounts {
                round_trips: 4,
                bytes_sent: 900,
                bytes_received: 1200,
            },
            ..Default::default()
        };
        let mirrored = SyncReport::from(report);
        assert_eq!((mirrored.events_pushed, mirrored.events_pulled), (3, 5));
        assert_eq!(mirrored.keys_rotated, 1);
        assert_eq!(mirrored.traffic.round_trips, 4);
        assert_eq!(mirrored.traffic.bytes_received, 1200);

        let invitation = Invitation::try_from(sync::wire::Invitation {
            code: "SYNTHETIC".into(),
            role: Role::Collaborator,
            commune: "mu_ca".into(),
            expires_at_ms: 1_795_000_000_000,
        })
        .unwrap();
        assert_eq!(invitation.expires_at.timestamp_millis(), 1_795_000_000_000);
        assert!(Invitation::try_from(sync::wire::Invitation {
            code: "SYNTHETIC".into(),
            role: Role::Collaborator,
            commune: "mu_ca".into(),
            expires_at_ms: u64::MAX,
        })
        .is_err());
        assert_eq!(
            ProgressPhase::from(sync::SyncPhase::Pulling),
            ProgressPhase::Pulling
        );
    }
}
