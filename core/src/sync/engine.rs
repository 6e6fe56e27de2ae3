//! One sync on the device, phase by phase: authenticate, push what this
//! device made, pull what others made (verifying every signature and team
//! membership before applying anything), check that every team member
//! the survivor must consent to has that consent, rotate keys where a
//! member left or lacks it,
//! upload snapshots new team members can start from, send statistics. Also
//! the context every step runs in and the progress, cancellation and report
//! types; the steps themselves are the sibling modules (`auth`, `devices`,
//! `team_changes`, `push`, `pull`, `snapshots`, `statistics`, `admin`).
//!
//! Every step is a transaction on the device and idempotent on the server,
//! so a sync cut at any point resumes where it stopped and repeating one
//! changes nothing.

use super::transport::{TrafficCounts, Transport};
use super::DeviceIdentity;
use crate::events::HlcClock;
use crate::store::Store;
use crate::{Error, Result};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Meta key: the server this device is enrolled with.
pub(super) const SERVER: &str = "sync.server";
/// Meta key: the current token.
pub(super) const TOKEN: &str = "sync.token";
/// Meta key: the pull cursor.
pub(super) const CURSOR: &str = "sync.cursor";
/// Meta key: the [`Enrolment`](super::Enrolment).
pub(super) const ENROLMENT: &str = "sync.enrolment";
/// Meta key: the statistics revision sent, sealed, for each case (the
/// clear records of `sync.stats_sent` went before statistics were sealed,
/// so every case is sent again once).
pub(super) const STATS_SENT: &str = "sync.stats_sealed_sent";
/// Meta key: members still due a bundle (see [`Unbundled`](super::team_changes::Unbundled)).
pub(super) const UNBUNDLED: &str = "sync.unbundled";

/// Events since the last snapshot after which an editor uploads a new one.
pub const SNAPSHOT_AFTER_EVENTS: u64 = 5;
/// Most items in one push request.
pub(super) const PUSH_BATCH_ITEMS: usize = 2_000;
/// Rough most bytes in one push request.
pub(super) const PUSH_BATCH_BYTES: usize = 1 << 20;
// A batch counts 16 bytes a team member and may end with one more team: it
// never lists more members than the server accepts in one push.
const _: () = assert!(
    PUSH_BATCH_BYTES / 16 + super::wire::MAX_TEAM_MEMBERS <= super::wire::MAX_PUSH_TEAM_MEMBERS
);

/// Where a sync is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// Getting a token.
    Authenticating,
    /// Sending this device's changes.
    Pushing,
    /// Receiving others' changes.
    Pulling,
    /// Sending snapshots for new team members.
    Snapshots,
}

/// The callback through which a sync reports progress; any thread may call it.
pub type ProgressFn = dyn Fn(SyncProgress) + Send + Sync;

/// Progress the app can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SyncProgress {
    /// Phase.
    pub phase: SyncPhase,
    /// Items done in this phase.
    pub done: u64,
    /// Items known so far in this phase (may grow while pulling).
    pub total: u64,
}

/// A flag that cancels a sync between two steps (dropping the sync's
/// future cancels it too; both keep what was done).
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    /// Asks the sync to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether stopping was asked.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    pub(super) fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
    /// Statistics updates kept on the phone because the office's key is
    /// not known yet (sent at a later sync).
    pub statistics_waiting: u64,
    /// Communication activities sent.
    pub activities_sent: u64,
    /// Communication activities the server refused (see
    /// `Vault::communication_activities`).
    pub activities_refused: u64,
    /// Online reports fetched (commune case managers; see
    /// `Vault::online_reports`).
    pub online_reports_received: u64,
    /// Case keys rotated after a member left.
    pub keys_rotated: u64,
    /// Members found on case teams without the survivor's consent (see
    /// `sync::members_without_consent`): the creator's or a commune case
    /// manager's device removes them with a new key in the same sync.
    pub members_without_consent: u64,
    /// Pulled items refused and held back (a bad key wrap, event,
    /// snapshot or bundle); the rest applied. See `Vault::held_items`.
    pub items_refused: u64,
    /// The signed shelter directory and placement messages.
    pub shelters: crate::shelters::ShelterSyncReport,
    /// Round trips and bytes.
    pub traffic: TrafficCounts,
}

/// Everything a sync step needs on the device.
pub struct SyncContext<'a> {
    /// The encrypted store.
    pub store: &'a Store,
    /// This device's keys.
    pub identity: &'a DeviceIdentity,
    /// This device's clock.
    pub clock: &'a HlcClock,
    /// The way to the server.
    pub transport: &'a dyn Transport,
}

impl SyncContext<'_> {
    /// One full sync: push, pull, hand transferred cases over to their new
    /// commune's managers, rotate keys where needed, push again, upload
    /// snapshots.
    pub async fn sync(&self, progress: &ProgressFn, cancel: &CancelFlag) -> Result<SyncReport> {
        let start = self.transport.counts();
        let mut report = SyncReport::default();
        progress(SyncProgress {
            phase: SyncPhase::Authenticating,
            done: 0,
            total: 1,
        });
        self.token(false).await?;
        let mut touched = self.push(&mut report, progress, cancel).await?;
        let pulled = self.pull(&mut report, progress, cancel).await?;
        touched.extend(pulled.touched);
        let mut rotate = pulled.rotate;
        let handed = self.hand_over(&touched).await?;
        touched.extend(handed.iter().copied());
        rotate.extend(self.audit_consent(&touched, &mut report).await?);
        if !rotate.is_empty() || !handed.is_empty() {
            self.rotate_keys(&rotate, &mut report).await?;
            self.push(&mut report, progress, cancel).await?;
        }
        cancel.check()?;
        self.push_snapshots(pulled.complete_through, &mut report, progress)
            .await?;
        cancel.check()?;
        self.push_statistics(&mut report).await?;
        self.push_activities(&mut report).await?;
        self.pull_online_reports(pulled.inbox, &mut report).await?;
        report.traffic = self.transport.counts().since(start);
        Ok(report)
    }

    /// Pushes what this device wrote since [`Self::sync`] pushed (steps
    /// the app recorded in answer to what it pulled or to mail), and the
    /// statistics those steps changed, in the same sync.
    pub async fn push_again(
        &self,
        report: &mut SyncReport,
        progress: &ProgressFn,
        cancel: &CancelFlag,
    ) -> Result<()> {
        self.push(report, progress, cancel).await?;
        self.push_statistics(report).await
    }
}
