//! Pulling what others made, chunk by chunk from an opaque cursor: every
//! signature and team membership is verified before anything is applied,
//! and a cursor the server no longer knows starts the pull over.

use super::engine::{
    CancelFlag, ProgressFn, SyncContext, SyncPhase, SyncProgress, SyncReport, CURSOR, STATS_SENT,
};
use super::quarantine::Held;
use super::team::{TeamChange, TeamState};
use super::wire::{
    DeviceRecord, PullRequest, PullResponse, TeamEntry, TeamPage, WireBundle, WireEvent,
    WireSnapshot, DEFAULT_PULL_BYTES,
};
use super::{
    open_bundle, open_event, open_page_keys, open_snapshot, unwrap_case_key, verify_team_entry,
    verify_team_page,
};
use crate::crypto::SecretKey;
use crate::error::Refusal;
use crate::events::CaseState;
use crate::model::{CaseId, DeviceId, Role};
use crate::online_report::InboxResponse;
use crate::{Error, Result};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The directory records of a chunk's signers.
type Directory = HashMap<DeviceId, DeviceRecord>;

/// The record of `id`: a signer the directory does not know is tampering.
fn known(directory: &Directory, id: DeviceId) -> Result<&DeviceRecord> {
    directory.get(&id).ok_or_else(|| Error::Tampered {
        record: format!("unknown device {id}"),
    })
}

/// What a pull found beyond what it applied.
pub(super) struct Pulled {
    /// How far the pull read every item (see `PullResponse`).
    pub complete_through: u64,
    /// Cases that lost a member, whose key the creator or a manager
    /// replaces.
    pub rotate: BTreeSet<CaseId>,
    /// Cases something arrived for (team entries, states, events).
    pub touched: BTreeSet<CaseId>,
    /// The first online reports waiting (commune case managers).
    pub inbox: Option<InboxResponse>,
}

impl SyncContext<'_> {
    pub(super) async fn pull(
        &self,
        report: &mut SyncReport,
        progress: &ProgressFn,
        cancel: &CancelFlag,
    ) -> Result<Pulled> {
        let mut cursor: Vec<u8> = self.store.meta(CURSOR)?.unwrap_or_default();
        let mut done = 0;
        let mut rotate = BTreeSet::new();
        let mut touched = BTreeSet::new();
        let mut restarted = false;
        let inbox_after = self.inbox_after()?;
        loop {
            cancel.check()?;
            let request = PullRequest {
                cursor: cursor.clone(),
                max_bytes: DEFAULT_PULL_BYTES,
                inbox_after,
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
            touched.extend(chunk.team.iter().map(|t| t.item.case_id));
            let paged = chunk.pages.iter().flat_map(|p| &p.item.changes);
            touched.extend(paged.clone().map(|c| c.case_id));
            touched.extend(
                chunk
                    .bundles
                    .iter()
                    .flat_map(|b| b.cases.iter().map(|c| c.case_id)),
            );
            touched.extend(chunk.snapshots.iter().map(|s| s.case_id));
            touched.extend(chunk.events.iter().map(|e| e.item.case_id));
            let team_changes = chunk.team.len() + paged.count();
            done += (team_changes + chunk.snapshots.len() + chunk.events.len()) as u64;
            progress(SyncProgress {
                phase: SyncPhase::Pulling,
                done,
                total: done,
            });
            if !chunk.more {
                self.retry_held(report).await?;
                return Ok(Pulled {
                    complete_through: chunk.complete_through,
                    rotate,
                    touched,
                    inbox: chunk.inbox,
                });
            }
        }
    }

    /// Verifies and applies one pulled chunk, item by item: an item that
    /// fails its checks is held back (see [`super::quarantine`]), the rest
    /// applies.
    async fn apply_chunk(&self, chunk: &PullResponse, report: &mut SyncReport) -> Result<()> {
        // Team entries and pages in the order the server stored them.
        let mut team: Vec<(u64, Held)> = chunk
            .team
            .iter()
            .map(|t| (t.seq, Held::Team(t.item.clone())))
            .chain(
                chunk
                    .pages
                    .iter()
                    .map(|p| (p.seq, Held::Page(p.item.clone()))),
            )
            .collect();
        team.sort_by_key(|(seq, _)| *seq);
        let items = team
            .into_iter()
            .map(|(_, item)| item)
            .chain(chunk.bundles.iter().cloned().map(Held::Bundle))
            .chain(chunk.snapshots.iter().cloned().map(Held::Snapshot))
            .chain(
                chunk
                    .events
                    .iter()
                    .map(|e| Held::Event(e.item.clone(), e.seq)),
            )
            .collect();
        self.apply_items(items, report).await
    }

    /// Tries again what was held back, now that more keys and team entries
    /// may be here; what is still refused is held again.
    pub(super) async fn retry_held(&self, report: &mut SyncReport) -> Result<()> {
        let mut held = self.take_held()?;
        // Team entries first: a key they bring may open the rest.
        held.sort_by_key(Held::order);
        if held.is_empty() {
            return Ok(());
        }
        let before = report.items_refused;
        self.apply_items(held, report).await?;
        // Counted once, when first held.
        report.items_refused = before;
        Ok(())
    }

    /// Applies `items` in order (team entries, then states, then events).
    async fn apply_items(&self, items: Vec<Held>, report: &mut SyncReport) -> Result<()> {
        let signers = items.iter().filter_map(|item| match item {
            Held::Team(t) => Some(t.signer),
            Held::Page(p) => Some(p.signer),
            Held::Bundle(b) => Some(b.signer),
            Held::Event(e, _) => Some(e.author),
            Held::Snapshot(s) => Some(s.author),
            Held::Unsigned(_) => None,
        });
        // And the current members of the teams that entries change: taking
        // a commune case manager off is checked against their certificates.
        // The teams read here serve the whole chunk (kept in step with every
        // change applied).
        let mut wanted: Vec<DeviceId> = signers.collect();
        let mut teams: HashMap<CaseId, TeamState> = HashMap::new();
        for item in &items {
            let cases: Vec<CaseId> = match item {
                Held::Team(entry) => vec![entry.case_id],
                Held::Page(page) => page.changes.iter().map(|c| c.case_id).collect(),
                _ => continue,
            };
            for case_id in cases {
                if let Some(team) = self.store.team::<TeamState>(case_id)? {
                    wanted.extend(team.members().iter().copied());
                    teams.insert(case_id, team);
                }
            }
        }
        wanted.sort();
        wanted.dedup();
        let directory = self.devices(wanted).await?;
        let mut adopted = BTreeMap::new();
        let mut verifiers: HashMap<DeviceId, super::Verifier> = HashMap::new();
        let mut opened = Vec::new();
        for item in items {
            let applied = match &item {
                Held::Team(entry) => self.apply_team_entry(entry, &directory, &mut teams, report),
                Held::Page(page) => self.apply_team_page(page, &directory, &mut teams, report),
                Held::Bundle(bundle) => self.apply_bundle(bundle, &directory, &mut adopted, report),
                Held::Snapshot(snapshot) => {
                    self.apply_snapshot(snapshot, &directory, &mut adopted, report)
                }
                Held::Unsigned(snapshot) => Err(snapshot.refusal()),
                Held::Event(wire, seq) => self
                    .open_pulled(wire, &directory, &mut teams, &mut verifiers)
                    .map(|event| opened.push((event, *seq))),
            };
            if let Err(error) = applied {
                self.hold(item, error)?;
                report.items_refused += 1;
            }
        }
        if !adopted.is_empty() {
            let mut sent: BTreeMap<CaseId, u64> = self.store.meta(STATS_SENT)?.unwrap_or_default();
            sent.extend(adopted);
            self.store.set_meta(STATS_SENT, &sent)?;
        }
        report.events_pulled += self.store.append_pulled(&opened)?.len() as u64;
        Ok(())
    }

    /// Checks one case's team change by `signer` against the team as this
    /// device holds it (in `teams` if read already): the team as the change
    /// leaves it, or none if the team already reflects it (applied before:
    /// this device's own, or pulled again).
    fn checked_team_change(
        &self,
        case_id: CaseId,
        change: TeamChange<'_>,
        signer: &DeviceRecord,
        directory: &Directory,
        teams: &HashMap<CaseId, TeamState>,
    ) -> Result<Option<TeamState>> {
        let mut team = match teams.get(&case_id) {
            Some(team) => team.clone(),
            None => self.store.team(case_id)?.unwrap_or_default(),
        };
        if team.holds(change) {
            return Ok(None);
        }
        if signer.role != Role::CommuneCaseManager {
            let manager_taken_off = team
                .members()
                .iter()
                .filter(|m| !change.members.contains(m))
                .filter_map(|m| directory.get(m))
                .any(|r| r.active && r.role == Role::CommuneCaseManager);
            if manager_taken_off {
                return Err(Error::NotAllowed(Refusal::TeamRemovalNeedsManager));
            }
        }
        team.accept(change, signer.role)?;
        Ok(Some(team))
    }

    /// Keeps a case's team as a change left it (in the store and in
    /// `teams`), with the keys it brought.
    fn keep_team_change(
        &self,
        case_id: CaseId,
        team: TeamState,
        keys: impl IntoIterator<Item = (u32, SecretKey)>,
        teams: &mut HashMap<CaseId, TeamState>,
        report: &mut SyncReport,
    ) -> Result<()> {
        for (epoch, key) in keys {
            self.store.put_case_key(case_id, epoch, &key)?;
        }
        self.store.put_team(case_id, &team)?;
        teams.insert(case_id, team);
        report.team_changes_pulled += 1;
        Ok(())
    }

    fn apply_team_entry(
        &self,
        entry: &TeamEntry,
        directory: &Directory,
        teams: &mut HashMap<CaseId, TeamState>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let me = self.identity.device_id();
        let signer = known(directory, entry.signer)?;
        verify_team_entry(entry, &signer.public)?;
        let change = entry.change();
        let Some(team) =
            self.checked_team_change(entry.case_id, change, signer, directory, teams)?
        else {
            return Ok(());
        };
        // Every key for this device opens before anything is kept.
        let keys = entry
            .wraps
            .iter()
            .filter(|w| w.recipient == me)
            .map(|wrap| {
                unwrap_case_key(
                    self.identity,
                    &signer.public,
                    entry.case_id,
                    wrap.epoch,
                    &wrap.sealed,
                )
                .map(|key| (wrap.epoch, key))
            })
            .collect::<Result<Vec<_>>>()?;
        self.keep_team_change(entry.case_id, team, keys, teams, report)
    }

    /// Applies each change of a team page that passes the team rules; the
    /// page is held (with the first refusal) if any does not. Its keys for
    /// this device all open before anything is kept.
    fn apply_team_page(
        &self,
        page: &TeamPage,
        directory: &Directory,
        teams: &mut HashMap<CaseId, TeamState>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let signer = known(directory, page.signer)?;
        verify_team_page(page, &signer.public.verifier()?)?;
        let mut keys: HashMap<CaseId, Vec<(u32, SecretKey)>> = HashMap::new();
        for (case_id, epoch, key) in open_page_keys(page, self.identity, &signer.public)? {
            keys.entry(case_id).or_default().push((epoch, key));
        }
        let mut refused = None;
        for (case_id, change) in page.team_changes() {
            match self.checked_team_change(case_id, change, signer, directory, teams) {
                Ok(Some(team)) => {
                    let brought = keys.remove(&case_id).unwrap_or_default();
                    self.keep_team_change(case_id, team, brought, teams, report)?;
                }
                Ok(None) => {}
                Err(error) => {
                    refused.get_or_insert(error);
                }
            }
        }
        refused.map_or(Ok(()), Err)
    }

    /// Keeps a state that arrived whole. A case that starts here from a
    /// snapshot has the statistics its uploader holds and sends (uploaders
    /// send theirs right after their snapshots, until the server has them):
    /// nothing to send again.
    fn adopt(
        &self,
        state: CaseState,
        adopted: &mut BTreeMap<CaseId, u64>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let case_id = state.id;
        let update = crate::stats::stat_update(&state);
        if self.store.merge_state(state)? {
            if let Some(update) = update {
                adopted.insert(case_id, update.revision());
            }
        }
        report.snapshots_pulled += 1;
        Ok(())
    }

    fn apply_bundle(
        &self,
        bundle: &WireBundle,
        directory: &Directory,
        adopted: &mut BTreeMap<CaseId, u64>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let usable = self.bundle_cases_to_use(bundle)?;
        let states = open_bundle(
            bundle,
            self.identity,
            &known(directory, bundle.signer)?.public,
        )?;
        for (state, use_it) in states.into_iter().zip(usable) {
            if use_it {
                self.adopt(state, adopted, report)?;
            }
        }
        Ok(())
    }

    /// Checks and opens a pulled snapshot (its author on the case's team at
    /// its epoch, its signature, its seal) and keeps its state.
    fn apply_snapshot(
        &self,
        snapshot: &WireSnapshot,
        directory: &Directory,
        adopted: &mut BTreeMap<CaseId, u64>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let team: TeamState = self.store.team(snapshot.case_id)?.unwrap_or_default();
        if !team.was_member(snapshot.author, snapshot.epoch) {
            return Err(Error::Tampered {
                record: format!(
                    "snapshot of case {} by a device outside the case team",
                    snapshot.case_id
                ),
            });
        }
        let key = self
            .store
            .case_key(snapshot.case_id, snapshot.epoch)?
            .ok_or_else(|| Error::Tampered {
                record: format!("snapshot of case {} without its key", snapshot.case_id),
            })?;
        let author = known(directory, snapshot.author)?.public.verifier()?;
        self.adopt(open_snapshot(snapshot, &author, &key)?, adopted, report)
    }

    /// Checks and opens a pulled event (its author on the case's team at
    /// its epoch, its signature, its seal).
    fn open_pulled(
        &self,
        wire: &WireEvent,
        directory: &Directory,
        teams: &mut HashMap<CaseId, TeamState>,
        verifiers: &mut HashMap<DeviceId, super::Verifier>,
    ) -> Result<crate::events::Event> {
        // Events come after every team change of their batch: a team read
        // once (or kept as a change left it) serves all its case's events.
        let team = match teams.entry(wire.case_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(self.store.team(wire.case_id)?.unwrap_or_default()),
        };
        if !team.was_member(wire.author, wire.epoch) {
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
            Entry::Vacant(slot) => slot.insert(known(directory, wire.author)?.public.verifier()?),
        };
        let event = open_event(wire, author, &key)?;
        if crate::cases::closes(&event) {
            crate::cases::check_closer(Some(known(directory, wire.author)?.role))?;
        }
        if crate::cases::transfers(&event) {
            crate::cases::check_transferrer(Some(known(directory, wire.author)?.role))?;
        }
        self.clock.observe(event.hlc);
        Ok(event)
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
