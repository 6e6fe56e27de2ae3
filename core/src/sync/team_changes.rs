//! Case teams from this device: the team of each new case, members added
//! (with the survivor's consent where [`lacks_consent`] says so) and
//! removed, the check after each sync that every member still has the
//! consent it needs, and the key rotation after a member leaves or loses
//! it. Changes are accepted here and queued for the next push in signed
//! team pages ([`super::team_page`]): those that set the same members share
//! a page, so a batch of new cases costs one signature and one key seal per
//! member.

use super::engine::{CancelFlag, SyncContext, SyncReport, UNBUNDLED};
use super::team::{
    counselor_of_student, lacks_consent, members_without_consent, TeamChange, TeamState,
};
use super::team_page::{seal_team_page, PageKey, MAX_PAGE_KEYS};
use super::wire::{DeviceRecord, PageChange, TeamPage, MAX_PAGE_CHANGES};
use super::DevicePublic;
use crate::crypto::SecretKey;
use crate::error::Refusal;
use crate::events::Event;
use crate::model::{CaseId, DeviceId, Role};
use crate::{Error, Result};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Cases transferred to a commune with no case manager enrolled yet, to
/// hand over at a later sync.
const HANDOVER_META: &str = "sync.handover_waiting";

/// Members this device put on a case's team since its last snapshot
/// upload: they cannot hold the case yet, so its next snapshots are also
/// bundled for them (members who already hold a case need no bundle).
pub(super) type Unbundled = BTreeMap<CaseId, BTreeSet<DeviceId>>;

/// A team change this device makes, before it is signed into a page: the
/// epoch and members it sets on a case, and the keys to carry (a member and
/// an epoch whose key, held here, it gets).
struct PlannedChange {
    case_id: CaseId,
    epoch: u32,
    members: Vec<DeviceId>,
    carry: Vec<(DevicePublic, u32)>,
}

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
        let mut changes = Vec::new();
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
            if self.store.case_key(case_id, 0)?.is_none() {
                self.store.put_case_key(case_id, 0, &SecretKey::random())?;
            }
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
            let mut carry = Vec::new();
            let managers = managers_by_commune.get(&commune).into_iter().flatten();
            for manager in managers.chain(schoolmates) {
                let id = manager.public.device_id;
                if id != me && !members.contains(&id) {
                    members.push(id);
                    carry.push((manager.public, 0));
                }
            }
            changes.push(PlannedChange {
                case_id,
                epoch: 0,
                members,
                carry,
            });
        }
        let joined = self.queue_changes(changes, role)?;
        self.remember_joined(joined)
    }

    /// Adds a device to a case's team, giving it every key of the case.
    pub async fn add_member(&self, case_id: CaseId, device: DeviceId) -> Result<()> {
        let (role, team, epoch) = self.team_to_change(case_id)?;
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
        // Every key of the case, for the new member.
        let carry = team.epochs.keys().map(|&e| (record.public, e)).collect();
        let change = PlannedChange {
            case_id,
            epoch,
            members,
            carry,
        };
        let joined = self.queue_changes(vec![change], role)?;
        self.remember_joined(joined)
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
        let (role, team, epoch) = self.team_to_change(case_id)?;
        let remaining: Vec<DeviceId> = team
            .members()
            .iter()
            .copied()
            .filter(|m| *m != device)
            .collect();
        let directory = self.devices(remaining.iter().copied()).await?;
        let next = epoch + 1;
        let carry = self.new_case_key(
            case_id,
            next,
            remaining.iter().filter_map(|id| directory.get(id)),
        )?;
        let change = PlannedChange {
            case_id,
            epoch: next,
            members: remaining,
            carry,
        };
        self.queue_changes(vec![change], role)?;
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

    /// A new random key for epoch `next` of a case, kept on this device,
    /// to carry to every one of `members` but this device.
    fn new_case_key<'r>(
        &self,
        case_id: CaseId,
        next: u32,
        members: impl IntoIterator<Item = &'r DeviceRecord>,
    ) -> Result<Vec<(DevicePublic, u32)>> {
        let me = self.identity.device_id();
        self.store
            .put_case_key(case_id, next, &SecretKey::random())?;
        Ok(members
            .into_iter()
            .filter(|r| r.public.device_id != me)
            .map(|r| (r.public, next))
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
        let mut changes = Vec::new();
        for &case_id in cases {
            let Some(team) = self.store.team::<TeamState>(case_id)? else {
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
            let carry = self.new_case_key(case_id, next, remaining.iter().copied())?;
            changes.push(PlannedChange {
                case_id,
                epoch: next,
                members: remaining.iter().map(|r| r.public.device_id).collect(),
                carry,
            });
            report.keys_rotated += 1;
        }
        self.queue_changes(changes, role)?; // a rotation adds no one
        Ok(())
    }

    /// Checks `changes` against their teams, signs them into pages
    /// (changes that set the same members together, in the order made, at
    /// most [`MAX_PAGE_CHANGES`] a page and [`MAX_PAGE_KEYS`] keys a member)
    /// and queues each page with the teams it changes. Returns the members
    /// each case gains (for [`Self::remember_joined`]).
    fn queue_changes(&self, changes: Vec<PlannedChange>, role: Role) -> Result<Unbundled> {
        let me = self.identity.device_id();
        let mut groups: Vec<(Vec<DeviceId>, Vec<PlannedChange>)> = Vec::new();
        for change in changes {
            match groups.iter_mut().find(|(m, _)| *m == change.members) {
                Some((_, group)) => group.push(change),
                None => groups.push((change.members.clone(), vec![change])),
            }
        }
        let mut joined = Unbundled::new();
        for (members, group) in groups {
            for page in pages_of(group) {
                let mut teams = Vec::with_capacity(page.len());
                for change in &page {
                    let mut team: TeamState = self.store.team(change.case_id)?.unwrap_or_default();
                    let gains: BTreeSet<DeviceId> = members
                        .iter()
                        .copied()
                        .filter(|m| *m != me && !team.members().contains(m))
                        .collect();
                    let rules = TeamChange {
                        epoch: change.epoch,
                        members: &members,
                        signer: me,
                    };
                    team.accept(rules, role)?;
                    joined.insert(change.case_id, gains);
                    teams.push((change.case_id, team));
                }
                let sealed = self.seal_page(&members, &page)?;
                self.store.queue_team_page(sealed.id, &sealed, &teams)?;
            }
        }
        Ok(joined)
    }

    /// Signs `page`, changes that set `members`, carrying the keys each
    /// change names (those held here).
    fn seal_page(&self, members: &[DeviceId], page: &[PlannedChange]) -> Result<TeamPage> {
        // Per recipient: its public keys, and the (change, epoch, key) it gets.
        type KeysFor = (DevicePublic, Vec<(u32, u32, SecretKey)>);
        let mut keys: BTreeMap<DeviceId, KeysFor> = BTreeMap::new();
        for (index, change) in page.iter().enumerate() {
            for (recipient, epoch) in &change.carry {
                if let Some(key) = self.store.case_key(change.case_id, *epoch)? {
                    let (_, list) = keys
                        .entry(recipient.device_id)
                        .or_insert_with(|| (*recipient, Vec::new()));
                    list.push((index as u32, *epoch, key));
                }
            }
        }
        let carried: Vec<(&DevicePublic, Vec<PageKey<'_>>)> = keys
            .values()
            .map(|(recipient, list)| {
                let list = list
                    .iter()
                    .map(|(change, epoch, key)| PageKey {
                        change: *change,
                        epoch: *epoch,
                        key,
                    })
                    .collect();
                (recipient, list)
            })
            .collect();
        let cases = page
            .iter()
            .map(|c| PageChange {
                case_id: c.case_id,
                epoch: c.epoch,
            })
            .collect();
        Ok(seal_team_page(
            self.identity,
            members.to_vec(),
            cases,
            &carried,
        ))
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
}

/// Splits changes that set the same members into pages: at most
/// [`MAX_PAGE_CHANGES`] changes, each case once, and at most
/// [`MAX_PAGE_KEYS`] keys for any one member.
fn pages_of(group: Vec<PlannedChange>) -> Vec<Vec<PlannedChange>> {
    let mut pages: Vec<Vec<PlannedChange>> = Vec::new();
    let mut keys: HashMap<DeviceId, usize> = HashMap::new();
    for change in group {
        let mut carried: HashMap<DeviceId, usize> = HashMap::new();
        for (recipient, _) in &change.carry {
            *carried.entry(recipient.device_id).or_default() += 1;
        }
        let fits = |page: &Vec<PlannedChange>| {
            page.len() < MAX_PAGE_CHANGES
                && page.iter().all(|c| c.case_id != change.case_id)
                && carried
                    .iter()
                    .all(|(r, n)| keys.get(r).copied().unwrap_or(0) + n <= MAX_PAGE_KEYS)
        };
        match pages.last_mut() {
            Some(page) if fits(page) => page.push(change),
            _ => {
                keys.clear();
                pages.push(vec![change]);
            }
        }
        for (recipient, n) in carried {
            *keys.entry(recipient).or_default() += n;
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::DeviceIdentity;

    fn change(case_id: CaseId, carry: &[DevicePublic], epochs: u32) -> PlannedChange {
        PlannedChange {
            case_id,
            epoch: epochs.saturating_sub(1),
            members: vec![],
            carry: carry
                .iter()
                .flat_map(|r| (0..epochs).map(move |e| (*r, e)))
                .collect(),
        }
    }

    fn sizes(pages: &[Vec<PlannedChange>]) -> Vec<usize> {
        pages.iter().map(Vec::len).collect()
    }

    /// Pages hold at most `MAX_PAGE_CHANGES` changes, each case once, and
    /// at most `MAX_PAGE_KEYS` keys for any one member; order is kept.
    #[test]
    fn changes_are_split_into_pages_within_their_bounds() {
        let manager = DeviceIdentity::generate(DeviceId::random()).public();
        let cases: Vec<CaseId> = (0..1_201).map(|_| CaseId::random()).collect();
        let pages = pages_of(cases.iter().map(|&c| change(c, &[manager], 1)).collect());
        assert_eq!(sizes(&pages), [500, 500, 201]);
        let order: Vec<CaseId> = pages.iter().flatten().map(|c| c.case_id).collect();
        assert_eq!(order, cases);

        // Four epochs' keys a case: 1,500 keys make 375 cases a page.
        let pages = pages_of(
            cases[..400]
                .iter()
                .map(|&c| change(c, &[manager], 4))
                .collect(),
        );
        assert_eq!(sizes(&pages), [375, 25]);

        // The same case twice (rotated twice in one sync) goes on two pages.
        let twice = vec![change(cases[0], &[], 1), change(cases[0], &[], 2)];
        assert_eq!(sizes(&pages_of(twice)), [1, 1]);
    }
}
