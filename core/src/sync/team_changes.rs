//! Case teams from this device: the team of each new case, members added
//! (with the survivor's consent where [`lacks_consent`] says so) and
//! removed, the check after each sync that every member still has the
//! consent it needs, and the key rotation after a member leaves or loses
//! it. Each change is a signed team entry, accepted here and queued for the
//! next push.

use super::engine::{CancelFlag, SyncContext, SyncReport, UNBUNDLED};
use super::team::{counselor_of_student, lacks_consent, members_without_consent, TeamState};
use super::wire::{DeviceRecord, KeyWrap, TeamEntry};
use super::{sign_team_entry, wrap_case_key};
use crate::crypto::SecretKey;
use crate::error::Refusal;
use crate::events::Event;
use crate::model::{CaseId, DeviceId, EventId, Role};
use crate::{Error, Result};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Cases transferred to a commune with no case manager enrolled yet, to
/// hand over at a later sync.
const HANDOVER_META: &str = "sync.handover_waiting";

/// Members this device put on a case's team since its last snapshot
/// upload: they cannot hold the case yet, so its next snapshots are also
/// bundled for them (members who already hold a case need no bundle).
pub(super) type Unbundled = BTreeMap<CaseId, BTreeSet<DeviceId>>;

impl SyncContext<'_> {
    /// Creates the team of every case this device created and has not
    /// published: itself and the commune's case managers, epoch 0; on a
    /// school counselor's case of a student of its school, the school's
    /// other counselors too.
    pub(super) async fn publish_new_teams(&self, events: &[Event], role: Role) -> Result<()> {
        let me = self.identity.device_id();
        // This device's own record: its certified school, if a counselor.
        let mine: Option<DeviceRecord> = self.store.device(me)?;
        let mut counselors: Option<Vec<DeviceRecord>> = None;
        let cases: BTreeSet<CaseId> = events
            .iter()
            .filter(|e| {
                e.author == me
                    && e.changes
                        .iter()
                        .any(|c| matches!(c, crate::events::Change::Created { .. }))
            })
            .map(|e| e.case_id)
            .collect();
        let mut managers_by_commune: HashMap<String, Vec<DeviceRecord>> = HashMap::new();
        let mut joined = Unbundled::new();
        for case_id in cases {
            if self.store.team::<TeamState>(case_id)?.is_some() {
                continue;
            }
            let Some(state) = self.store.case_state(case_id)? else {
                continue;
            };
            let survivor = state.survivor();
            let commune = survivor.commune.clone();
            if !managers_by_commune.contains_key(&commune) {
                let managers = self
                    .commune_devices(&commune, Some(Role::CommuneCaseManager))
                    .await?;
                managers_by_commune.insert(commune.clone(), managers);
            }
            let key = match self.store.case_key(case_id, 0)? {
                Some(key) => key,
                None => {
                    let key = SecretKey::random();
                    self.store.put_case_key(case_id, 0, &key)?;
                    key
                }
            };
            let mut schoolmates = Vec::new();
            if mine
                .as_ref()
                .is_some_and(|r| counselor_of_student(r, &survivor))
            {
                if counselors.is_none() {
                    let found = self
                        .commune_devices(&commune, Some(Role::SchoolCounselor))
                        .await?;
                    counselors = Some(found);
                }
                schoolmates = counselors
                    .iter()
                    .flatten()
                    .filter(|c| counselor_of_student(c, &survivor))
                    .collect();
            }
            let mut members = vec![me];
            let mut wraps = Vec::new();
            let managers = managers_by_commune.get(&commune).into_iter().flatten();
            for manager in managers.chain(schoolmates) {
                let id = manager.public.device_id;
                if id != me && !members.contains(&id) {
                    members.push(id);
                    wraps.push(KeyWrap {
                        recipient: id,
                        epoch: 0,
                        sealed: wrap_case_key(self.identity, &manager.public, case_id, 0, &key),
                    });
                }
            }
            let mut team = TeamState::default();
            let added = self.queue_team_entry(case_id, 0, members, wraps, &mut team, role)?;
            joined.insert(case_id, added);
        }
        self.remember_joined(joined)
    }

    /// Adds a device to a case's team, giving it every key of the case.
    pub async fn add_member(&self, case_id: CaseId, device: DeviceId) -> Result<()> {
        let (role, mut team, epoch) = self.team_to_change(case_id)?;
        let directory = self
            .devices_fresh(
                &[Some(device), team.creator]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>(),
            )
            .await?;
        let record = directory
            .get(&device)
            .filter(|r| r.active)
            .ok_or_else(|| Error::NotFound(format!("device {device}")))?;
        let mut members = team.members().to_vec();
        if members.contains(&device) {
            return Ok(());
        }
        let state = self
            .store
            .case_state(case_id)?
            .ok_or_else(|| Error::NotFound(format!("case {case_id}")))?;
        if lacks_consent(device, team.creator, &directory, &state) {
            return Err(Error::NotAllowed(Refusal::TeamMemberNeedsConsent));
        }
        // The consent reaches the server before the team entry, so that no
        // teammate sees the member without it.
        self.push(&mut SyncReport::default(), &|_| {}, &CancelFlag::default())
            .await?;
        members.push(device);
        let wraps = self.wraps_for(case_id, &team, record)?;
        let added = self.queue_team_entry(case_id, epoch, members, wraps, &mut team, role)?;
        self.remember_joined(Unbundled::from([(case_id, added)]))
    }

    /// Hands the cases this commune case manager holds that were
    /// transferred to another commune (among `cases`, and those still
    /// waiting from earlier syncs) to that commune's case managers: adds
    /// those not yet on each team (they need no consent: the survivor lives
    /// in their commune now). The consent audit that follows then removes
    /// this commune's managers, on the first phone that may. A case whose
    /// new commune has no manager enrolled yet waits for the next sync.
    /// Returns the cases handed over (their team entries wait to be pushed).
    pub(super) async fn hand_over(&self, cases: &BTreeSet<CaseId>) -> Result<BTreeSet<CaseId>> {
        let enrolment = self.enrolment()?;
        let mut handed = BTreeSet::new();
        if enrolment.role != Role::CommuneCaseManager {
            return Ok(handed);
        }
        let me = self.identity.device_id();
        let before: BTreeSet<CaseId> = self.store.meta(HANDOVER_META)?.unwrap_or_default();
        let mut waiting = before.clone();
        waiting.extend(cases.iter().copied());
        let mut still = BTreeSet::new();
        let mut managers_by_commune: HashMap<String, Vec<DeviceId>> = HashMap::new();
        for case_id in waiting {
            let Some(team) = self.store.team::<TeamState>(case_id)? else {
                continue;
            };
            let Some(state) = self.store.case_state(case_id)? else {
                continue;
            };
            let commune = state.survivor().commune;
            if !team.members().contains(&me) || commune.is_empty() || commune == enrolment.commune {
                continue;
            }
            if !managers_by_commune.contains_key(&commune) {
                let managers = self
                    .commune_devices(&commune, Some(Role::CommuneCaseManager))
                    .await?;
                let ids = managers.iter().map(|m| m.public.device_id).collect();
                managers_by_commune.insert(commune.clone(), ids);
            }
            let managers = managers_by_commune
                .get(&commune)
                .cloned()
                .unwrap_or_default();
            if managers.is_empty() {
                still.insert(case_id);
            }
            for manager in managers {
                if !team.members().contains(&manager) {
                    self.add_member(case_id, manager).await?;
                    handed.insert(case_id);
                }
            }
        }
        if still != before {
            self.store.set_meta(HANDOVER_META, &still)?;
        }
        Ok(handed)
    }

    /// Removes a device from a case's team and rotates the case key.
    pub async fn remove_member(&self, case_id: CaseId, device: DeviceId) -> Result<()> {
        let (role, mut team, epoch) = self.team_to_change(case_id)?;
        let remaining: Vec<DeviceId> = team
            .members()
            .iter()
            .copied()
            .filter(|m| *m != device)
            .collect();
        let directory = self.devices(remaining.iter().copied()).await?;
        let next = epoch + 1;
        let wraps = self.new_case_key(
            case_id,
            next,
            remaining.iter().filter_map(|id| directory.get(id)),
        )?;
        self.queue_team_entry(case_id, next, remaining, wraps, &mut team, role)?;
        Ok(()) // a removal adds no one
    }

    /// This device's role, and the team of a case with its current epoch,
    /// for a change to the team.
    fn team_to_change(&self, case_id: CaseId) -> Result<(Role, TeamState, u32)> {
        let role = self.enrolment()?.role;
        let no_team = || Error::NotFound(format!("team of case {case_id}"));
        let team: TeamState = self.store.team(case_id)?.ok_or_else(no_team)?;
        let epoch = team.epoch().ok_or_else(no_team)?;
        Ok((role, team, epoch))
    }

    /// A new random key for epoch `next` of a case, kept on this device and
    /// wrapped for every one of `members` but this device.
    fn new_case_key<'r>(
        &self,
        case_id: CaseId,
        next: u32,
        members: impl IntoIterator<Item = &'r DeviceRecord>,
    ) -> Result<Vec<KeyWrap>> {
        let me = self.identity.device_id();
        let key = SecretKey::random();
        self.store.put_case_key(case_id, next, &key)?;
        Ok(members
            .into_iter()
            .filter(|r| r.public.device_id != me)
            .map(|r| KeyWrap {
                recipient: r.public.device_id,
                epoch: next,
                sealed: wrap_case_key(self.identity, &r.public, case_id, next, &key),
            })
            .collect())
    }

    /// Checks the teams of `cases` (those a sync touched) for members
    /// without the consent they need, counts them, and returns the cases
    /// where some were found (their key is then replaced without them).
    pub(super) async fn audit_consent(
        &self,
        cases: &BTreeSet<CaseId>,
        report: &mut SyncReport,
    ) -> Result<BTreeSet<CaseId>> {
        let mut teams = Vec::new();
        for &case_id in cases {
            if let Some(team) = self.store.team::<TeamState>(case_id)? {
                teams.push((case_id, team));
            }
        }
        let members = teams
            .iter()
            .flat_map(|(_, t)| t.members().iter().copied().chain(t.creator));
        let directory = self.devices(members.collect::<Vec<_>>()).await?;
        let mut found = BTreeSet::new();
        for (case_id, team) in teams {
            let Some(state) = self.store.case_state(case_id)? else {
                continue;
            };
            let without = members_without_consent(&team, &state, &directory);
            if !without.is_empty() {
                tracing::warn!(
                    members = without.len(),
                    "case team members without the survivor's consent"
                );
                report.members_without_consent += without.len() as u64;
                found.insert(case_id);
            }
        }
        Ok(found)
    }

    /// Replaces the key of cases that lost a member (revoked, or without
    /// the consent it needs), if this device may.
    pub(super) async fn rotate_keys(
        &self,
        cases: &BTreeSet<CaseId>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let me = self.identity.device_id();
        let role = self.enrolment()?.role;
        for &case_id in cases {
            let Some(mut team) = self.store.team::<TeamState>(case_id)? else {
                continue;
            };
            if team.creator != Some(me) && !role.manages_commune() {
                continue;
            }
            let Some(epoch) = team.epoch() else { continue };
            let members: Vec<DeviceId> = team.members().to_vec();
            let with_creator: Vec<DeviceId> = members.iter().copied().chain(team.creator).collect();
            let directory = self.devices_fresh(&with_creator).await?;
            let unconsented = match self.store.case_state(case_id)? {
                Some(state) => members_without_consent(&team, &state, &directory),
                None => vec![],
            };
            // Only a commune case manager takes an active manager off (the
            // server refuses anyone else): the creator's phone leaves them
            // to a manager's.
            let kept_by_right = |id: &DeviceId| {
                role != Role::CommuneCaseManager
                    && directory
                        .get(id)
                        .is_some_and(|r| r.active && r.role == Role::CommuneCaseManager)
            };
            let remaining: Vec<&DeviceRecord> = members
                .iter()
                .filter(|id| **id == me || !unconsented.contains(id) || kept_by_right(id))
                .filter_map(|id| directory.get(id))
                .filter(|r| r.active)
                .collect();
            if remaining.len() == members.len() {
                continue; // nobody this phone may take off
            }
            let next = epoch + 1;
            let wraps = self.new_case_key(case_id, next, remaining.iter().copied())?;
            let ids = remaining.iter().map(|r| r.public.device_id).collect();
            self.queue_team_entry(case_id, next, ids, wraps, &mut team, role)?; // adds no one
            report.keys_rotated += 1;
        }
        Ok(())
    }

    /// Creates, signs, accepts locally and queues a team entry. Returns
    /// the members it adds (for [`Self::remember_joined`]).
    fn queue_team_entry(
        &self,
        case_id: CaseId,
        epoch: u32,
        members: Vec<DeviceId>,
        wraps: Vec<KeyWrap>,
        team: &mut TeamState,
        role: Role,
    ) -> Result<BTreeSet<DeviceId>> {
        let mut entry = TeamEntry {
            id: EventId::random(),
            case_id,
            epoch,
            members,
            wraps,
            signer: self.identity.device_id(),
            signature: vec![],
        };
        sign_team_entry(self.identity, &mut entry);
        let joining: BTreeSet<DeviceId> = entry
            .members
            .iter()
            .copied()
            .filter(|m| *m != entry.signer && !team.members().contains(m))
            .collect();
        team.accept(entry.change(), role)?;
        self.store.put_team(case_id, team)?;
        self.store.push_outbox(entry.id, &entry)?;
        Ok(joining)
    }

    /// Keeps the members this device put on case teams until its next
    /// snapshot upload bundles their cases for them (one write for a
    /// whole batch of team entries).
    fn remember_joined(&self, joined: Unbundled) -> Result<()> {
        if joined.is_empty() {
            return Ok(());
        }
        let mut unbundled: Unbundled = self.store.meta(UNBUNDLED)?.unwrap_or_default();
        for (case_id, members) in joined.into_iter().filter(|(_, m)| !m.is_empty()) {
            unbundled.entry(case_id).or_default().extend(members);
        }
        self.store.set_meta(UNBUNDLED, &unbundled)
    }

    /// Every key of a case this device holds, for a new member.
    fn wraps_for(
        &self,
        case_id: CaseId,
        team: &TeamState,
        recipient: &DeviceRecord,
    ) -> Result<Vec<KeyWrap>> {
        let mut wraps = Vec::new();
        for &epoch in team.epochs.keys() {
            if let Some(key) = self.store.case_key(case_id, epoch)? {
                wraps.push(KeyWrap {
                    recipient: recipient.public.device_id,
                    epoch,
                    sealed: wrap_case_key(self.identity, &recipient.public, case_id, epoch, &key),
                });
            }
        }
        Ok(wraps)
    }
}
