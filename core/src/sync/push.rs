//! Pushing what this device made: new case teams and queued team changes
//! first (single entries queued by older versions, then team pages), then
//! its events sealed with their case keys, in bounded batches the server
//! stores idempotently.

use super::engine::{
    CancelFlag, ProgressFn, SyncContext, SyncPhase, SyncProgress, SyncReport, PUSH_BATCH_BYTES,
    PUSH_BATCH_ITEMS,
};
use super::seal_event;
use super::team::TeamState;
use super::wire::{PushRequest, PushResponse, TeamEntry, TeamPage, WireEvent};
use crate::crypto::SecretKey;
use crate::events::Event;
use crate::model::{CaseId, EventId};
use crate::store::OutboxKind;
use crate::Result;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

impl SyncContext<'_> {
    /// Pushes everything waiting; returns the cases this device wrote to.
    pub(super) async fn push(
        &self,
        report: &mut SyncReport,
        progress: &ProgressFn,
        cancel: &CancelFlag,
    ) -> Result<BTreeSet<CaseId>> {
        let role = self.enrolment()?.role;
        let unpushed = self.store.unpushed_events(usize::MAX)?;
        let touched = unpushed.iter().map(|e| e.case_id).collect();
        self.publish_new_teams(&unpushed, role).await?;
        let entries: Vec<(EventId, TeamEntry)> = self.store.outbox(OutboxKind::TeamEntry)?;
        let pages: Vec<(EventId, TeamPage)> = self.store.outbox(OutboxKind::TeamPage)?;
        let mut keys = HashMap::new();
        let mut sealed = Vec::new();
        for event in &unpushed {
            if let Some(wire) = self.seal_for_push(event, &mut keys)? {
                sealed.push(wire);
            }
        }
        let changes: usize = pages.iter().map(|(_, p)| p.changes.len()).sum();
        let total = (entries.len() + changes + sealed.len()) as u64;
        let mut done = 0;
        progress(SyncProgress {
            phase: SyncPhase::Pushing,
            done,
            total,
        });
        let mut team = entries.into_iter().map(|(_, e)| e).peekable();
        let mut pages = pages.into_iter().map(|(_, p)| p).peekable();
        let mut events = sealed.into_iter().peekable();
        while team.peek().is_some() || pages.peek().is_some() || events.peek().is_some() {
            cancel.check()?;
            let mut request = PushRequest::default();
            let mut bytes = 0;
            let mut items = 0;
            while items < PUSH_BATCH_ITEMS && bytes < PUSH_BATCH_BYTES {
                // (A page counts as its changes: the server bounds those.)
                let page_fits = pages
                    .peek()
                    .is_some_and(|p| items == 0 || items + p.changes.len() <= PUSH_BATCH_ITEMS);
                if let Some(entry) = team.next() {
                    bytes += entry.wraps.len() * 100 + entry.members.len() * 16 + 128;
                    items += 1;
                    request.team.push(entry);
                } else if page_fits {
                    let Some(page) = pages.next() else { break };
                    let sealed: usize = page.keys.iter().map(|k| k.sealed.len() + 16).sum();
                    bytes += page.changes.len() * 21 + page.members.len() * 16 + sealed + 128;
                    items += page.changes.len();
                    request.pages.push(page);
                } else if pages.peek().is_some() {
                    break; // the next page goes in the next request
                } else if let Some(event) = events.next() {
                    bytes += event.ciphertext.len() + 140;
                    items += 1;
                    request.events.push(event);
                } else {
                    break;
                }
            }
            let response: PushResponse = self.call("/v1/sync/push", &request).await?;
            let acks: Vec<(EventId, u64)> =
                response.events.iter().map(|s| (s.item, s.seq)).collect();
            self.store.mark_pushed(&acks)?;
            let entries = request.team.iter().map(|e| e.id);
            let sent_team: Vec<EventId> =
                entries.chain(request.pages.iter().map(|p| p.id)).collect();
            self.store.remove_outbox(&sent_team)?;
            let page_changes: usize = request.pages.iter().map(|p| p.changes.len()).sum();
            let team_changes = (request.team.len() + page_changes) as u64;
            report.events_pushed += acks.len() as u64;
            report.team_changes_pushed += team_changes;
            done += team_changes + request.events.len() as u64;
            progress(SyncProgress {
                phase: SyncPhase::Pushing,
                done,
                total,
            });
        }
        Ok(touched)
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::events::{system_wall_ms, Hlc, HlcClock};
    use crate::model::{DeviceId, Role};
    use crate::store::Store;
    use crate::sync::engine::TOKEN;
    use crate::sync::wire::{decode, encode, PageChange, Token};
    use crate::sync::{
        seal_team_page, set_enrolment, sign_team_entry, DeviceIdentity, Enrolment, TrafficCounts,
        Transport, TransportFuture,
    };
    use std::sync::Mutex;

    /// A server that takes every push (answering as if it stored all of
    /// it) and keeps what it got; the first `cut` pushes find the link
    /// broken.
    struct Taker {
        cut: Mutex<usize>,
        pushes: Mutex<Vec<PushRequest>>,
    }

    impl Transport for Taker {
        fn base_url(&self) -> &str {
            "http://127.0.0.1:9"
        }

        fn post_bytes<'a>(
            &'a self,
            path: &'a str,
            _token: Option<&'a str>,
            body: Vec<u8>,
        ) -> TransportFuture<'a> {
            Box::pin(async move {
                assert_eq!(path, "/v1/sync/push");
                let mut cut = self.cut.lock().unwrap();
                if *cut > 0 {
                    *cut -= 1;
                    return Err(Error::Network("synthetic cut".into()));
                }
                let request: PushRequest = decode(&body).expect("a push");
                let response = PushResponse {
                    team: request.team.len() as u32,
                    pages: request.pages.len() as u32,
                    ..PushResponse::default()
                };
                self.pushes.lock().unwrap().push(request);
                Ok(encode(&response))
            })
        }

        fn counts(&self) -> TrafficCounts {
            TrafficCounts::default()
        }
    }

    /// A team entry an older version queued, and a page this version
    /// queued, both go out (entries first) on the next push, and leave the
    /// outbox only once the server took them: a cut link loses neither.
    #[test]
    fn queued_entries_of_older_versions_and_pages_go_out_and_a_cut_loses_neither() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store.db"), SecretKey::random()).unwrap();
        let identity = DeviceIdentity::generate(DeviceId::random());
        let me = identity.device_id();
        let enrolment = Enrolment {
            server_url: "http://127.0.0.1:9".into(),
            role: Role::Collaborator,
            commune: "mu_ca".into(),
        };
        set_enrolment(&store, &enrolment).unwrap();
        let token = Token {
            token: "synthetic".into(),
            expires_at_ms: u64::MAX / 2,
        };
        store.set_meta(TOKEN, &token).unwrap();

        let mut entry = TeamEntry {
            id: EventId::random(),
            case_id: CaseId::random(),
            epoch: 0,
            members: vec![me],
            wraps: vec![],
            signer: me,
            signature: vec![],
        };
        sign_team_entry(&identity, &mut entry);
        store
            .push_outbox(OutboxKind::TeamEntry, entry.id, &entry)
            .unwrap();
        let case_id = CaseId::random();
        let change = PageChange { case_id, epoch: 0 };
        let page = seal_team_page(&identity, vec![me], vec![change], &[]);
        let mut team = TeamState::default();
        team.accept(page.team_changes().next().unwrap().1, Role::Collaborator)
            .unwrap();
        store
            .queue_team_page(page.id, &page, &[(case_id, team)])
            .unwrap();

        let taker = Taker {
            cut: Mutex::new(1),
            pushes: Mutex::new(vec![]),
        };
        let clock = HlcClock::new(Hlc(0), system_wall_ms);
        let ctx = SyncContext {
            store: &store,
            identity: &identity,
            clock: &clock,
            transport: &taker,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let push = || {
            let mut report = SyncReport::default();
            let pushed = rt.block_on(ctx.push(&mut report, &|_| {}, &CancelFlag::default()));
            pushed.map(|_| report)
        };
        let queued = || {
            let entries = store.outbox::<TeamEntry>(OutboxKind::TeamEntry).unwrap();
            let pages = store.outbox::<TeamPage>(OutboxKind::TeamPage).unwrap();
            (entries.len(), pages.len())
        };

        assert!(matches!(push(), Err(Error::Network(_))));
        assert_eq!(queued(), (1, 1));

        let report = push().unwrap();
        assert_eq!(report.team_changes_pushed, 2);
        let pushes = taker.pushes.lock().unwrap();
        assert_eq!(pushes.len(), 1);
        assert_eq!(
            (&pushes[0].team, &pushes[0].pages),
            (&vec![entry], &vec![page])
        );
        assert_eq!(queued(), (0, 0));
    }
}
