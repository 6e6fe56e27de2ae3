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
