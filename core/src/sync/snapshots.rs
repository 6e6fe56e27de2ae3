//! Snapshots new team members can start from: each case this device edited
//! enough since the last one, and bundles (compact states of several
//! cases, sealed together) for members it put on a team.

use super::engine::{
    ProgressFn, SyncContext, SyncPhase, SyncProgress, SyncReport, PUSH_BATCH_BYTES,
    PUSH_BATCH_ITEMS, SNAPSHOT_AFTER_EVENTS, UNBUNDLED,
};
use super::envelope::seal_encoded_snapshot;
use super::team::TeamState;
use super::team_changes::Unbundled;
use super::wire::{
    BundledCase, PushRequest, PushResponse, WireBundle, WireSnapshot, MAX_BUNDLE_CASES,
};
use super::{seal_bundle, MAX_BUNDLE_PLAIN_BYTES};
use crate::model::{CaseId, DeviceId};
use crate::Result;
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// Compact states of cases to bundle, by the recipients.
type BundleInputs = BTreeMap<Vec<DeviceId>, Vec<(BundledCase, Zeroizing<Vec<u8>>)>>;

impl SyncContext<'_> {
    /// Uploads snapshots of cases this device edited since the last one.
    pub(super) async fn push_snapshots(
        &self,
        complete_through: u64,
        report: &mut SyncReport,
        progress: &ProgressFn,
    ) -> Result<()> {
        let me = self.identity.device_id();
        let mut snapshots: Vec<WireSnapshot> = Vec::new();
        let mut for_teams: BundleInputs = BTreeMap::new();
        let unbundled: Unbundled = self.store.meta(UNBUNDLED)?.unwrap_or_default();
        let mut updated: BTreeMap<CaseId, TeamState> = BTreeMap::new();
        for case_id in self.store.case_ids()? {
            let Some(mut team) = self.store.team::<TeamState>(case_id)? else {
                continue;
            };
            let Some(epoch) = team.epoch() else { continue };
            if !team.members().contains(&me) || self.store.has_unpushed(case_id)? {
                continue;
            }
            let (newer, mine) = self.store.events_after(case_id, team.snapshot_covers, me)?;
            if newer < SNAPSHOT_AFTER_EVENTS || mine == 0 {
                continue;
            }
            let (Some(key), Some(state)) = (
                self.store.case_key(case_id, epoch)?,
                self.store.case_state(case_id)?,
            ) else {
                continue;
            };
            let encoded = Zeroizing::new(state.encode_snapshot()?);
            snapshots.push(seal_encoded_snapshot(
                self.identity,
                &key,
                epoch,
                complete_through,
                case_id,
                &encoded,
            ));
            let others: Vec<DeviceId> = unbundled
                .get(&case_id)
                .into_iter()
                .flatten()
                .copied()
                .filter(|m| team.members().contains(m))
                .collect();
            if !others.is_empty() {
                let case = BundledCase {
                    case_id,
                    epoch,
                    covers_seq: complete_through,
                };
                for_teams.entry(others).or_default().push((case, encoded));
            }
            team.snapshot_covers = complete_through;
            updated.insert(case_id, team);
        }
        let bundles = self.seal_bundles(for_teams).await?;
        let total = snapshots.len() as u64;
        let mut done = 0;
        let mut pending = snapshots.into_iter().peekable();
        let mut pending_bundles = bundles.into_iter().peekable();
        while pending.peek().is_some() || pending_bundles.peek().is_some() {
            let mut request = PushRequest::default();
            let mut bytes = 0;
            while let Some(snapshot) = pending
                .next_if(|_| request.snapshots.len() < PUSH_BATCH_ITEMS && bytes < PUSH_BATCH_BYTES)
            {
                bytes += snapshot.ciphertext.len() + 40;
                request.snapshots.push(snapshot);
            }
            while let Some(bundle) = pending_bundles.next_if(|_| {
                request.snapshots.len() + request.bundles.len() < PUSH_BATCH_ITEMS
                    && bytes < PUSH_BATCH_BYTES
            }) {
                bytes += bundle.ciphertext.len() + bundle.cases.len() * 24;
                request.bundles.push(bundle);
            }
            let sent: Vec<CaseId> = request.snapshots.iter().map(|s| s.case_id).collect();
            let _: PushResponse = self.call("/v1/sync/push", &request).await?;
            for case_id in sent {
                if let Some(team) = updated.get(&case_id) {
                    self.store.put_team(case_id, team)?;
                }
            }
            done += request.snapshots.len() as u64;
            report.snapshots_pushed += request.snapshots.len() as u64;
            progress(SyncProgress {
                phase: SyncPhase::Snapshots,
                done,
                total,
            });
        }
        // Members who joined without a snapshot due start from the case's
        // own snapshot and events; later syncs bundle only newer joiners.
        if !unbundled.is_empty() {
            self.store.set_meta(UNBUNDLED, &Unbundled::new())?;
        }
        Ok(())
    }

    /// Bundles the compact states of cases by their recipients: as few
    /// bundles as the size limits allow, each sealed for every active one.
    async fn seal_bundles(&self, for_teams: BundleInputs) -> Result<Vec<WireBundle>> {
        let mut bundles = Vec::new();
        for (others, cases) in for_teams {
            let directory = self.devices(others.iter().copied()).await?;
            let recipients: Vec<_> = others
                .iter()
                .filter_map(|id| directory.get(id))
                .filter(|r| r.active)
                .map(|r| r.public)
                .collect();
            if recipients.is_empty() {
                continue;
            }
            let mut chunk: (Vec<BundledCase>, Vec<Zeroizing<Vec<u8>>>) = Default::default();
            let mut bytes = 0;
            for (case, encoded) in cases {
                // Length prefixes take at most 4 bytes a state.
                let size = encoded.len() + 4;
                if size > MAX_BUNDLE_PLAIN_BYTES {
                    continue; // its own snapshot serves it
                }
                if chunk.0.len() == MAX_BUNDLE_CASES || bytes + size > MAX_BUNDLE_PLAIN_BYTES {
                    let (cases, states) = std::mem::take(&mut chunk);
                    bundles.push(seal_bundle(self.identity, &recipients, cases, &states));
                    bytes = 0;
                }
                bytes += size;
                chunk.0.push(case);
                chunk.1.push(encoded);
            }
            if !chunk.0.is_empty() {
                bundles.push(seal_bundle(self.identity, &recipients, chunk.0, &chunk.1));
            }
        }
        Ok(bundles)
    }
}
