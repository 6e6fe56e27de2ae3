//! The messages placements and free places travel in between devices. They
//! are plain data: the sync layer carries them end-to-end encrypted and
//! signed, and tells the receiver which enrolled device sent each one.
//!
//! A request carries only what the host needs (people, children, group,
//! accessibility and language needs). It never carries the case, a name or an
//! account: the collaborator's device alone knows which case a request is for.

use super::availability::AvailabilityUpdate;
use super::ids::{RequestId, ShelterId};
use super::placement::{DeclineReason, PlacementNeeds, PlacementStatus};
use crate::model::DeviceId;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Version of the binary message encoding.
pub const MESSAGE_FORMAT_VERSION: u8 = 1;

/// A collaborator asks a shelter's host for places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PlacementRequest {
    /// Random id of the request.
    pub request: RequestId,
    /// The shelter asked.
    pub shelter: ShelterId,
    /// What the people need.
    pub needs: PlacementNeeds,
    /// When it was sent (UTC).
    pub sent_at: DateTime<Utc>,
}

/// The host's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Places are held for the people.
    Accepted,
    /// Not taken in, and why.
    Declined(DeclineReason),
}

/// The host answers a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementResponse {
    /// The request answered.
    pub request: RequestId,
    /// The shelter.
    pub shelter: ShelterId,
    /// Accepted or declined.
    pub decision: Decision,
    /// Free places after the decision.
    pub free_places: u16,
    /// When (UTC).
    pub at: DateTime<Utc>,
}

/// The host records that the people arrived, left, or never came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StayUpdate {
    /// The request.
    pub request: RequestId,
    /// The shelter.
    pub shelter: ShelterId,
    /// Arrived, departed or no-show.
    pub status: PlacementStatus,
    /// Free places after it.
    pub free_places: u16,
    /// When (UTC).
    pub at: DateTime<Utc>,
}

/// The collaborator withdraws a request (the survivor chose otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// The request.
    pub request: RequestId,
    /// The shelter.
    pub shelter: ShelterId,
    /// When (UTC).
    pub at: DateTime<Utc>,
}

/// Everything shelters and collaborators say to each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailMessage {
    /// Collaborator → host: places wanted.
    Request(PlacementRequest),
    /// Collaborator → host: request withdrawn.
    Cancel(CancelRequest),
    /// Host → collaborator: accepted or declined.
    Response(PlacementResponse),
    /// Host → collaborator: arrived, departed, no-show.
    Stay(StayUpdate),
    /// Host → every device: free places now.
    Availability(AvailabilityUpdate),
    /// A referral, or an answer to one ([`crate::referrals`]): the same
    /// sealed mailbox carries them.
    Referral(crate::referrals::ReferralMessage),
}

impl MailMessage {
    /// The compact binary encoding (version byte + postcard).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![MESSAGE_FORMAT_VERSION];
        // Serialising plain data into a Vec cannot fail.
        out.extend(postcard::to_allocvec(self).unwrap_or_default());
        out
    }

    /// Decodes [`MailMessage::encode`]'s output.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        match bytes.split_first() {
            Some((&MESSAGE_FORMAT_VERSION, body)) => postcard::from_bytes(body)
                .map_err(|_| Error::Encoding("shelter message does not decode".into())),
            Some((v, _)) => Err(Error::Encoding(format!(
                "unknown shelter message format {v}"
            ))),
            None => Err(Error::Encoding("empty shelter message".into())),
        }
    }

    /// The shelter the message is about (none for a referral).
    pub fn shelter(&self) -> Option<ShelterId> {
        match self {
            Self::Request(m) => Some(m.shelter),
            Self::Cancel(m) => Some(m.shelter),
            Self::Response(m) => Some(m.shelter),
            Self::Stay(m) => Some(m.shelter),
            Self::Availability(m) => Some(m.shelter),
            Self::Referral(_) => None,
        }
    }
}

/// Whom a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// One device.
    Device(DeviceId),
    /// Every enrolled device (free places).
    Everyone,
}

/// A message waiting to be sent, numbered in the order it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Position in this device's outbox (increasing, never reused).
    pub seq: u64,
    /// Whom to.
    pub to: Recipient,
    /// The message.
    pub message: MailMessage,
}

/// What receiving a message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Received {
    /// It changed something on this device.
    Applied,
    /// It was already applied (messages may arrive more than once).
    Duplicate,
    /// It came too late to matter (e.g. an acceptance after a cancellation)
    /// or is older than what is known.
    Stale,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shelters::model::AcceptedGroup;

    #[test]
    fn messages_round_trip_in_both_encodings_and_carry_no_case() {
        let request = MailMessage::Request(PlacementRequest {
            request: RequestId::random(),
            shelter: ShelterId::random(),
            needs: PlacementNeeds {
                people: 2,
                children: 1,
                group: AcceptedGroup::WomenWithChildren,
                step_free: false,
                disability_support: false,
                languages: vec![],
            },
            sent_at: DateTime::from_timestamp(1_794_700_000, 0).unwrap(),
        });
        let bytes = request.encode();
        assert_eq!(MailMessage::decode(&bytes).unwrap(), request);
        assert!(bytes.len() < 80, "{} bytes", bytes.len());
        let json = serde_json::to_string(&request).unwrap();
        assert_eq!(serde_json::from_str::<MailMessage>(&json).unwrap(), request);
        assert!(!json.contains("case"));
        let declined = MailMessage::Response(PlacementResponse {
            request: RequestId::random(),
            shelter: ShelterId::random(),
            decision: Decision::Declined(DeclineReason::NoFreePlaces),
            free_places: 0,
            at: DateTime::from_timestamp(1_794_700_000, 0).unwrap(),
        });
        assert_eq!(MailMessage::decode(&declined.encode()).unwrap(), declined);
        assert!(MailMessage::decode(&[9, 1, 2]).is_err());
        assert!(MailMessage::decode(&[]).is_err());
        assert!(MailMessage::decode(&[1, 200]).is_err());
    }
}
