//! Everything about shelters that one device keeps between uses, sealed in
//! its store as one record: free places heard of, the shelter it hosts (if
//! any), the placement requests it sent, and the messages waiting to go.

use super::availability::AvailabilityBook;
use super::host::{HostedShelter, Outgoing};
use super::ids::RequestId;
use super::messages::{Decision, MailMessage, OutboxEntry, PlacementRequest, Received};
use super::placement::{DeclineReason, PlacementStatus};
use crate::error::{Refusal, Rule};
use crate::model::{CaseId, DeviceId};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most messages kept waiting; the oldest free-places announcements are
/// dropped first beyond this (newer ones replace them anyway).
pub const MAX_OUTBOX: usize = 1_000;

/// A request this device sent, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SentPlacement {
    /// The request as sent.
    pub request: PlacementRequest,
    /// The case it is for (never sent).
    #[serde(rename = "case")]
    pub case_id: CaseId,
    /// The host's device, the only one whose answers count.
    pub host: DeviceId,
    /// The shelter's name when asked.
    pub shelter_name: String,
    /// Where it stands.
    pub status: PlacementStatus,
    /// The host's reason, when declined.
    pub decline_reason: Option<DeclineReason>,
    /// When it last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

/// What a host's answer means for a request this device sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostStep {
    /// Record this step on the case.
    Record {
        /// The case.
        case: CaseId,
        /// The request.
        request: RequestId,
        /// The new status.
        status: PlacementStatus,
        /// The host's reason, when declined.
        decline_reason: Option<DeclineReason>,
    },
    /// Nothing to do.
    Skip(Received),
}

/// The device's shelter record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeviceShelters {
    /// Free places heard of.
    pub availability: AvailabilityBook,
    /// The shelter this device hosts.
    pub hosting: Option<HostedShelter>,
    /// Requests sent, by id.
    pub requests: BTreeMap<RequestId, SentPlacement>,
    /// Messages waiting to be sent, oldest first.
    pub outbox: Vec<OutboxEntry>,
    /// Sequence number of the next outbox entry.
    pub next_seq: u64,
}

impl DeviceShelters {
    /// Adds messages to the outbox (and this device's own free-places
    /// announcements to what it knows).
    pub fn queue(&mut self, out: Vec<Outgoing>) {
        for (to, message) in out {
            if let MailMessage::Availability(update) = &message {
                self.availability.merge(*update);
                // A newer figure makes an unsent older one pointless.
                self.outbox.retain(|e| {
                    !matches!(&e.message, MailMessage::Availability(u) if u.shelter == update.shelter)
                });
            }
            self.outbox.push(OutboxEntry {
                seq: self.next_seq,
                to,
                message,
            });
            self.next_seq += 1;
        }
        if self.outbox.len() > MAX_OUTBOX {
            let excess = self.outbox.len() - MAX_OUTBOX;
            self.outbox.drain(..excess);
        }
    }

    /// Forgets outbox entries up to and including `seq` (sent).
    pub fn ack(&mut self, seq: u64) {
        self.outbox.retain(|e| e.seq > seq);
    }

    /// What an answer from `from` about a request this device sent means.
    pub fn host_step(&self, from: DeviceId, message: &MailMessage) -> Result<HostStep> {
        let (request, status, reason) = match message {
            MailMessage::Response(r) => match r.decision {
                Decision::Accepted => (r.request, PlacementStatus::Accepted, None),
                Decision::Declined(reason) => (r.request, PlacementStatus::Declined, Some(reason)),
            },
            MailMessage::Stay(s) => {
                if !matches!(
                    s.status,
                    PlacementStatus::Arrived | PlacementStatus::Departed | PlacementStatus::NoShow
                ) {
                    return Err(Error::invalid("stay.status", Rule::NotInList));
                }
                (s.request, s.status, None)
            }
            _ => return Err(Error::invalid("message", Rule::WrongMessage)),
        };
        let sent = self
            .requests
            .get(&request)
            .ok_or_else(|| Error::NotFound(format!("placement request {request}")))?;
        if sent.host != from || Some(sent.request.shelter) != message.shelter() {
            return Err(Error::NotAllowed(Refusal::SenderNotHost));
        }
        if sent.status == status {
            return Ok(HostStep::Skip(Received::Duplicate));
        }
        if !status.may_follow(sent.status) {
            // E.g. an acceptance that crossed this device's cancellation.
            return Ok(HostStep::Skip(Received::Stale));
        }
        Ok(HostStep::Record {
            case: sent.case_id,
            request,
            status,
            decline_reason: reason,
        })
    }

    /// Notes the new status of a request this device sent.
    pub fn set_status(
        &mut self,
        request: RequestId,
        status: PlacementStatus,
        decline_reason: Option<DeclineReason>,
        now: DateTime<Utc>,
    ) {
        if let Some(sent) = self.requests.get_mut(&request) {
            sent.status = status;
            sent.decline_reason = decline_reason;
            sent.updated_at = now;
        }
    }
}
