//! Pushing what this device made: new case teams and queued team entries
//! first, then its events sealed with their case keys, in bounded batches
//! the server stores idempotently.

use super::engine::{
    CancelFlag, ProgressFn, SyncContext, SyncPhase, SyncProgress, SyncReport, PUSH_BATCH_BYTES,
    PUSH_BATCH_ITEMS,
};
use super::seal_event;
use super::team::TeamState;
use super::wire::{PushRequest, PushResponse, TeamEntry, WireEvent};
use crate::crypto::SecretKey;
use crate::events::Event;
use crate::model::{CaseId, EventId};
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
