//! The fold: a case's state is its events merged in any order.
//!
//! Every register merges commutatively, so the same events give the same
//! state whatever order they arrive in:
//! - last-writer-wins fields keep the write with the greatest [`Stamp`];
//! - multi-value fields (risk level, consent) keep every write that no other
//!   write superseded; two or more different values are a [`Conflict`];
//! - notes, services and follow-ups are appended, ordered by stamp.

mod snapshot;

use super::{Change, Event, Hlc, MultiWrite};
use crate::events::event::Merge;
use crate::model::{
    CaseId, CaseStatus, Consent, ConsentGiver, ConsentScope, DeviceId, EventId, FollowUp, Incident,
    Note, RiskAssessment, RiskLevel, SafetyPlan, ServiceRecord, StatusChange, Survivor,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Total order of writes: clock, then author, then event id.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Stamp {
    /// Hybrid logical clock of the event.
    pub hlc: Hlc,
    /// Author device.
    pub author: DeviceId,
    /// The event.
    pub event: EventId,
}

impl Stamp {
    /// The stamp of `event`.
    pub fn of(event: &Event) -> Self {
        Self {
            hlc: event.hlc,
            author: event.author,
            event: event.id,
        }
    }
}

/// A value with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attributed<T> {
    /// The value.
    pub value: T,
    /// The event that wrote it.
    pub event: EventId,
    /// The device that wrote it.
    pub author: DeviceId,
    /// When, by the author's clock (UTC).
    pub at: DateTime<Utc>,
}

impl<T> Attributed<T> {
    fn new(value: T, stamp: &Stamp) -> Self {
        Self {
            value,
            event: stamp.event,
            author: stamp.author,
            at: stamp.hlc.to_utc(),
        }
    }
}

/// Concurrent values of a safety-critical field, for a person to resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The field, e.g. `risk` or `consent.statistics`.
    pub field: String,
    /// The values side by side, oldest first.
    pub candidates: Vec<Attributed<ConflictValue>>,
}

/// A candidate value in a [`Conflict`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ConflictValue {
    /// A risk assessment.
    Risk(RiskAssessment),
    /// A consent decision.
    Consent(Consent),
    /// A shelter placement.
    Placement(crate::shelters::Placement),
}

/// The merged state of one case.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseState {
    /// The case.
    pub id: CaseId,
    event_count: u32,
    last_writer: BTreeMap<String, (Stamp, Change)>,
    multi: BTreeMap<String, BTreeMap<EventId, (Stamp, Change)>>,
    appended: BTreeMap<(Stamp, u32), Change>,
    last_activity: Hlc,
}

impl CaseState {
    /// The state of a case with no events yet.
    pub fn new(id: CaseId) -> Self {
        Self {
            id,
            ..Self::default()
        }
    }

    /// Folds `events` (in any order, duplicates ignored) into a new state.
    pub fn fold<'a>(id: CaseId, events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut state = Self::new(id);
        let mut seen = BTreeSet::new();
        for event in events {
            if seen.insert(event.id) {
                state.apply(event);
            }
        }
        state
    }

    /// Merges one event the state has not merged before (the store
    /// deduplicates by event id). Merging is idempotent for every register;
    /// only the event count would count a repeat twice. Returns false if the
    /// event belongs to another case.
    pub fn apply(&mut self, event: &Event) -> bool {
        if event.case_id != self.id {
            return false;
        }
        self.event_count = self.event_count.saturating_add(1);
        let stamp = Stamp::of(event);
        self.last_activity = self.last_activity.max(event.hlc);
        for (index, change) in event.changes.iter().enumerate() {
            match change.merge() {
                Merge::LastWriterWins(key) => {
                    let newer = self.last_writer.get(&key).is_none_or(|(s, _)| stamp > *s);
                    if newer {
                        self.last_writer.insert(key, (stamp, change.clone()));
                    }
                }
                Merge::MultiValue(key) => {
                    self.multi
                        .entry(key)
                        .or_default()
                        .insert(event.id, (stamp, change.clone()));
                }
                Merge::Append => {
                    let index = u32::try_from(index).unwrap_or(u32::MAX);
                    self.appended.insert((stamp, index), change.clone());
                }
            }
        }
        true
    }

    /// Merges another state of the same case (e.g. a snapshot a new member
    /// starts from) into this one. Every register merges as its events
    /// would; the event count becomes the larger of the two, since the
    /// states may share events.
    pub fn merge(&mut self, other: CaseState) {
        if other.id != self.id {
            return;
        }
        for (key, (stamp, change)) in other.last_writer {
            let newer = self.last_writer.get(&key).is_none_or(|(s, _)| stamp > *s);
            if newer {
                self.last_writer.insert(key, (stamp, change));
            }
        }
        for (key, writes) in other.multi {
            self.multi.entry(key).or_default().extend(writes);
        }
        self.appended.extend(other.appended);
        self.last_activity = self.last_activity.max(other.last_activity);
        self.event_count = self.event_count.max(other.event_count);
    }

    /// Number of events merged.
    pub fn event_count(&self) -> usize {
        self.event_count as usize
    }

    /// Newest clock reading of any event.
    pub fn last_activity(&self) -> Hlc {
        self.last_activity
    }

    /// Day the case was recorded; `None` until its first event has arrived.
    pub fn recorded_on(&self) -> Option<NaiveDate> {
        match self.last_writer.get("case.created") {
            Some((_, Change::Created { recorded_on })) => Some(*recorded_on),
            _ => None,
        }
    }

    /// The case's statistics seed, written with its first event.
    pub fn statistics_seed(&self) -> Option<crate::stats::StatSeed> {
        match self.last_writer.get("statistics.seed") {
            Some((_, Change::StatisticsSeed(seed))) => Some(*seed),
            _ => None,
        }
    }

    /// When and by which device the case was recorded.
    pub fn created(&self) -> Option<Attributed<NaiveDate>> {
        let (stamp, change) = self.last_writer.get("case.created")?;
        match change {
            Change::Created { recorded_on } => Some(Attributed::new(*recorded_on, stamp)),
            _ => None,
        }
    }

    /// The survivor, field by field.
    pub fn survivor(&self) -> Survivor {
        let mut survivor = Survivor::default();
        for (_, change) in self.last_writer.values() {
            if let Change::Survivor(field) = change {
                survivor.apply(field.clone());
            }
        }
        survivor
    }

    /// The incident, field by field.
    pub fn incident(&self) -> Incident {
        let mut incident = Incident::default();
        for (_, change) in self.last_writer.values() {
            if let Change::Incident(field) = change {
                incident.apply(field.clone());
            }
        }
        incident
    }

    /// The current safety plan.
    pub fn safety_plan(&self) -> Option<Attributed<SafetyPlan>> {
        match self.last_writer.get("safety_plan") {
            Some((stamp, Change::SafetyPlan(Some(plan)))) => {
                Some(Attributed::new(plan.clone(), stamp))
            }
            _ => None,
        }
    }

    /// Day of the next planned follow-up.
    pub fn next_follow_up(&self) -> Option<NaiveDate> {
        match self.last_writer.get("next_follow_up") {
            Some((_, Change::NextFollowUp(day))) => *day,
            _ => None,
        }
    }

    /// The latest status change, if any.
    pub fn status_change(&self) -> Option<Attributed<StatusChange>> {
        match self.last_writer.get("status") {
            Some((stamp, Change::Status(change))) => Some(Attributed::new(change.clone(), stamp)),
            _ => None,
        }
    }

    /// Open or closed.
    pub fn status(&self) -> CaseStatus {
        match self.last_writer.get("status") {
            Some((_, Change::Status(StatusChange::Closed(_)))) => CaseStatus::Closed,
            _ => CaseStatus::Open,
        }
    }

    /// Current values of a multi-value field: writes no other write
    /// superseded, oldest first.
    fn heads(&self, key: &str) -> Vec<&(Stamp, Change)> {
        let Some(writes) = self.multi.get(key) else {
            return Vec::new();
        };
        let superseded: BTreeSet<&EventId> = writes
            .values()
            .flat_map(|(_, change)| match change {
                Change::Risk(MultiWrite { supersedes, .. })
                | Change::Consent(MultiWrite { supersedes, .. }) => supersedes.iter(),
                Change::Placement(MultiWrite { supersedes, .. }) => supersedes.iter(),
                _ => [].iter(),
            })
            .collect();
        let mut heads: Vec<_> = writes
            .iter()
            .filter(|(id, _)| !superseded.contains(id))
            .map(|(_, write)| write)
            .collect();
        heads.sort_by_key(|(stamp, _)| *stamp);
        heads
    }

    /// The events whose values of `key` are current (what a new write
    /// supersedes).
    pub fn head_events(&self, key: &str) -> Vec<EventId> {
        self.heads(key)
            .iter()
            .map(|(stamp, _)| stamp.event)
            .collect()
    }

    /// Current risk assessments: one, or several in conflict.
    pub fn risk_values(&self) -> Vec<Attributed<RiskAssessment>> {
        self.heads("risk")
            .into_iter()
            .filter_map(|(stamp, change)| match change {
                Change::Risk(w) => Some(Attributed::new(w.value.clone(), stamp)),
                _ => None,
            })
            .collect()
    }

    /// The risk level to act on: while values conflict, the highest.
    pub fn effective_risk(&self) -> Option<RiskLevel> {
        self.risk_values().iter().map(|r| r.value.level).max()
    }

    /// Current consent decisions per scope: one, or several in conflict.
    pub fn consent_values(&self) -> Vec<(ConsentScope, Vec<Attributed<Consent>>)> {
        self.multi
            .keys()
            .filter(|k| k.starts_with("consent."))
            .filter_map(|key| {
                let values: Vec<_> = self
                    .heads(key)
                    .into_iter()
                    .filter_map(|(stamp, change)| match change {
                        Change::Consent(w) => Some(Attributed::new(w.value.clone(), stamp)),
                        _ => None,
                    })
                    .collect();
                let scope = values.first()?.value.scope.clone();
                Some((scope, values))
            })
            .collect()
    }

    /// Whether consent for `scope` is granted: only if every current value
    /// grants it (a conflict never counts as consent), and none is a
    /// parent's or caregiver's while one of them is an alleged perpetrator
    /// ([`Consent::counts`]).
    pub fn consent_granted(&self, scope: &ConsentScope) -> bool {
        let values = self.heads(&scope.key());
        let by_caregiver = values.iter().any(|(_, change)| {
            matches!(change, Change::Consent(w) if w.value.given_by == ConsentGiver::Caregiver)
        });
        let perpetrators = if by_caregiver {
            self.incident().perpetrators
        } else {
            Vec::new()
        };
        !values.is_empty()
            && values.iter().all(
                |(_, change)| matches!(change, Change::Consent(w) if w.value.counts(&perpetrators)),
            )
    }

    /// Whether any write for `scope`, current or since superseded, granted
    /// consent (so that not granting it now means it was withdrawn).
    pub fn consent_ever_granted(&self, scope: &ConsentScope) -> bool {
        self.multi.get(&scope.key()).is_some_and(|writes| {
            writes
                .values()
                .any(|(_, change)| matches!(change, Change::Consent(w) if w.value.granted))
        })
    }

    /// Current shelter placements: one, or several in conflict.
    pub fn placement_values(&self) -> Vec<Attributed<crate::shelters::Placement>> {
        self.heads(crate::shelters::PLACEMENT_REGISTER)
            .into_iter()
            .filter_map(|(stamp, change)| match change {
                Change::Placement(w) => Some(Attributed::new(w.value.clone(), stamp)),
                _ => None,
            })
            .collect()
    }

    /// Fields whose concurrent values differ and need a person to decide.
    pub fn conflicts(&self) -> Vec<Conflict> {
        self.multi
            .keys()
            .filter_map(|key| {
                let candidates: Vec<_> = self
                    .heads(key)
                    .into_iter()
                    .filter_map(|(stamp, change)| {
                        let value = match change {
                            Change::Risk(w) => ConflictValue::Risk(w.value.clone()),
                            Change::Consent(w) => ConflictValue::Consent(w.value.clone()),
                            Change::Placement(w) => ConflictValue::Placement(w.value.clone()),
                            _ => return None,
                        };
                        Some(Attributed::new(value, stamp))
                    })
                    .collect();
                let differ = candidates.windows(2).any(|w| w[0].value != w[1].value);
                differ.then(|| Conflict {
                    field: key.clone(),
                    candidates,
                })
            })
            .collect()
    }

    fn appended<T>(&self, pick: impl Fn(&Change) -> Option<&T>) -> Vec<Attributed<T>>
    where
        T: Clone,
    {
        self.appended
            .iter()
            .filter_map(|((stamp, _), change)| {
                pick(change).map(|v| Attributed::new(v.clone(), stamp))
            })
            .collect()
    }

    /// Service outcomes in order.
    pub fn services(&self) -> Vec<Attributed<ServiceRecord>> {
        self.appended(|c| match c {
            Change::ServiceAdded(s) => Some(s),
            _ => None,
        })
    }

    /// Referral steps in order.
    pub fn referral_steps(&self) -> Vec<crate::referrals::ReferralStep> {
        self.appended(|c| match c {
            Change::Referral(r) => Some(r),
            _ => None,
        })
        .into_iter()
        .map(|a| a.value)
        .collect()
    }

    /// School procedure steps in order.
    pub fn school_steps(&self) -> Vec<crate::cases::SchoolProcedureStep> {
        self.appended(|c| match c {
            Change::SchoolStep(s) => Some(s),
            _ => None,
        })
        .into_iter()
        .map(|a| a.value)
        .collect()
    }

    /// Follow-ups in order.
    pub fn follow_ups(&self) -> Vec<Attributed<FollowUp>> {
        self.appended(|c| match c {
            Change::FollowUpAdded(f) => Some(f),
            _ => None,
        })
    }

    /// Notes in order.
    pub fn notes(&self) -> Vec<Attributed<Note>> {
        self.appended(|c| match c {
            Change::NoteAdded(n) => Some(n),
            _ => None,
        })
    }
}
