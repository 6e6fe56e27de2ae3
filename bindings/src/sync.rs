//! Sync as the apps call it: enrol, sync, invite, revoke and case teams, a
//! thin wrapper of `binhan_core::app::Vault`'s sync calls (`core/src/app/sync.rs`).
//!
//! Everything that talks to the server is a long operation on the layer's
//! runtime ([`crate::task`]): it returns a [`TaskHandle`] at once, reports to
//! the app's [`TaskListener`], ends with exactly one [`TaskOutcome`] and can
//! be cancelled. What only reads the vault (enrolment, team, pending events)
//! is an ordinary call.
//!
//! A device shown a signed revocation that checks (by a device allowed to
//! revoke it, back to the root it pinned) erases its vault in core before
//! the error comes back: the operation ends with `Failed(Revoked)`, and the
//! [`Vault`] then behaves as after `panicWipe` (locked, and `unlock` says
//! `Erased`). A server's "revoked" without such a revocation erases
//! nothing: the operation fails with `Tampered`.
//!
//! The reports, the enrolment and the invitation the apps see are core's
//! own types, deriving their uniffi traits in core behind the `uniffi`
//! feature.

use crate::error::Result;
use crate::task::{self, ProgressPhase, TaskHandle, TaskListener, TaskOutcome};
use crate::vault::Vault;
use binhan_core::app::SyncOptions;
use binhan_core::model::{CaseId, DeviceId, Role};
use binhan_core::sync::{self, Enrolment};
use std::sync::Arc;

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
            Ok(TaskOutcome::Enrolled { enrolment })
        })
    }

    /// What this device is enrolled as, or nothing before enrolment.
    pub fn enrolment(&self) -> Result<Option<Enrolment>> {
        Ok(self.app().enrolment()?)
    }

    /// The school this device's inviter certified it for (a school
    /// counselor's), if any.
    pub fn own_school(&self) -> Result<Option<String>> {
        Ok(self.app().own_school()?)
    }

    /// Pushes this device's changes and pulls everyone else's in the
    /// background, then the shelter directory (newer signed publications,
    /// verified on the device) and placement messages. Progress carries the
    /// phase (`AUTHENTICATING`, `PUSHING`, `PULLING`, `SNAPSHOTS`); the
    /// outcome is `TaskOutcome.Synced` with the report. Cancelling keeps what
    /// was done, and the next sync resumes. A revoked device ends with
    /// `Failed(Revoked)`, its vault already erased.
    /// A road network update downloads only if the person turned Wi-Fi only
    /// off (the network's cost is unknown here; see `syncOn`).
    pub fn sync(&self, listener: Arc<dyn TaskListener>) -> Arc<TaskHandle> {
        self.sync_on(SyncOptions::default(), listener)
    }

    /// `sync`, told whether the network is unmetered (`options.unmetered`):
    /// then a road network update downloads even when Wi-Fi only is on.
    pub fn sync_on(
        &self,
        options: SyncOptions,
        listener: Arc<dyn TaskListener>,
    ) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |reporter, cancel| async move {
            let progress = move |p: sync::SyncProgress| {
                reporter.progress(p.phase.into(), p.done, p.total);
            };
            let report = app.sync_with(options, &progress, &cancel).await?;
            Ok(TaskOutcome::Synced { report })
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
            Ok(TaskOutcome::Invited { invitation })
        })
    }

    /// Issues a one-time invitation code for a school counselor of
    /// `school` in `commune` (its school's counselors share the cases of
    /// the school's students). The outcome is `TaskOutcome.Invited`.
    pub fn invite_counselor(
        &self,
        commune: String,
        school: String,
        valid_hours: u32,
        listener: Arc<dyn TaskListener>,
    ) -> Arc<TaskHandle> {
        let app = self.app();
        task::spawn(listener, move |_, _| async move {
            let invitation = app.invite_counselor(&commune, &school, valid_hours).await?;
            Ok(TaskOutcome::Invited { invitation })
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
    fn sync_phases_are_progress_phases() {
        assert_eq!(
            ProgressPhase::from(sync::SyncPhase::Pulling),
            ProgressPhase::Pulling
        );
        assert_eq!(
            ProgressPhase::from(sync::SyncPhase::Authenticating),
            ProgressPhase::Authenticating
        );
    }
}
