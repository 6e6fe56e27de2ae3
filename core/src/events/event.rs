//! Events: immutable changes to one case, stamped with a hybrid logical clock
//! and the author device.

use super::Hlc;
use crate::error::Rule;
use crate::model::{
    CaseId, Consent, DeviceId, EventId, FollowUp, IncidentField, Note, RiskAssessment, SafetyPlan,
    ServiceRecord, StatusChange, SurvivorField,
};
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Version of the binary event encoding; bumped only with a migration.
pub const EVENT_FORMAT_VERSION: u8 = 1;

/// One immutable change to a case: everything a person saved in one action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Events are deduplicated by it; the app gives each event
    /// [`Event::id_for`] its author and clock (older or foreign events may
    /// carry any unique id).
    pub id: EventId,
    /// The case it changes.
    pub case_id: CaseId,
    /// When, by the author's hybrid logical clock.
    pub hlc: Hlc,
    /// The device that made it.
    pub author: DeviceId,
    /// The changes, applied together.
    pub changes: Vec<Change>,
}

/// A write to a field that keeps concurrent values side by side.
///
/// `supersedes` lists the writes the author saw as current; a write that
/// supersedes every current value resolves a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultiWrite<T> {
    /// The value written.
    pub value: T,
    /// Events whose value of this field the author replaced.
    pub supersedes: Vec<EventId>,
}

/// One change inside an [`Event`].
///
/// Variants may only be appended: the binary encoding refers to them by
/// position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The case was recorded on this day (the first event of a case).
    Created {
        /// Day the case was recorded.
        recorded_on: NaiveDate,
    },
    /// A survivor field (last writer wins).
    Survivor(SurvivorField),
    /// An incident field (last writer wins).
    Incident(IncidentField),
    /// The safety plan (last writer wins).
    SafetyPlan(Option<SafetyPlan>),
    /// Day of the next follow-up (last writer wins).
    NextFollowUp(Option<NaiveDate>),
    /// The risk assessment (concurrent values kept as a conflict).
    Risk(MultiWrite<RiskAssessment>),
    /// A consent decision (concurrent values per scope kept as a conflict).
    Consent(MultiWrite<Consent>),
    /// A service outcome (appended).
    ServiceAdded(ServiceRecord),
    /// A follow-up (appended).
    FollowUpAdded(FollowUp),
    /// A note (appended).
    NoteAdded(Note),
    /// Closed or reopened (last writer wins).
    Status(StatusChange),
    /// The case's secret statistics seed, written once with the first event
    /// (see [`crate::stats`]).
    StatisticsSeed(crate::stats::StatSeed),
    /// A shelter placement step (concurrent placements kept as a conflict).
    Placement(MultiWrite<crate::shelters::Placement>),
    /// A step of a referral (appended).
    Referral(crate::referrals::ReferralStep),
    /// A step of the school procedure (appended).
    SchoolStep(crate::cases::SchoolProcedureStep),
}

/// How a change merges with concurrent changes.
pub(crate) enum Merge {
    /// Newest write of the register wins.
    LastWriterWins(String),
    /// Concurrent writes of the register are kept side by side.
    MultiValue(String),
    /// Appended to a list.
    Append,
}

impl Change {
    /// The merge rule and register of this change.
    pub(crate) fn merge(&self) -> Merge {
        match self {
            Self::Created { .. } => Merge::LastWriterWins("case.created".into()),
            Self::Survivor(f) => Merge::LastWriterWins(f.key().into()),
            Self::Incident(f) => Merge::LastWriterWins(f.key().into()),
            Self::SafetyPlan(_) => Merge::LastWriterWins("safety_plan".into()),
            Self::NextFollowUp(_) => Merge::LastWriterWins("next_follow_up".into()),
            Self::Status(_) => Merge::LastWriterWins("status".into()),
            Self::StatisticsSeed(_) => Merge::LastWriterWins("statistics.seed".into()),
            Self::Risk(_) => Merge::MultiValue("risk".into()),
            Self::Consent(w) => Merge::MultiValue(w.value.scope.key()),
            Self::Placement(_) => Merge::MultiValue(crate::shelters::PLACEMENT_REGISTER.into()),
            Self::ServiceAdded(_)
            | Self::FollowUpAdded(_)
            | Self::NoteAdded(_)
            | Self::Referral(_)
            | Self::SchoolStep(_) => Merge::Append,
        }
    }
}

#[cfg(test)]
impl Event {
    /// The first event of a new case: `author`'s `changes` at one fixed time
    /// (2026-11-15 10:00 in Vietnam), for tests that need some event and do
    /// not care which.
    pub(crate) fn on_new_case(author: DeviceId, changes: Vec<Change>) -> Self {
        let hlc = Hlc::from_wall_ms(1_794_711_600_000);
        Self {
            id: Self::id_for(author, hlc),
            case_id: CaseId::random(),
            hlc,
            author,
            changes,
        }
    }
}

impl Event {
    /// The id of the event `author` stamps `hlc`: a hash of both, unique
    /// because a device's clock never repeats a reading for a stored event.
    /// Snapshots leave such ids out, since anyone can recompute them.
    pub fn id_for(author: DeviceId, hlc: Hlc) -> EventId {
        use sha2::Digest;
        let digest = sha2::Sha256::new()
            .chain_update(b"binhan/event-id/v1")
            .chain_update(author.as_bytes())
            .chain_update(hlc.0.to_le_bytes())
            .finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        EventId(id)
    }

    /// Checks the event's shape: at least one change, each register written
    /// at most once.
    pub fn check_shape(&self) -> Result<()> {
        if self.changes.is_empty() {
            return Err(Error::invalid("event.changes", Rule::Empty));
        }
        let mut registers = Vec::new();
        for change in &self.changes {
            if let Merge::LastWriterWins(key) | Merge::MultiValue(key) = change.merge() {
                if registers.contains(&key) {
                    return Err(Error::invalid("event.changes", Rule::Duplicate));
                }
                registers.push(key);
            }
        }
        Ok(())
    }

    /// The compact binary encoding (version byte + postcard).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![EVENT_FORMAT_VERSION];
        // Serialising plain data into a Vec cannot fail.
        out.extend(postcard::to_allocvec(self).unwrap_or_default());
        out
    }

    /// Decodes [`Event::encode`]'s output.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        match bytes.split_first() {
            Some((&EVENT_FORMAT_VERSION, body)) => postcard::from_bytes(body)
                .map_err(|_| Error::Encoding("event body does not decode".into())),
            Some((v, _)) => Err(Error::Encoding(format!("unknown event format {v}"))),
            None => Err(Error::Encoding("empty event".into())),
        }
    }
}
