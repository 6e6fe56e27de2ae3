//! The pull cursor: opaque to devices, a small binary record here.

use binhan_core::model::CaseId;
use serde::{Deserialize, Serialize};

/// Where a device's pull stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Cases joined after this sequence number are sent whole.
    pub base: u64,
    /// The server's newest sequence number when this pull session began.
    pub high: u64,
    /// Tail position: items after this sequence number are still to send.
    pub tail_after: u64,
    /// What is being sent.
    pub phase: Phase,
}

/// The phases of one pull session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Sending the states and events of cases the device joined, in
    /// case-id order (their teams and bundles went first).
    Join {
        /// The last case sent whole.
        after_case: Option<CaseId>,
    },
    /// Sending everything newer, in sequence order.
    Tail,
    /// The session finished; the next pull starts a new one.
    Done,
    /// Sending the team entries of cases the device joined, in case-id
    /// order, so it can check every state and event that follows.
    JoinTeams {
        /// The last case whose team was sent.
        after_case: Option<CaseId>,
    },
    /// Sending bundles of the cases the device joined, in number order.
    JoinBundles {
        /// The last bundle number sent.
        after: u64,
    },
    /// Sending the events of one case the device joined, a page at a time
    /// (its snapshot went first), before the cases after it ([`Self::Join`]).
    /// (Last, so that cursors issued before it still decode.)
    JoinEvents {
        /// The case.
        case: CaseId,
        /// The last of its events sent, or what its snapshot or bundle covers.
        after_seq: u64,
    },
    /// Sending the team entries of one case the device joined, a page at a
    /// time, before the cases after it ([`Self::JoinTeams`]).
    JoinTeamEntries {
        /// The case.
        case: CaseId,
        /// The last of its team entries sent.
        after_seq: u64,
    },
}

impl Cursor {
    /// Decodes a cursor sent back by a device; empty means "from the start".
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.is_empty() {
            return Some(Self {
                base: 0,
                high: 0,
                tail_after: 0,
                phase: Phase::Done,
            });
        }
        let cursor: Self = postcard::from_bytes(bytes).ok()?;
        (cursor.base <= cursor.high || cursor.phase == Phase::Done).then_some(cursor)
    }

    /// The bytes a device keeps.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }
}
