//! The sync engine on the device: enrol, authenticate, push what this
//! device made, pull what others made (verifying every signature and team
//! membership before applying anything), and upload snapshots new team
//! members can start from.
//!
//! Every step is a transaction on the device and idempotent on the server,
//! so a sync cut at any point resumes where it stopped and repeating one
//! changes nothing.

use super::envelope::seal_encoded_snapshot;
use super::team::TeamState;
use super::transport::{TrafficCounts, Transport};
use super::wire::{
    challenge_message, enrol_message, stats_message, BundledCase, Challenge, ChallengeRequest,
    DeviceList, DeviceQuery, DeviceRecord, EnrolRequest, Enrolled, Invitation, InvitationRequest,
    KeyWrap, PullRequest, PullResponse, PushRequest, PushResponse, StatsPush, StatsPushResponse,
    TeamEntry, Token, TokenRequest, WireBundle, WireEvent, WireSnapshot, DEFAULT_PULL_BYTES,
    MAX_BUNDLE_CASES,
};
use super::{
    open_bundle, open_event, open_snapshot, seal_bundle, seal_event, sign_team_entry,
    unwrap_case_key, verify_team_entry, wrap_case_key, DeviceIdentity, MAX_BUNDLE_PLAIN_BYTES,
};
use crate::crypto::SecretKey;
use crate::events::{CaseState, Event, HlcClock};
use crate::model::{CaseId, DeviceId, EventId, Role};
use crate::store::Store;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use zeroize::Zeroizing;

const SERVER: &str = "sync.server";
const TOKEN: &str = "sync.token";
const CURSOR: &str = "sync.cursor";
const ENROLMENT: &str = "sync.enrolment";
const STATS_SENT: &str = "sync.stats_sent";
const UNBUNDLED: &str = "sync.unbundled";

/// Members this device put on a case's team since its last snapshot
/// upload: they cannot hold the case yet, so its next snapshots are also
/// bundled for them (members who already hold a case need no bundle).
type Unbundled = BTreeMap<CaseId, BTreeSet<DeviceId>>;

/// Compact states of cases to bundle, by the recipients.
type BundleInputs = BTreeMap<Vec<DeviceId>, Vec<(BundledCase, Zeroizing<Vec<u8>>)>>;

/// Events since the last snapshot after which an editor uploads a new one.
pub const SNAPSHOT_AFTER_EVENTS: u64 = 5;
/// Most items in one push request.
const PUSH_BATCH_ITEMS: usize = 2_000;
/// Rough most bytes in one push request.
const PUSH_BATCH_BYTES: usize = 1 << 20;

/// What a device was enrolled as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// Server it is enrolled with.
    pub server_url: String,
    /// Role.
    pub role: Role,
    /// Commune (code).
    pub commune: String,
}

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

    fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
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
    /// The server connection.
    pub transport: &'a Transport,
}

/// The device's enrolment, if any.
pub fn enrolment(store: &Store) -> Result<Option<Enrolment>> {
    store.meta(ENROLMENT)
}

/// Enrols this device with an invitation code.
pub async fn enrol(ctx: &SyncContext<'_>, code: &str, label: &str) -> Result<Enrolment> {
    let device = ctx.identity.public();
    let code = code.trim().to_uppercase();
    let request = EnrolRequest {
        signature: ctx.identity.sign(&enrol_message(&code, &device)),
        code,
        device,
        label: label.to_string(),
    };
    let enrolled: Enrolled = ctx.transport.post("/v1/enrol", None, &request).await?;
    let enrolment = Enrolment {
        server_url: ctx.transport.base_url().to_string(),
        role: enrolled.role,
        commune: enrolled.commune,
    };
    ctx.store.set_meta(ENROLMENT, &enrolment)?;
    ctx.store.set_meta(SERVER, &enrolment.server_url)?;
    ctx.store.set_meta(TOKEN, &enrolled.token)?;
    ctx.store.set_meta(CURSOR, &Vec::<u8>::new())?;
    Ok(enrolment)
}

fn now_ms() -> u64 {
    crate::events::system_wall_ms()
}

impl SyncContext<'_> {
    fn enrolment(&self) -> Result<Enrolment> {
        enrolment(self.store)?.ok_or(Error::NotEnrolled)
    }

    async fn token(&self, fresh: bool) -> Result<String> {
        if !fresh {
            if let Some(token) = self.store.meta::<Token>(TOKEN)? {
                if token.expires_at_ms > now_ms() + 30_000 {
                    return Ok(token.token);
                }
            }
        }
        let device_id = self.identity.device_id();
        let challenge: Challenge = self
            .transport
            .post("/v1/auth/challenge", None, &ChallengeRequest { device_id })
            .await?;
        let request = TokenRequest {
            device_id,
            signature: self.identity.sign(&challenge_message(&challenge.challenge)),
            challenge: challenge.challenge,
        };
        let token: Token = self
            .transport
            .post("/v1/auth/token", None, &request)
            .await?;
        self.store.set_meta(TOKEN, &token)?;
        Ok(token.token)
    }

    /// An authenticated call; a rejected token is renewed once.
    pub(crate) async fn call<Req: Serialize, Resp: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        request: &Req,
    ) -> Result<Resp> {
        let bytes = self.call_for_bytes(path, request).await?;
        super::wire::decode(&bytes).map_err(|e| Error::Network(format!("bad response: {e}")))
    }

    /// An authenticated call whose answer is returned as it is (a file);
    /// a rejected token is renewed once.
    pub(crate) async fn call_for_bytes<Req: Serialize>(
        &self,
        path: &str,
        request: &Req,
    ) -> Result<Vec<u8>> {
        let token = self.token(false).await?;
        match self
            .transport
            .post_for_bytes(path, Some(&token), request)
            .await
        {
            Err(Error::Refused { status: 401, .. }) => {
                let token = self.token(true).await?;
                self.transport
                    .post_for_bytes(path, Some(&token), request)
                    .await
            }
            other => other,
        }
    }

    /// Directory records of `ids`, from the cache or the server. A key that
    /// changed for a known device is refused (keys are pinned).
    pub(crate) async fn devices(
        &self,
        ids: impl IntoIterator<Item = DeviceId>,
    ) -> Result<HashMap<DeviceId, DeviceRecord>> {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for id in ids.into_iter().collect::<BTreeSet<_>>() {
            match self.store.device::<DeviceRecord>(id)? {
                Some(record) if record.active => {
                    found.insert(id, record);
                }
                _ => missing.push(id),
            }
        }
        if !missing.is_empty() {
            let list: DeviceList = self
                .call(
                    "/v1/devices/query",
                    &DeviceQuery {
                        ids: missing,
                        ..DeviceQuery::default()
                    },
                )
                .await?;
            for record in list.devices {
                self.remember_device(&record)?;
                found.insert(record.public.device_id, record);
            }
        }
        Ok(found)
    }

    fn remember_device(&self, record: &DeviceRecord) -> Result<()> {
        let id = record.public.device_id;
        if let Some(known) = self.store.device::<DeviceRecord>(id)? {
            if known.public != record.public {
                return Err(Error::Tampered {
                    record: format!("keys of device {id} changed"),
                });
            }
        }
        self.store.put_device(id, record)
    }

    async fn commune_managers(&self, commune: &str) -> Result<Vec<DeviceRecord>> {
        let list: DeviceList = self
            .call(
                "/v1/devices/query",
                &DeviceQuery {
                    ids: vec![],
                    commune: Some(commune.to_string()),
                    role: Some(Role::CommuneCaseManager),
                },
            )
            .await?;
        for record in &list.devices {
            self.remember_device(record)?;
        }
        Ok(list.devices.into_iter().filter(|d| d.active).collect())
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
        team.accept(&entry, role)?;
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

    /// Creates the team of every case this device created and has not
    /// published: itself and the commune's case managers, epoch 0.
    async fn publish_new_teams(&self, events: &[Event], role: Role) -> Result<()> {
        let me = self.identity.device_id();
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
            let commune = state.survivor().commune;
            if !managers_by_commune.contains_key(&commune) {
                let managers = self.commune_managers(&commune).await?;
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
            let mut members = vec![me];
            let mut wraps = Vec::new();
            for manager in managers_by_commune.get(&commune).into_iter().flatten() {
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

    fn seal_for_push(
        &self,
        event: &Event,
        keys: &mut HashMap<CaseId, (u32, SecretKey)>,
    ) -> Result<Option<WireEvent>> {
        let (epoch, key) = match keys.entry(event.case_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let Some(team) = self.store.team::<TeamState>(event.case_id)? else {
                    return Ok(None);
                };
                let Some(epoch) = team.epoch() else {
                    return Ok(None);
                };
                let Some(key) = self.store.case_key(event.case_id, epoch)? else {
                    return Ok(None);
                };
                slot.insert((epoch, key))
            }
        };
        Ok(Some(seal_event(self.identity, key, *epoch, event)))
    }

    async fn push(
        &self,
        report: &mut SyncReport,
        progress: &ProgressFn,
        cancel: &CancelFlag,
    ) -> Result<()> {
        let role = self.enrolment()?.role;
        let unpushed = self.store.unpushed_events(usize::MAX)?;
        self.publish_new_teams(&unpushed, role).await?;
        let outbox: Vec<(EventId, TeamEntry)> = self.store.outbox()?;
        let mut keys = HashMap::new();
        let mut sealed = Vec::new();
        for event in &unpushed {
            if let Some(wire) = self.seal_for_push(event, &mut keys)? {
                sealed.push(wire);
            }
        }
        let total = (outbox.len() + sealed.len()) as u64;
        let mut done = 0;
        progress(SyncProgress {
            phase: SyncPhase::Pushing,
            done,
            total,
        });
        let mut team = outbox.into_iter().map(|(_, e)| e).peekable();
        let mut events = sealed.into_iter().peekable();
        while team.peek().is_some() || events.peek().is_some() {
            cancel.check()?;
            let mut request = PushRequest::default();
            let mut bytes = 0;
            while request.team.len() + request.events.len() < PUSH_BATCH_ITEMS
                && bytes < PUSH_BATCH_BYTES
            {
                if let Some(entry) = team.next() {
                    bytes += entry.wraps.len() * 100 + entry.members.len() * 16 + 128;
                    request.team.push(entry);
                } else if let Some(event) = events.next() {
                    bytes += event.ciphertext.len() + 140;
                    request.events.push(event);
                } else {
                    break;
                }
            }
            let response: PushResponse = self.call("/v1/sync/push", &request).await?;
            let acks: Vec<(EventId, u64)> =
                response.events.iter().map(|s| (s.item, s.seq)).collect();
            self.store.mark_pushed(&acks)?;
            let sent_team: Vec<EventId> = request.team.iter().map(|e| e.id).collect();
            self.store.remove_outbox(&sent_team)?;
            report.events_pushed += acks.len() as u64;
            report.team_changes_pushed += sent_team.len() as u64;
            done += (request.team.len() + request.events.len()) as u64;
            progress(SyncProgress {
                phase: SyncPhase::Pushing,
                done,
                total,
            });
        }
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

    async fn pull(
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

    /// Replaces the key of cases that lost a member, if this device may.
    async fn rotate_keys(&self, cases: &BTreeSet<CaseId>, report: &mut SyncReport) -> Result<()> {
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
            let directory = self.devices_fresh(&members).await?;
            let remaining: Vec<&DeviceRecord> = members
                .iter()
                .filter_map(|id| directory.get(id))
                .filter(|r| r.active)
                .collect();
            let key = SecretKey::random();
            let next = epoch + 1;
            self.store.put_case_key(case_id, next, &key)?;
            let wraps = remaining
                .iter()
                .filter(|r| r.public.device_id != me)
                .map(|r| KeyWrap {
                    recipient: r.public.device_id,
                    epoch: next,
                    sealed: wrap_case_key(self.identity, &r.public, case_id, next, &key),
                })
                .collect();
            let ids = remaining.iter().map(|r| r.public.device_id).collect();
            self.queue_team_entry(case_id, next, ids, wraps, &mut team, role)?; // adds no one
            report.keys_rotated += 1;
        }
        Ok(())
    }

    /// Directory records straight from the server (for revocation status).
    async fn devices_fresh(&self, ids: &[DeviceId]) -> Result<HashMap<DeviceId, DeviceRecord>> {
        let list: DeviceList = self
            .call(
                "/v1/devices/query",
                &DeviceQuery {
                    ids: ids.to_vec(),
                    ..DeviceQuery::default()
                },
            )
            .await?;
        let mut found = HashMap::new();
        for record in list.devices {
            self.remember_device(&record)?;
            found.insert(record.public.device_id, record);
        }
        Ok(found)
    }

    /// Sends the de-identified statistics record (or its withdrawal) of every
    /// case whose statistics changed since this device last sent them. Every
    /// team device may send; the server keeps the newest revision.
    async fn push_statistics(&self, report: &mut SyncReport) -> Result<()> {
        let role = self.enrolment()?.role;
        if matches!(role, Role::ProvincialOfficer | Role::ShelterHost) {
            return Ok(());
        }
        let mut sent: BTreeMap<CaseId, u64> = self.store.meta(STATS_SENT)?.unwrap_or_default();
        let mut updates = Vec::new();
        let mut revisions = Vec::new();
        for case_id in self.store.case_ids()? {
            let Some(state) = self.store.case_state(case_id)? else {
                continue;
            };
            let Some(update) = crate::stats::stat_update(&state) else {
                continue;
            };
            if sent.get(&case_id) == Some(&update.revision()) {
                continue;
            }
            revisions.push((case_id, update.revision()));
            updates.push(update);
        }
        for (batch, revs) in updates
            .chunks(PUSH_BATCH_ITEMS)
            .zip(revisions.chunks(PUSH_BATCH_ITEMS))
        {
            let request = StatsPush {
                signature: self.identity.sign(&stats_message(batch)),
                updates: batch.to_vec(),
            };
            let _: StatsPushResponse = self.call("/v1/stats/push", &request).await?;
            sent.extend(revs.iter().copied());
            self.store.set_meta(STATS_SENT, &sent)?;
            report.statistics_sent += batch.len() as u64;
        }
        Ok(())
    }

    /// Uploads snapshots of cases this device edited since the last one.
    async fn push_snapshots(
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

    /// One full sync: push, pull, rotate keys where needed, push again,
    /// upload snapshots.
    pub async fn sync(&self, progress: &ProgressFn, cancel: &CancelFlag) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        progress(SyncProgress {
            phase: SyncPhase::Authenticating,
            done: 0,
            total: 1,
        });
        self.token(false).await?;
        self.push(&mut report, progress, cancel).await?;
        let (complete_through, rotate) = self.pull(&mut report, progress, cancel).await?;
        if !rotate.is_empty() {
            self.rotate_keys(&rotate, &mut report).await?;
            self.push(&mut report, progress, cancel).await?;
        }
        cancel.check()?;
        self.push_snapshots(complete_through, &mut report, progress)
            .await?;
        cancel.check()?;
        self.push_statistics(&mut report).await?;
        report.traffic = self.transport.counts();
        Ok(report)
    }

    /// Asks the server for an invitation code (commune case managers and
    /// provincial officers).
    pub async fn invite(&self, role: Role, commune: &str, valid_hours: u32) -> Result<Invitation> {
        self.call(
            "/v1/invitations",
            &InvitationRequest {
                role,
                commune: commune.to_string(),
                valid_hours,
            },
        )
        .await
    }

    /// Revokes a device; it erases itself on its next contact.
    pub async fn revoke(&self, device: DeviceId) -> Result<()> {
        let _: () = self.call("/v1/devices/revoke", &device).await?;
        Ok(())
    }

    /// Adds a device to a case's team, giving it every key of the case.
    pub async fn add_member(&self, case_id: CaseId, device: DeviceId) -> Result<()> {
        let role = self.enrolment()?.role;
        let mut team: TeamState = self
            .store
            .team(case_id)?
            .ok_or_else(|| Error::NotFound(format!("team of case {case_id}")))?;
        let epoch = team
            .epoch()
            .ok_or_else(|| Error::NotFound(format!("team of case {case_id}")))?;
        let directory = self.devices_fresh(&[device]).await?;
        let record = directory
            .get(&device)
            .filter(|r| r.active)
            .ok_or_else(|| Error::NotFound(format!("device {device}")))?;
        let mut members = team.members().to_vec();
        if members.contains(&device) {
            return Ok(());
        }
        members.push(device);
        let wraps = self.wraps_for(case_id, &team, record)?;
        let added = self.queue_team_entry(case_id, epoch, members, wraps, &mut team, role)?;
        self.remember_joined(Unbundled::from([(case_id, added)]))
    }

    /// Removes a device from a case's team and rotates the case key.
    pub async fn remove_member(&self, case_id: CaseId, device: DeviceId) -> Result<()> {
        let me = self.identity.device_id();
        let role = self.enrolment()?.role;
        let mut team: TeamState = self
            .store
            .team(case_id)?
            .ok_or_else(|| Error::NotFound(format!("team of case {case_id}")))?;
        let epoch = team
            .epoch()
            .ok_or_else(|| Error::NotFound(format!("team of case {case_id}")))?;
        let remaining: Vec<DeviceId> = team
            .members()
            .iter()
            .copied()
            .filter(|m| *m != device)
            .collect();
        let directory = self.devices(remaining.iter().copied()).await?;
        let key = SecretKey::random();
        let next = epoch + 1;
        self.store.put_case_key(case_id, next, &key)?;
        let wraps = remaining
            .iter()
            .filter(|id| **id != me)
            .filter_map(|id| directory.get(id))
            .map(|r| KeyWrap {
                recipient: r.public.device_id,
                epoch: next,
                sealed: wrap_case_key(self.identity, &r.public, case_id, next, &key),
            })
            .collect();
        self.queue_team_entry(case_id, next, remaining, wraps, &mut team, role)?;
        Ok(()) // a removal adds no one
    }
}
