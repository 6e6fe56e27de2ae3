//! Pulling what others made, chunk by chunk from an opaque cursor: every
//! signature and team membership is verified before anything is applied,
//! and a cursor the server no longer knows starts the pull over.

use super::engine::{
    CancelFlag, ProgressFn, SyncContext, SyncPhase, SyncProgress, SyncReport, CURSOR, STATS_SENT,
};
use super::team::TeamState;
use super::wire::{PullRequest, PullResponse, WireBundle, DEFAULT_PULL_BYTES};
use super::{open_bundle, open_event, open_snapshot, unwrap_case_key, verify_team_entry};
use crate::events::CaseState;
use crate::model::{CaseId, DeviceId};
use crate::{Error, Result};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};

impl SyncContext<'_> {
    pub(super) async fn pull(
        &self,
        report: &mut SyncReport,
        progress: &ProgressFn,
        cancel: &CancelFlag,
    ) -> Result<(u64, BTreeSet<CaseId>)> {
        let mut cursor: Vec<u8> = self.store.meta(CURSOR)?.unwrap_or_default();
        let mut done = 0;
        let mut rotate = BTreeSet::new();
        let mut restarted = false;
        loop {
            cancel.check()?;
            let request = PullRequest {
                cursor: cursor.clone(),
                max_bytes: DEFAULT_PULL_BYTES,
            };
            let chunk: PullResponse = match self.call("/v1/sync/pull", &request).await {
                // The server no longer knows this cursor (its database was
                // restored from a backup, say): start over, once per sync.
                // Applying again what this device holds changes nothing.
                Err(Error::Refused { code, .. })
                    if code == "bad_cursor" && !cursor.is_empty() && !restarted =>
                {
                    tracing::warn!("the server refused the pull cursor; pulling from the start");
                    restarted = true;
                    cursor.clear();
                    self.store.set_meta(CURSOR, &cursor)?;
                    continue;
                }
                answer => answer?,
            };
            self.apply_chunk(&chunk, report).await?;
            cursor = chunk.cursor.clone();
            self.store.set_meta(CURSOR, &cursor)?;
            rotate.extend(chunk.rotate.iter().copied());
            done += (chunk.team.len() + chunk.snapshots.len() + chunk.events.len()) as u64;
            progress(SyncProgress {
                phase: SyncPhase::Pulling,
                done,
                total: done,
            });
            if !chunk.more {
                return Ok((chunk.complete_through, rotate));
            }
        }
    }

    /// Verifies and applies one pulled chunk.
    async fn apply_chunk(&self, chunk: &PullResponse, report: &mut SyncReport) -> Result<()> {
        let me = self.identity.device_id();
        let signers = chunk.team.iter().map(|t| t.item.signer);
        let bundlers = chunk.bundles.iter().map(|b| b.signer);
        let authors = chunk.events.iter().map(|e| e.item.author);
        let directory = self.devices(signers.chain(bundlers).chain(authors)).await?;
        let record = |id: DeviceId| {
            directory.get(&id).ok_or_else(|| Error::Tampered {
                record: format!("unknown device {id}"),
            })
        };

        for sequenced in &chunk.team {
            let entry = &sequenced.item;
            let signer = record(entry.signer)?;
            verify_team_entry(entry, &signer.public)?;
            let mut team: TeamState = self.store.team(entry.case_id)?.unwrap_or_default();
            if team.holds(entry) {
                continue; // applied before: our own change, or pulled again
            }
            team.accept(entry, signer.role)?;
            for wrap in entry.wraps.iter().filter(|w| w.recipient == me) {
                let key = unwrap_case_key(
                    self.identity,
                    &signer.public,
                    entry.case_id,
                    wrap.epoch,
                    &wrap.sealed,
                )?;
                self.store.put_case_key(entry.case_id, wrap.epoch, &key)?;
            }
            self.store.put_team(entry.case_id, &team)?;
            report.team_changes_pulled += 1;
        }

        // A case that starts here from a snapshot has the statistics its
        // uploader holds and sends (uploaders send theirs right after their
        // snapshots, until the server has them): nothing to send again.
        let mut adopted = BTreeMap::new();
        let mut adopt = |state: CaseState| -> Result<()> {
            let case_id = state.id;
            let update = crate::stats::stat_update(&state);
            if self.store.merge_state(state)? {
                if let Some(update) = update {
                    adopted.insert(case_id, update.revision());
                }
            }
            report.snapshots_pulled += 1;
            Ok(())
        };
        for bundle in &chunk.bundles {
            let usable = self.bundle_cases_to_use(bundle)?;
            let states = open_bundle(bundle, self.identity, &record(bundle.signer)?.public)?;
            for (state, use_it) in states.into_iter().zip(usable) {
                if use_it {
                    adopt(state)?;
                }
            }
        }
        for snapshot in &chunk.snapshots {
            let key = self
                .store
                .case_key(snapshot.case_id, snapshot.epoch)?
                .ok_or_else(|| Error::Tampered {
                    record: format!("snapshot of case {} without its key", snapshot.case_id),
                })?;
            adopt(open_snapshot(snapshot, &key)?)?;
        }
        if !adopted.is_empty() {
            let mut sent: BTreeMap<CaseId, u64> = self.store.meta(STATS_SENT)?.unwrap_or_default();
            sent.extend(adopted);
            self.store.set_meta(STATS_SENT, &sent)?;
        }

        let mut teams: HashMap<CaseId, TeamState> = HashMap::new();
        let mut verifiers: HashMap<DeviceId, super::Verifier> = HashMap::new();
        let mut opened = Vec::with_capacity(chunk.events.len());
        for sequenced in &chunk.events {
            let wire = &sequenced.item;
            let team = match teams.entry(wire.case_id) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => {
                    slot.insert(self.store.team(wire.case_id)?.unwrap_or_default())
                }
            };
            let member = team.was_member(wire.author, wire.epoch);
            if !member {
                return Err(Error::Tampered {
                    record: format!("event {} by a device outside the case team", wire.id),
                });
            }
            let key = self
                .store
                .case_key(wire.case_id, wire.epoch)?
                .ok_or_else(|| Error::Tampered {
                    record: format!("event {} without its case key", wire.id),
                })?;
            let author = match verifiers.entry(wire.author) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => slot.insert(record(wire.author)?.public.verifier()?),
            };
            let event = open_event(wire, author, &key)?;
            self.clock.observe(event.hlc);
            opened.push((event, sequenced.seq));
        }
        report.events_pulled += self.store.append_pulled(&opened)?.len() as u64;
        Ok(())
    }

    /// Which states of a bundle to use: those of cases whose team this
    /// device holds (a case it does not yet know arrives whole later). A
    /// signer outside a known team is tampering.
    fn bundle_cases_to_use(&self, bundle: &WireBundle) -> Result<Vec<bool>> {
        bundle
            .cases
            .iter()
            .map(|case| match self.store.team::<TeamState>(case.case_id)? {
                None => Ok(false),
                Some(team) if team.was_member(bundle.signer, case.epoch) => Ok(true),
                Some(_) => Err(Error::Tampered {
                    record: format!("bundle {} by a device outside a case team", bundle.id),
                }),
            })
            .collect()
    }
}
